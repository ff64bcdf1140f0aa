using FluentAssertions;
using Groundcrew.Iam;
using Groundcrew.Model;
using Groundcrew.Model.Aws;
using Groundcrew.Rules.Events;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Iam;

/// <summary>
/// A policy Resource written as a Terraform reference (<c>Resource = aws_sqs_queue.orders.arn</c>) is judged by the
/// resource it names: the same queue matches, another declared queue does not, a reference with text around it cannot
/// be told. These are the decisions behind <c>consumer-cannot-receive</c>, taken here from a real Terraform module
/// through the loader so that the IAM mutation run (docs/testing.md) covers the evaluator's reference paths.
/// </summary>
public class IamTerraformReferenceTests
{
    private const string Action = "sqs:ReceiveMessage";

    private static (DeploymentModel Model, IamRole Role) Load(string resourceLine)
    {
        var result = Scan.Files(("infra/main.tf", $$"""
            resource "aws_sqs_queue" "orders" { name = "orders" }
            resource "aws_sqs_queue" "billing" { name = "billing" }
            resource "aws_iam_role" "worker" {
              name               = "worker"
              assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
            }
            resource "aws_iam_role_policy" "worker" {
              role = aws_iam_role.worker.id
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = ["sqs:ReceiveMessage"], {{resourceLine}} }]
              })
            }
            """));
        var role = result.Model.IamRoles.All.Single(r => r.Name == "worker");
        role.IdentityPolicies.Should().ContainSingle("the inline policy is attached through aws_iam_role.worker.id");
        return (result.Model, role);
    }

    private static Outcome Decide(DeploymentModel model, IamRole role, string queueName)
    {
        var queue = model.Resources.Single(r => r.Address == $"aws_sqs_queue.{queueName}");
        return IamEvaluator.Decide(role.IdentityPolicies, Action, $"arn:aws:sqs:*:*:{queueName}", null, null,
            resourceMatch: pattern => pattern == "*" ? Applies.Yes : Applies.No,
            references: r => SqsFacts.RefersTo(model, r, queue, "arn")).Outcome;
    }

    [Theory]
    [InlineData("Resource = aws_sqs_queue.orders.arn", "orders", Outcome.Allowed)]
    [InlineData("Resource = aws_sqs_queue.orders.arn", "billing", Outcome.ImplicitDeny)]
    [InlineData("Resource = [aws_sqs_queue.billing.arn, aws_sqs_queue.orders.arn]", "orders", Outcome.Allowed)]
    [InlineData("Resource = [aws_sqs_queue.billing.arn]", "orders", Outcome.ImplicitDeny)]
    public void A_reference_in_Resource_matches_the_queue_it_names_and_no_other(string resourceLine, string queue, Outcome expected)
    {
        var (model, role) = Load(resourceLine);
        Decide(model, role, queue).Should().Be(expected);
    }

    [Theory]
    [InlineData("NotResource = aws_sqs_queue.orders.arn", "orders", Outcome.ImplicitDeny)]
    [InlineData("NotResource = aws_sqs_queue.orders.arn", "billing", Outcome.Allowed)]
    [InlineData("NotResource = [aws_sqs_queue.billing.arn]", "orders", Outcome.Allowed)]
    public void A_reference_in_NotResource_excludes_the_queue_it_names_and_no_other(string resourceLine, string queue, Outcome expected)
    {
        var (model, role) = Load(resourceLine);
        Decide(model, role, queue).Should().Be(expected);
    }

    [Theory]
    [InlineData("Resource = \"${aws_sqs_queue.orders.arn}-dlq\"")] // text after the reference: some other queue's name
    [InlineData("Resource = aws_sqs_queue.orders.url")]             // the same queue, another attribute
    [InlineData("Resource = var.queue_arn")]                        // not a resource at all
    [InlineData("NotResource = \"${aws_sqs_queue.orders.arn}-dlq\"")]
    public void A_reference_that_cannot_be_told_apart_leaves_the_decision_unknown(string resourceLine)
    {
        var (model, role) = Load(resourceLine);
        Decide(model, role, "orders").Should().Be(Outcome.Unknown);
    }
}
