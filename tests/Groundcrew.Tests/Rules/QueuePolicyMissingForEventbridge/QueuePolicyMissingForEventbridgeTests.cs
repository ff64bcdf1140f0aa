using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.QueuePolicyMissingForEventbridge;

public class QueuePolicyMissingForEventbridgeTests
{
    private const string Id = "queue-policy-missing-for-eventbridge";
    private static readonly Lazy<Groundcrew.Check.CheckResult> Fail = new(() => Scan.Folder(Path.Combine(Scan.TestRoot, "Rules", "QueuePolicyMissingForEventbridge", "fail")));

    private const string RuleAndQueue = """
        resource "aws_cloudwatch_event_rule" "orders" {
          name          = "orders"
          event_pattern = jsonencode({ source = ["shop"] })
        }
        resource "aws_sqs_queue" "q" {
          name = "orders-queue"
        }
        resource "aws_cloudwatch_event_target" "t" {
          rule = aws_cloudwatch_event_rule.orders.name
          arn  = aws_sqs_queue.q.arn
        }
        """;

    [Fact]
    public void A_queue_without_policy_is_reported_at_the_queue_with_the_target_related_and_the_statement_to_add()
    {
        var f = Fail.Value.Of(Id).Should().ContainSingle(x => x.Span.StartLine == 19).Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("order-events").And.Contain("billing-service-events-development").And.Contain("no queue policy");
        f.Related.Should().ContainSingle(r => r.Span.StartLine == 25);
        f.Fix.Should().Contain("events.amazonaws.com").And.Contain("aws_cloudwatch_event_rule.order_events.arn");
    }

    [Fact]
    public void A_source_arn_for_another_rule_names_that_rule() =>
        Fail.Value.Of(Id).Should().ContainSingle(x => x.Span.StartLine == 56).Which.Message
            .Should().Contain("aws_cloudwatch_event_rule.other.arn").And.Contain("not rule order-events");

    [Fact]
    public void Exactly_the_three_broken_paths_are_reported() => Fail.Value.Of(Id).Should().HaveCount(3);

    [Fact]
    public void Without_any_policy_the_target_is_reported() =>
        Scan.Files(("main.tf", RuleAndQueue)).Of(Id).Should().ContainSingle().Which.Span.StartLine.Should().Be(6);

    [Fact]
    public void A_queue_policy_for_a_computed_queue_url_may_be_the_missing_one() =>
        Scan.Files(("main.tf", RuleAndQueue + "\n" + """
            variable "url" {}
            resource "aws_sqs_queue_policy" "p" {
              queue_url = var.url
              policy    = jsonencode({ Statement = [] })
            }
            """)).Of(Id).Should().BeEmpty();

    [Fact]
    public void An_explicit_deny_for_eventbridge_wins()
    {
        var r = Scan.Files(("main.tf", RuleAndQueue + "\n" + """
            resource "aws_sqs_queue_policy" "p" {
              queue_url = aws_sqs_queue.q.url
              policy = jsonencode({
                Statement = [
                  { Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sqs:SendMessage", Resource = aws_sqs_queue.q.arn },
                  { Effect = "Deny", Principal = "*", Action = "sqs:*", Resource = aws_sqs_queue.q.arn },
                ]
              })
            }
            """));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("denies");
    }

    [Fact]
    public void A_statement_on_another_queue_does_not_allow_this_one()
    {
        var r = Scan.Files(("main.tf", RuleAndQueue + "\n" + """
            resource "aws_sqs_queue" "other" {
              name = "other"
            }
            resource "aws_sqs_queue_policy" "p" {
              queue_url = aws_sqs_queue.q.id
              policy = jsonencode({
                Statement = [{ Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sqs:SendMessage", Resource = aws_sqs_queue.other.arn }]
              })
            }
            """));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("resource");
    }
}
