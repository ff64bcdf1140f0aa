using Groundcrew.Live;
using Groundcrew.Diagnose.Input;
using System.Text.Json.Nodes;
using Groundcrew.Core;

namespace Groundcrew.Diagnose.Live;

/// <summary>What to read from a cluster: optional kubeconfig, context, namespace and a `deployment/NAME` target.</summary>
public sealed record KubeTarget(string? Kubeconfig = null, string? Context = null, string? Namespace = null, string? Deployment = null);

/// <summary>
/// Reads a cluster through kubectl, read-only: the pods that are not ready (all of the namespace's, or
/// a deployment's), their events, and the logs of their previous (crashed) containers. Each output is
/// an <see cref="InputDocument"/> for the same readers that handle saved files.
/// </summary>
public sealed class KubeCollector(ICommandRunner runner)
{
    private const int MaxPods = 10;
    private const string LogTail = "200";

    public (IReadOnlyList<InputDocument> Documents, IReadOnlyList<InputProblem> Problems) Collect(KubeTarget target)
    {
        var docs = new List<InputDocument>();
        var problems = new List<InputProblem>();
        var selector = new List<string>();
        if (target.Deployment is { } name)
        {
            var deployment = Kubectl(target, ["get", "deployment", name, "-o", "json"]);
            docs.Add(new InputDocument($"kubectl get deployment {name}", deployment));
            var labels = JsonValues.ParseObject(deployment)["spec"]?["selector"]?["matchLabels"] as JsonObject
                ?? throw new LiveSourceException($"deployment {name} has no spec.selector.matchLabels");
            selector.AddRange(["-l", string.Join(",", labels.Select(p => $"{p.Key}={Label(p.Value)}"))]);
        }
        var pods = JsonValues.ParseObject(Kubectl(target, ["get", "pods", .. selector, "-o", "json"]));
        var notReady = (pods["items"] as JsonArray ?? []).OfType<JsonObject>().Where(IsNotReady).Take(MaxPods).ToList();
        var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. notReady.Select(p => p.DeepClone())]) };
        docs.Add(new InputDocument("kubectl get pods (not ready)", list.ToJsonString(JsonValues.Indented)));
        foreach (var pod in notReady)
        {
            var podName = JsonValues.Str(pod["metadata"]!["name"])!;
            docs.Add(new InputDocument($"kubectl get events for pod/{podName}",
                Kubectl(target, ["get", "events", "--field-selector", $"involvedObject.name={podName}", "-o", "json"])));
            foreach (var container in ContainersThatRestarted(pod))
            {
                var logs = runner.Run("kubectl", [.. Global(target), "logs", podName, "-c", container, "--previous", "--tail", LogTail]);
                if (!logs.Ok)
                    logs = runner.Run("kubectl", [.. Global(target), "logs", podName, "-c", container, "--tail", LogTail]);
                if (logs.Ok)
                    docs.Add(new InputDocument($"kubectl logs {podName} -c {container} --previous", logs.StdOut));
                else
                    problems.Add(new InputProblem($"kubectl logs {podName} -c {container}", logs.StdErr.Trim()));
            }
        }
        return (docs, problems);
    }

    private string Kubectl(KubeTarget target, IReadOnlyList<string> args)
    {
        var result = runner.Run("kubectl", [.. Global(target), .. args]);
        if (LiveErrorClassifier.Classify(result) is { } error)
            throw new LiveSourceException($"kubectl {string.Join(' ', args)} failed: {error.Describe()}; {error.Fix}");
        return result.StdOut;
    }

    private static IEnumerable<string> Global(KubeTarget t)
    {
        if (t.Kubeconfig != null) { yield return "--kubeconfig"; yield return t.Kubeconfig; }
        if (t.Context != null) { yield return "--context"; yield return t.Context; }
        if (t.Namespace != null) { yield return "--namespace"; yield return t.Namespace; }
    }

    // Not ready: any phase but Running/Succeeded, or a Running pod with a container that is not ready.
    private static bool IsNotReady(JsonObject pod)
    {
        var phase = JsonValues.Str(pod["status"]?["phase"]);
        if (phase == "Succeeded") return false;
        if (phase != "Running") return true;
        return (pod["status"]?["containerStatuses"] as JsonArray ?? []).Any(c => JsonValues.Bool(c!["ready"]) != true);
    }

    private static IEnumerable<string> ContainersThatRestarted(JsonObject pod) =>
        (pod["status"]?["initContainerStatuses"] as JsonArray ?? []).Concat(pod["status"]?["containerStatuses"] as JsonArray ?? [])
            .Where(c => (JsonValues.Int(c!["restartCount"]) ?? 0) > 0 || c["lastState"]?["terminated"] != null || c["state"]?["terminated"] != null)
            .Select(c => JsonValues.Str(c!["name"])!);

    // A label value as Json.NET's JToken.ToString() gave it: a string as is, anything else as its JSON.
    private static string Label(JsonNode? value) => JsonValues.IsString(value) ? JsonValues.Str(value)! : value?.ToJsonString() ?? "";
}
