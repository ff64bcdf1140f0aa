using Groundcrew.Tests.Support;
using FluentAssertions;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Diagnose.Live;

/// <summary>`diagnose --ecs CLUSTER/SERVICE` through the real aws CLI against moto_server on 127.0.0.1.</summary>
[Collection(LiveCollection.Name)]
public sealed class EcsLiveTests : IDisposable
{
    private MotoServer? _moto;

    private MotoServer Moto => _moto ??= new MotoServer();

    // moto places EC2-launch tasks only on registered container instances, so the test registers one.
    private string StopTaskWithReason(string cluster, string service, string reason)
    {
        Moto.Seed("ecs", "create-cluster", new() { ["clusterName"] = cluster });
        var instance = (string)Moto.Seed("ec2", "run-instances", new() { ["ImageId"] = "ami-12c6146b", ["MinCount"] = 1, ["MaxCount"] = 1, ["InstanceType"] = "t3.medium" })["Instances"]![0]!["InstanceId"]!;
        Moto.Seed("ecs", "register-container-instance", new()
        {
            ["cluster"] = cluster,
            ["instanceIdentityDocument"] = new JsonObject { ["instanceId"] = instance, ["region"] = "us-east-1", ["accountId"] = "123456789012" }.ToJsonString(),
        });
        Moto.Seed("ecs", "register-task-definition", new()
        {
            ["family"] = service,
            ["containerDefinitions"] = JsonNode.Parse("""[{"name":"api","image":"211050572089.dkr.ecr.us-east-1.amazonaws.com/stage3v3-api:latest","essential":true,"memory":256,"cpu":128}]"""),
        });
        Moto.Seed("ecs", "create-service", new() { ["cluster"] = cluster, ["serviceName"] = service, ["taskDefinition"] = service, ["desiredCount"] = 1 });
        var task = (string)Moto.Seed("ecs", "run-task", new() { ["cluster"] = cluster, ["taskDefinition"] = service, ["startedBy"] = $"ecs-svc/{service}" })["tasks"]![0]!["taskArn"]!;
        Moto.Seed("ecs", "stop-task", new() { ["cluster"] = cluster, ["task"] = task, ["reason"] = reason });
        return task;
    }

    [RequiresBinaryFact("aws", "moto_server")]
    public void Reads_stopped_tasks_of_the_service_and_explains_them()
    {
        var task = StopTaskWithReason("agentic-aws-stage3v3", "stage3v3-api",
            "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm");

        var result = GroundcrewCli.ExecWith(["diagnose", "--ecs", "agentic-aws-stage3v3/stage3v3-api", "--format", "json"], environment: Moto.Environment.ToDictionary());

        result.ExitCode.Should().Be(0, result.Stderr);
        var match = JObject.Parse(result.Stdout)["matches"]![0]!;
        ((string)match["id"]!).Should().Be("ecs-resource-initialization-error");
        match["evidence"]!.Values<string>().Should().ContainSingle(e => e!.Contains(task.Split('/').Last()) && e.Contains("unable to retrieve secret from asm"));
        match["hypotheses"]!.Select(h => (string)h["id"]!).Should().HaveCount(3);
    }

    [RequiresBinaryFact("aws", "moto_server")]
    public void An_unknown_cluster_is_an_input_error_naming_the_aws_call()
    {
        var result = GroundcrewCli.ExecWith(["diagnose", "--ecs", "no-such-cluster/api"], environment: Moto.Environment.ToDictionary());

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("aws ecs describe-services failed");
    }

    public void Dispose() => _moto?.Dispose();
}
