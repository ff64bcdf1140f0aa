using Newtonsoft.Json.Linq;

namespace Groundcrew.Verify.Rollout;

/// <summary>
/// The same judgement `kubectl rollout status` makes (its StatusViewers), read from the object's
/// JSON: the controller must have observed the latest generation, and every replica must be
/// updated and available with no old ones left.
/// </summary>
public static class KubeRolloutStatus
{
    public static RolloutState Evaluate(string kind, JObject obj) => kind switch
    {
        "deployment" => Deployment(obj),
        "statefulset" => StatefulSet(obj),
        "daemonset" => DaemonSet(obj),
        _ => RolloutState.Failed($"cannot wait for a {kind}"),
    };

    private static RolloutState Deployment(JObject d)
    {
        var name = Name(d);
        if (!GenerationObserved(d)) return RolloutState.Waiting($"deployment {name}: waiting for the spec update to be observed");
        var progressing = (d["status"]?["conditions"] as JArray)?.FirstOrDefault(c => (string?)c["type"] == "Progressing");
        if ((string?)progressing?["reason"] == "ProgressDeadlineExceeded")
            return RolloutState.Failed($"deployment {name} exceeded its progress deadline: {(string?)progressing!["message"]}");
        var desired = Int(d, "spec", "replicas", 1);
        var updated = Int(d, "status", "updatedReplicas");
        var total = Int(d, "status", "replicas");
        var available = Int(d, "status", "availableReplicas");
        if (updated < desired) return RolloutState.Waiting($"deployment {name}: {updated} of {desired} new replicas updated");
        if (total > updated) return RolloutState.Waiting($"deployment {name}: {total - updated} old replicas pending termination");
        if (available < updated) return RolloutState.Waiting($"deployment {name}: {available} of {updated} updated replicas available");
        return RolloutState.Done($"deployment {name} rolled out ({available}/{desired} available)");
    }

    private static RolloutState StatefulSet(JObject s)
    {
        var name = Name(s);
        var strategy = (string?)s["spec"]?["updateStrategy"]?["type"] ?? "RollingUpdate";
        if (strategy != "RollingUpdate")
            return RolloutState.Failed($"statefulset {name} uses the {strategy} strategy: its rollout has no status to wait for");
        if (!GenerationObserved(s)) return RolloutState.Waiting($"statefulset {name}: waiting for the spec update to be observed");
        var desired = Int(s, "spec", "replicas", 1);
        var ready = Int(s, "status", "readyReplicas");
        if (ready < desired) return RolloutState.Waiting($"statefulset {name}: {ready} of {desired} pods ready");
        var partition = (int?)s["spec"]?["updateStrategy"]?["rollingUpdate"]?["partition"];
        if (partition is > 0)
        {
            var updated = Int(s, "status", "updatedReplicas");
            return updated < desired - partition
                ? RolloutState.Waiting($"statefulset {name}: {updated} of {desired - partition} partitioned pods updated")
                : RolloutState.Done($"statefulset {name}: partitioned rollout complete ({updated} new pods)");
        }
        var current = (string?)s["status"]?["currentRevision"];
        var update = (string?)s["status"]?["updateRevision"];
        if (update != null && current != update)
            return RolloutState.Waiting($"statefulset {name}: {Int(s, "status", "updatedReplicas")} pods at revision {update}");
        return RolloutState.Done($"statefulset {name} rolled out ({ready}/{desired} ready)");
    }

    private static RolloutState DaemonSet(JObject ds)
    {
        var name = Name(ds);
        var strategy = (string?)ds["spec"]?["updateStrategy"]?["type"] ?? "RollingUpdate";
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

    private static bool GenerationObserved(JObject o) =>
        (long?)o["metadata"]?["generation"] is not { } generation
        || (long?)o["status"]?["observedGeneration"] is { } observed && observed >= generation;

    private static string Name(JObject o) => (string?)o["metadata"]?["name"] ?? "?";

    private static int Int(JObject o, string section, string field, int fallback = 0) =>
        (int?)o[section]?[field] ?? fallback;

    /// <summary>matchLabels as a `-l` selector; matchExpressions are left out (only narrows less, never misses pods).</summary>
    public static string? Selector(JObject workload)
    {
        if (workload["spec"]?["selector"]?["matchLabels"] is not JObject labels || labels.Count == 0) return null;
        return string.Join(",", labels.Properties().Select(p => $"{p.Name}={p.Value}"));
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

    public static IReadOnlyList<ContainerProblem> Problems(JObject pod)
    {
        var problems = new List<ContainerProblem>();
        var statuses = (pod["status"]?["initContainerStatuses"] as JArray ?? [])
            .Concat(pod["status"]?["containerStatuses"] as JArray ?? []);
        foreach (var status in statuses)
        {
            var waiting = status["state"]?["waiting"];
            var terminated = status["state"]?["terminated"];
            var restarts = (int?)status["restartCount"] ?? 0;
            var name = (string?)status["name"] ?? "?";
            if ((string?)waiting?["reason"] is { } reason && BrokenReasons.Contains(reason)
                && (!IsCrash(reason) || restarts >= CrashRestartsBeforeFailing))
                problems.Add(new ContainerProblem(name, reason, (string?)waiting!["message"], restarts, restarts > 0));
            else if (terminated != null && (int?)terminated["exitCode"] is { } code && code != 0 && restarts >= CrashRestartsBeforeFailing)
                problems.Add(new ContainerProblem(name, $"{(string?)terminated["reason"] ?? "Terminated"} (exit code {code})",
                    (string?)terminated["message"], restarts, false));
        }
        if ((string?)pod["status"]?["phase"] == "Failed" && problems.Count == 0)
            problems.Add(new ContainerProblem("-", "pod phase Failed", (string?)pod["status"]?["message"], 0, false));
        return problems;
    }

    public static bool IsReady(JObject pod) =>
        (pod["status"]?["conditions"] as JArray)?.Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;

    /// <summary>One line per container: what a person would read in `kubectl describe pod`.</summary>
    public static List<string> StateLines(JObject pod)
    {
        var lines = new List<string> { $"phase {(string?)pod["status"]?["phase"] ?? "?"}" };
        foreach (var status in pod["status"]?["containerStatuses"] as JArray ?? [])
        {
            var state = status["state"] as JObject;
            var (kind, detail) = state?.Properties().FirstOrDefault() is { } p ? (p.Name, (JObject)p.Value) : ("unknown", new JObject());
            var reason = (string?)detail["reason"];
            var exit = (int?)detail["exitCode"];
            var line = $"container {(string?)status["name"]}: {kind}{(reason != null ? " " + reason : "")}" +
                       $"{(exit != null ? $" exit code {exit}" : "")}, restarts {(int?)status["restartCount"] ?? 0}";
            if ((string?)detail["message"] is { Length: > 0 } message) line += $": {message}";
            if (status["lastState"]?["terminated"] is JObject last)
                line += $"; last terminated {(string?)last["reason"]} exit code {(int?)last["exitCode"]}";
            lines.Add(line);
        }
        return lines;
    }
}
