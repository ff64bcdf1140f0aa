using Groundcrew.Live;
using Groundcrew.Diagnose.Input;
using System.Text.Json.Nodes;
using Groundcrew.Core;

namespace Groundcrew.Diagnose.Live;

/// <summary>
/// Reads an ECS service through the aws CLI, read-only: the service (its events and failed deployments)
/// and its recently stopped tasks (stopCode, stoppedReason, container reasons and exit codes).
/// Region and endpoint come from the usual AWS configuration (AWS_REGION, AWS_ENDPOINT_URL, profiles).
/// </summary>
public sealed class EcsCollector(ICommandRunner runner)
{
    private const int MaxTasks = 20;

    public IReadOnlyList<InputDocument> Collect(string clusterAndService)
    {
        var slash = clusterAndService.IndexOf('/');
        if (slash <= 0 || slash == clusterAndService.Length - 1)
            throw new LiveSourceException($"--ecs expects CLUSTER/SERVICE, got '{clusterAndService}'");
        var cluster = clusterAndService[..slash];
        var service = clusterAndService[(slash + 1)..];
        var docs = new List<InputDocument>
        {
            new($"aws ecs describe-services {cluster}/{service}", Aws(["ecs", "describe-services", "--cluster", cluster, "--services", service])),
        };
        var list = JsonValues.ParseObject(Aws(["ecs", "list-tasks", "--cluster", cluster, "--service-name", service, "--desired-status", "STOPPED"]));
        var arns = (list["taskArns"] as JsonArray ?? []).Select(a => JsonValues.Str(a)!).Take(MaxTasks).ToList();
        if (arns.Count > 0)
            docs.Add(new InputDocument($"aws ecs describe-tasks {cluster} (stopped tasks of {service})",
                Aws(["ecs", "describe-tasks", "--cluster", cluster, "--tasks", .. arns])));
        return docs;
    }

    private string Aws(IReadOnlyList<string> args)
    {
        var result = runner.Run("aws", [.. args, "--output", "json"]);
        if (LiveErrorClassifier.Classify(result) is { } error)
            throw new LiveSourceException($"aws {string.Join(' ', args.Take(2))} failed: {error.Describe()}; {error.Fix}");
        return result.StdOut;
    }
}
