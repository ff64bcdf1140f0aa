using System.Text.Json.Nodes;
using static Groundcrew.Core.JsonValues;

namespace Groundcrew.Verify.Rollout;

/// <summary>
/// The same judgement `kubectl rollout status` makes (its StatusViewers), read from the object's
/// JSON: the controller must have observed the latest generation, and every replica must be
/// updated and available with no old ones left.
/// </summary>
public static class KubeRolloutStatus
{
    public static RolloutState Evaluate(string kind, JsonObject obj) => kind switch
    {
        "deployment" => Deployment(obj),
        "statefulset" => StatefulSet(obj),
        "daemonset" => DaemonSet(obj),
        _ => RolloutState.Failed($"cannot wait for a {kind}"),
    };

    private static RolloutState Deployment(JsonObject d)
    {
        var name = Name(d);
        if (!GenerationObserved(d)) return RolloutState.Waiting($"deployment {name}: waiting for the spec update to be observed");
        var progressing = (d["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => Str(c!["type"]) == "Progressing");
        if (Str(progressing?["reason"]) == "ProgressDeadlineExceeded")
            return RolloutState.Failed($"deployment {name} exceeded its progress deadline: {Str(progressing!["message"])}");
        var desired = Int(d, "spec", "replicas", 1);
        var updated = Int(d, "status", "updatedReplicas");
        var total = Int(d, "status", "replicas");
        var available = Int(d, "status", "availableReplicas");
        if (updated < desired) return RolloutState.Waiting($"deployment {name}: {updated} of {desired} new replicas updated");
        if (total > updated) return RolloutState.Waiting($"deployment {name}: {total - updated} old replicas pending termination");
        if (available < updated) return RolloutState.Waiting($"deployment {name}: {available} of {updated} updated replicas available");
        return RolloutState.Done($"deployment {name} rolled out ({available}/{desired} available)");
    }

    private static RolloutState StatefulSet(JsonObject s)
    {
        var name = Name(s);
        var strategy = Str(s["spec"]?["updateStrategy"]?["type"]) ?? "RollingUpdate";
        if (strategy != "RollingUpdate")
            return RolloutState.Failed($"statefulset {name} uses the {strategy} strategy: its rollout has no status to wait for");
        if (!GenerationObserved(s)) return RolloutState.Waiting($"statefulset {name}: waiting for the spec update to be observed");
        var desired = Int(s, "spec", "replicas", 1);
        var ready = Int(s, "status", "readyReplicas");
        if (ready < desired) return RolloutState.Waiting($"statefulset {name}: {ready} of {desired} pods ready");
        var partition = Groundcrew.Core.JsonValues.Int(s["spec"]?["updateStrategy"]?["rollingUpdate"]?["partition"]);
        if (partition is > 0)
        {
            var updated = Int(s, "status", "updatedReplicas");
            return updated < desired - partition
                ? RolloutState.Waiting($"statefulset {name}: {updated} of {desired - partition} partitioned pods updated")
                : RolloutState.Done($"statefulset {name}: partitioned rollout complete ({updated} new pods)");
        }
        var current = Str(s["status"]?["currentRevision"]);
        var update = Str(s["status"]?["updateRevision"]);
        if (update != null && current != update)
            return RolloutState.Waiting($"statefulset {name}: {Int(s, "status", "updatedReplicas")} pods at revision {update}");
        return RolloutState.Done($"statefulset {name} rolled out ({ready}/{desired} ready)");
    }

    private static RolloutState DaemonSet(JsonObject ds)
    {
        var name = Name(ds);
        var strategy = Str(ds["spec"]?["updateStrategy"]?["type"]) ?? "RollingUpdate";
        if (strategy != "RollingUpdate")
            return RolloutState.Failed($"daemonset {name} uses the {strategy} strategy: its rollout has no status to wait for");
        if (!GenerationObserved(ds)) return RolloutState.Waiting($"daemonset {name}: waiting for the spec update to be observed");
        var desired = Int(ds, "status", "desiredNumberScheduled");
        var updated = Int(ds, "status", "updatedNumberScheduled");
        var available = Int(ds, "status", "numberAvailable");
        if (updated < desired) return RolloutState.Waiting($"daemonset {name}: {updated} of {desired} pods updated");
        if (available < desired) return RolloutState.Waiting($"daemonset {name}: {available} of {desired} updated pods available");
        return RolloutState.Done($"daemonset {name} rolled out ({available}/{desired} available)");
    }

    private static bool GenerationObserved(JsonObject o) =>
        Long(o["metadata"]?["generation"]) is not { } generation
        || Long(o["status"]?["observedGeneration"]) is { } observed && observed >= generation;

    private static string Name(JsonObject o) => Str(o["metadata"]?["name"]) ?? "?";

    private static int Int(JsonObject o, string section, string field, int fallback = 0) =>
        Groundcrew.Core.JsonValues.Int(o[section]?[field]) ?? fallback;

    // A label value as Json.NET's JToken.ToString() gave it: a string as is, anything else as its JSON.
    private static string Label(JsonNode? value) => IsString(value) ? Str(value)! : value?.ToJsonString() ?? "";

    /// <summary>matchLabels as a `-l` selector; matchExpressions are left out (only narrows less, never misses pods).</summary>
    public static string? Selector(JsonObject workload)
    {
        if (workload["spec"]?["selector"]?["matchLabels"] is not JsonObject labels || labels.Count == 0) return null;
        return string.Join(",", labels.Select(p => $"{p.Key}={Label(p.Value)}"));
    }
}

/// <summary>Reads pod JSON for the states that will not heal by waiting longer.</summary>
public static class PodHealth
{
    /// <summary>
    /// Waiting reasons that mean "broken", not "starting". ErrImagePull is left out on purpose: it is
    /// often a single transient pull failure; it becomes ImagePullBackOff when it repeats.
    /// </summary>
    public static readonly IReadOnlySet<string> BrokenReasons = new HashSet<string>
    {
        "CrashLoopBackOff", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError",
        "CreateContainerError", "RunContainerError",
    };

    /// <summary>
    /// A container that crashed once may just have started before its database; one that has been
    /// restarted this many times is crash-looping. Image and config errors need no such patience.
    /// </summary>
    public const int CrashRestartsBeforeFailing = 2;

    private static bool IsCrash(string reason) => reason == "CrashLoopBackOff" || reason == "RunContainerError";

    public sealed record ContainerProblem(string Container, string Reason, string? Message, int Restarts, bool HasPrevious);

    public static IReadOnlyList<ContainerProblem> Problems(JsonObject pod)
    {
        var problems = new List<ContainerProblem>();
        var statuses = (pod["status"]?["initContainerStatuses"] as JsonArray ?? [])
            .Concat(pod["status"]?["containerStatuses"] as JsonArray ?? []);
        foreach (var status in statuses)
        {
            var waiting = status!["state"]?["waiting"];
            var terminated = status!["state"]?["terminated"];
            var restarts = Int(status!["restartCount"]) ?? 0;
            var name = Str(status!["name"]) ?? "?";
            if (Str(waiting?["reason"]) is { } reason && BrokenReasons.Contains(reason)
                && (!IsCrash(reason) || restarts >= CrashRestartsBeforeFailing))
                problems.Add(new ContainerProblem(name, reason, Str(waiting!["message"]), restarts, restarts > 0));
            else if (terminated != null && Int(terminated["exitCode"]) is { } code && code != 0 && restarts >= CrashRestartsBeforeFailing)
                problems.Add(new ContainerProblem(name, $"{Str(terminated["reason"]) ?? "Terminated"} (exit code {code})",
                    Str(terminated["message"]), restarts, false));
        }
        if (Str(pod["status"]?["phase"]) == "Failed" && problems.Count == 0)
            problems.Add(new ContainerProblem("-", "pod phase Failed", Str(pod["status"]?["message"]), 0, false));
        return problems;
    }

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.Any(c => Str(c!["type"]) == "Ready" && Str(c!["status"]) == "True") == true;

    /// <summary>One line per container: what a person would read in `kubectl describe pod`.</summary>
    public static List<string> StateLines(JsonObject pod)
    {
        var lines = new List<string> { $"phase {Str(pod["status"]?["phase"]) ?? "?"}" };
        foreach (var status in pod["status"]?["containerStatuses"] as JsonArray ?? [])
        {
            var state = status!["state"] as JsonObject;
            var (kind, detail) = state is { Count: > 0 } ? (state.First().Key, (JsonObject)state.First().Value!) : ("unknown", new JsonObject());
            var reason = Str(detail["reason"]);
            var exit = Int(detail["exitCode"]);
            var line = $"container {Str(status!["name"])}: {kind}{(reason != null ? " " + reason : "")}" +
                       $"{(exit != null ? $" exit code {exit}" : "")}, restarts {Int(status!["restartCount"]) ?? 0}";
            if (Str(detail["message"]) is { Length: > 0 } message) line += $": {message}";
            if (status!["lastState"]?["terminated"] is JsonObject last)
                line += $"; last terminated {Str(last["reason"])} exit code {Int(last["exitCode"])}";
            lines.Add(line);
        }
        return lines;
    }
}
