using System.Text.Json.Nodes;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// The Resource Groups Tagging API answer in the snapshot (`aws.resourceTags`, ARN -> tags) and what
/// live-resource-not-in-state (D2) makes of it for the kinds whose own answers carry no tags: SQS queues, target groups,
/// security groups, ECS services, load balancers and ECR repositories. moto_server 5.2.1 answers get-resources for
/// SQS queues, ECS services, target groups and security groups (not for ECR repositories), checked by hand; these
/// tests use canned answers and a snapshot built in code, offline.
/// </summary>
public class ResourceTagsTests
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";
    private const string Tg = $"arn:aws:elasticloadbalancing:{Region}:{Account}:targetgroup/";

    [Fact]
    public void The_collector_keeps_the_tags_of_each_tagged_resource_by_arn_sorted()
    {
        var runner = new Canned("""
            {"ResourceTagMappingList":[
              {"ResourceARN":"arn:aws:sqs:us-east-1:111122223333:orders-dlq","Tags":[{"Key":"pulumi:project","Value":"shop"}]},
              {"ResourceARN":"arn:aws:ec2:us-east-1:111122223333:security-group/sg-1","Tags":[{"Key":"team","Value":"web"},{"Key":"env","Value":"prod"}]},
              {"ResourceARN":"arn:aws:ecs:us-east-1:111122223333:service/main/api","Tags":[]}]}
            """);
        var snapshot = InventoryRun.CollectAsync(new InventoryRequest(new AwsTarget(Region: Region), [], null, [], Parallel: 1), runner).GetAwaiter().GetResult();

        snapshot.Aws!.ResourceTags.Should().NotBeNull();
        snapshot.Aws.ResourceTags!.Keys.Should().Equal("arn:aws:ec2:us-east-1:111122223333:security-group/sg-1", "arn:aws:sqs:us-east-1:111122223333:orders-dlq");
        snapshot.Aws.ResourceTags["arn:aws:ec2:us-east-1:111122223333:security-group/sg-1"].Should().Equal(new Dictionary<string, string> { ["team"] = "web", ["env"] = "prod" });
        runner.Calls.Should().Contain(c => c.StartsWith("aws resourcegroupstaggingapi get-resources --resource-type-filters ecr:repository sqs:queue ecs:service elasticloadbalancing:loadbalancer elasticloadbalancing:targetgroup ec2:security-group", StringComparison.Ordinal));
        AwsAction.FromCommandLine(runner.Calls.First(c => c.Contains("get-resources"))).Should().Be("tag:GetResources");

        var json = snapshot.ToJson();
        json.Should().Contain("\"resourceTags\": {\n      \"arn:aws:ec2:us-east-1:111122223333:security-group/sg-1\": {\n        \"team\": \"web\"");
        Snapshot.Parse(json, "tags.json").ToJson().Should().Be(json);
    }

    [Fact]
    public void A_refused_tagging_call_is_not_collected_and_no_map_is_written()
    {
        var snapshot = InventoryRun.CollectAsync(new InventoryRequest(new AwsTarget(Region: Region), [], null, [], Parallel: 1), new Canned(null)).GetAwaiter().GetResult();
        snapshot.Aws!.ResourceTags.Should().BeNull();
        snapshot.Knows("tagging.resources").Should().BeFalse();
        snapshot.ToJson().Should().NotContain("resourceTags");
    }

    [Fact]
    public void Tags_tie_queues_and_target_groups_whose_names_do_not_claim_them_and_untie_those_tagged_for_another_stack()
    {
        var messages = Findings(WithTags());
        messages.Should().HaveCount(4, string.Join("\n", messages));
        // Fires: named for nothing, tied by their tags alone.
        messages.Should().ContainSingle(m => m.StartsWith("SQS queue `orders-dlq` exists", StringComparison.Ordinal) && m.Contains("its tags (pulumi:project=shop) claim it for `shop`"));
        messages.Should().ContainSingle(m => m.StartsWith("Target group `web-tg` exists", StringComparison.Ordinal) && m.Contains("its tags (pulumi:project=shop) claim it for `shop`"));
        // Fires: name and tags agree.
        messages.Should().ContainSingle(m => m.StartsWith("Security group `shop-web` exists", StringComparison.Ordinal) && m.Contains("its name and its tags (pulumi:project=shop) claim it"));
        messages.Should().ContainSingle(m => m.StartsWith("ECS service `shop-api` exists", StringComparison.Ordinal) && m.Contains("its name and its tags"));
        // Silent: tagged for another project or for CloudFormation though the name claims it; held by the state; untagged and unnamed.
        messages.Should().NotContain(m => m.Contains("`shop-jobs`") || m.Contains("`shop-tg`") || m.Contains("`shop-images`") || m.Contains("`other-queue`"));
    }

    [Fact]
    public void Without_the_tagging_answer_only_names_claim_them_as_before()
    {
        var messages = Findings(WithTags(tags: false));
        messages.Select(m => m[..m.IndexOf(" exists", StringComparison.Ordinal)]).Should().BeEquivalentTo(
            "SQS queue `shop-jobs`", "Target group `shop-tg`", "Security group `shop-web`", "ECS service `shop-api`");
        messages.Should().OnlyContain(m => m.Contains("its name claims it for `shop` (it has no tags to confirm it)"));
    }

    private static List<string> Findings(Snapshot snapshot)
    {
        using var repo = new TempDir();
        repo.Write("stack-export.json", StackExport);
        return new CheckRunner(new CheckOptions { Paths = [repo.Path], Config = GroundcrewConfig.Default, Inventory = snapshot }).Run()
            .Findings.Where(f => f.RuleId == "live-resource-not-in-state").Select(f => f.Message).ToList();
    }

    // A Pulumi stack export of project "shop" that holds one ECR repository (shop-images) and nothing else of these kinds.
    private const string StackExport = """
        {
          "version": 3,
          "deployment": {
            "resources": [
              {"urn": "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev", "custom": false, "type": "pulumi:pulumi:Stack"},
              {"urn": "urn:pulumi:dev::shop::aws:ecr/repository:Repository::images", "custom": true, "type": "aws:ecr/repository:Repository", "id": "shop-images",
               "inputs": {"name": "shop-images"}, "outputs": {"name": "shop-images", "arn": "arn:aws:ecr:us-east-1:111122223333:repository/shop-images"}}
            ]
          }
        }
        """;

    private static Snapshot WithTags(bool tags = true)
    {
        var shop = new Dictionary<string, string> { ["pulumi:project"] = "shop" };
        var aws = new AwsFacts
        {
            Queues =
            [
                new QueueFact($"https://sqs.{Region}.amazonaws.com/{Account}/orders-dlq", "orders-dlq", $"arn:aws:sqs:{Region}:{Account}:orders-dlq", 0, null),
                new QueueFact($"https://sqs.{Region}.amazonaws.com/{Account}/shop-jobs", "shop-jobs", $"arn:aws:sqs:{Region}:{Account}:shop-jobs", 0, null),
                new QueueFact($"https://sqs.{Region}.amazonaws.com/{Account}/other-queue", "other-queue", $"arn:aws:sqs:{Region}:{Account}:other-queue", 0, null),
            ],
            TargetGroups =
            [
                new JsonObject { ["arn"] = Tg + "web-tg/1", ["name"] = "web-tg", ["port"] = 80, ["targetType"] = "ip" },
                new JsonObject { ["arn"] = Tg + "shop-tg/2", ["name"] = "shop-tg", ["port"] = 80, ["targetType"] = "ip" },
            ],
            SecurityGroups = [new JsonObject { ["groupId"] = "sg-1", ["groupName"] = "shop-web", ["vpcId"] = "vpc-1" }],
            EcsClusters = [new EcsClusterFact("main", $"arn:aws:ecs:{Region}:{Account}:cluster/main", [new EcsServiceFact("shop-api", "td", 1, 1, [], false, null)])],
            EcrRepositories = [new EcrRepositoryFact("shop-images", $"{Account}.dkr.ecr.{Region}.amazonaws.com/shop-images", [])],
            ResourceTags = tags ? new()
            {
                [$"arn:aws:sqs:{Region}:{Account}:orders-dlq"] = shop,
                [$"arn:aws:sqs:{Region}:{Account}:shop-jobs"] = new() { ["pulumi:project"] = "billing" },
                [Tg + "web-tg/1"] = shop,
                [Tg + "shop-tg/2"] = new() { ["aws:cloudformation:stack-name"] = "legacy" },
                [$"arn:aws:ec2:{Region}:{Account}:security-group/sg-1"] = shop,
                [$"arn:aws:ecs:{Region}:{Account}:service/main/shop-api"] = shop,
                [$"arn:aws:ecr:{Region}:{Account}:repository/shop-images"] = shop,
            } : null,
        };
        return new Snapshot
        {
            TakenAt = DateTimeOffset.Parse("2026-12-06T18:00:00Z"),
            Sources = new SnapshotSources { Aws = new AwsSource(Account, [Region], null, null) },
            Aws = aws,
        };
    }

    /// <summary>aws answering get-resources with <paramref name="tagging"/> (null: AccessDenied) and nothing for every other call.</summary>
    private sealed class Canned(string? tagging) : ICommandRunner
    {
        public List<string> Calls { get; } = [];

        public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
        {
            var line = string.Join(' ', [file, .. args]);
            lock (Calls) Calls.Add(line);
            var result = args[0] == "resourcegroupstaggingapi" && tagging == null
                ? new CommandResult(254, "", "An error occurred (AccessDeniedException) when calling the GetResources operation: User is not authorized to perform: tag:GetResources")
                : new CommandResult(0, args[0] == "resourcegroupstaggingapi" ? tagging! : "{}", "");
            return Task.FromResult(result with { CommandLine = line });
        }
    }
}
