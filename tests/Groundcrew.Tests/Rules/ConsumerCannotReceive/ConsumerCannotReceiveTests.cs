using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ConsumerCannotReceive;

public class ConsumerCannotReceiveTests
{
    private const string Id = "consumer-cannot-receive";
    private static readonly Lazy<Groundcrew.Check.CheckResult> Fail = new(() => Scan.Folder(Path.Combine(Scan.TestRoot, "Rules", "ConsumerCannotReceive", "fail")));

    [Fact]
    public void The_irsa_consumer_finding_names_the_workload_queue_role_and_the_missing_actions()
    {
        var f = Fail.Value.Of(Id).Should().ContainSingle(x => x.Span.File == "terraform/main.tf" && x.Span.StartLine == 16).Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("Deployment ftc-app/billing-service").And.Contain("billing-service-events-development")
            .And.Contain("EventBridge rule order-events").And.Contain("sqs:ReceiveMessage and sqs:DeleteMessage")
            .And.Contain("ServiceAccount ftc-app/billing-service");
        f.Related.Should().Contain(r => r.Span.File == "k8s/billing.yaml" && r.Span.StartLine == 29, "the env var that ties the pods to the queue");
        f.Related.Should().Contain(r => r.Span.File == "k8s/billing.yaml" && r.Span.StartLine == 7, "the ServiceAccount annotation");
        f.Fix.Should().Contain("aws_sqs_queue.billing.arn");
    }

    [Fact]
    public void A_policy_on_another_declared_queue_does_not_count_for_this_one()
    {
        var f = Fail.Value.Of(Id).Should().ContainSingle(x => x.Span.StartLine == 58).Subject;
        f.Message.Should().Contain("task definition orders-worker").And.Contain("SNS topic aws_sns_topic.orders.arn").And.Contain("task role");
    }

    [Fact]
    public void A_queue_with_a_customer_kms_key_asks_for_kms_decrypt_too()
    {
        var r = Scan.Files(
            ("main.tf", """
                resource "aws_cloudwatch_event_rule" "r" {
                  name          = "r"
                  event_pattern = jsonencode({ source = ["x"] })
                }
                resource "aws_sqs_queue" "q" {
                  name              = "jobs"
                  kms_master_key_id = "alias/jobs"
                }
                resource "aws_cloudwatch_event_target" "t" {
                  rule = aws_cloudwatch_event_rule.r.name
                  arn  = aws_sqs_queue.q.arn
                }
                resource "aws_iam_role" "task" {
                  name               = "jobs-task"
                  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }] })
                }
                """),
            ("task.json", """
                {
                  "family": "jobs",
                  "taskRoleArn": "arn:aws:iam::111122223333:role/jobs-task",
                  "containerDefinitions": [
                    { "name": "w", "image": "nginx:1.27", "environment": [{ "name": "JOBS_QUEUE", "value": "jobs" }] }
                  ]
                }
                """));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("no policy is attached to it in the code");
        f.Fix.Should().Contain("kms:Decrypt");
    }

    [Fact]
    public void An_attachment_to_a_role_we_cannot_identify_makes_the_answer_unknown()
    {
        var r = Scan.Files(
            ("main.tf", """
                variable "role_name" {}
                resource "aws_cloudwatch_event_rule" "r" {
                  name          = "r"
                  event_pattern = jsonencode({ source = ["x"] })
                }
                resource "aws_sqs_queue" "q" {
                  name = "jobs"
                }
                resource "aws_cloudwatch_event_target" "t" {
                  rule = aws_cloudwatch_event_rule.r.name
                  arn  = aws_sqs_queue.q.arn
                }
                resource "aws_iam_role" "task" {
                  name               = "jobs-task"
                  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }] })
                }
                resource "aws_iam_role_policy" "p" {
                  role   = var.role_name
                  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }] })
                }
                """),
            ("task.json", """
                { "family": "jobs", "taskRoleArn": "arn:aws:iam::111122223333:role/jobs-task",
                  "containerDefinitions": [{ "name": "w", "image": "nginx:1.27", "environment": [{ "name": "JOBS_QUEUE", "value": "jobs" }] }] }
                """));
        r.Of(Id).Should().BeEmpty();
    }

    [Theory]
    [InlineData("DB_NAME", "jobs", false)]
    [InlineData("JOBS_QUEUE", "jobs", true)]
    [InlineData("WORK_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", true)]
    public void A_bare_queue_name_ties_the_workload_only_under_a_queue_key(string key, string value, bool tied)
    {
        var r = Scan.Files(
            ("main.tf", """
                resource "aws_cloudwatch_event_rule" "r" {
                  name          = "r"
                  event_pattern = jsonencode({ source = ["x"] })
                }
                resource "aws_sqs_queue" "q" {
                  name = "jobs"
                }
                resource "aws_cloudwatch_event_target" "t" {
                  rule = aws_cloudwatch_event_rule.r.name
                  arn  = aws_sqs_queue.q.arn
                }
                resource "aws_iam_role" "task" {
                  name               = "jobs-task"
                  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }] })
                }
                """),
            ("task.json", $$"""
                { "family": "jobs", "taskRoleArn": "arn:aws:iam::111122223333:role/jobs-task",
                  "containerDefinitions": [{ "name": "w", "image": "nginx:1.27", "environment": [{ "name": "{{key}}", "value": "{{value}}" }] }] }
                """));
        r.Of(Id).Should().HaveCount(tied ? 1 : 0);
    }
}
