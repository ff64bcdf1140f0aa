using Groundcrew.Live;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Groundcrew.Core.JsonValues;

namespace Groundcrew.Verify.Rollout;

/// <summary>A workload to wait for: deployment/NAME, statefulset/NAME or daemonset/NAME (short forms accepted).</summary>
public sealed record KubeWorkload(string Kind, string Name)
{
    public static KubeWorkload Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0) return new KubeWorkload("deployment", text); // like `kubectl scale`, bare names are deployments
        var kind = text[..slash].ToLowerInvariant() switch
        {
            "deployment" or "deployments" or "deploy" or "deployment.apps" => "deployment",
            "statefulset" or "statefulsets" or "sts" or "statefulset.apps" => "statefulset",
            "daemonset" or "daemonsets" or "ds" or "daemonset.apps" => "daemonset",
            var other => throw new ArgumentException($"'{other}' cannot be waited for: use deployment/, statefulset/ or daemonset/"),
        };
        var name = text[(slash + 1)..];
        if (name.Length == 0) throw new ArgumentException($"'{text}' has no name");
        return new KubeWorkload(kind, name);
    }

    public override string ToString() => $"{Kind}/{Name}";
}

public sealed record KubeConnection(string Kubectl, string? Context, string? Namespace, string? Kubeconfig)
{
    public List<string> Args(params string[] args)
    {
        var all = new List<string>(args);
        if (Namespace is { Length: > 0 }) all.AddRange(["--namespace", Namespace]);
        if (Context is { Length: > 0 }) all.AddRange(["--context", Context]);
        if (Kubeconfig is { Length: > 0 }) all.AddRange(["--kubeconfig", Kubeconfig]);
        all.Add("--request-timeout=15s");
        return all;
    }
}

/// <summary>
/// Polls `kubectl get -o json` until every workload is rolled out, one has failed, or the timeout
/// passes. Unlike `kubectl rollout status` it stops early when pods are crash-looping or cannot pull
/// their image (E5), and on any failure it collects the pods' state, events and last logs.
/// </summary>
public sealed class KubeRolloutWaiter(ICommandRunner runner, KubeConnection kube, IFailureExplainer explainer)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    // The aws CLI alone takes a second or more to start (several on a loaded CI runner); a shorter limit would turn a slow start into "unreachable".
    private static readonly TimeSpan MinimumCall = TimeSpan.FromSeconds(10);

    /// <summary>After a failure, collecting pod evidence gets this long in total, so the run still ends promptly.</summary>
    internal static readonly TimeSpan EvidenceBudget = TimeSpan.FromSeconds(15);

    /// <summary>No single call may run past the deadline (give or take a second to get an answer at all).</summary>
    internal static TimeSpan CallTimeoutUntil(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left < MinimumCall ? MinimumCall : left < CallTimeout ? left : CallTimeout;
    }

    public Task<RolloutResult[]> WaitAsync(IReadOnlyList<KubeWorkload> workloads, RolloutOptions options, Action<string>? progress, CancellationToken ct) =>
        Task.WhenAll(workloads.Select(w => WaitOneAsync(w, options, progress, ct)));

    private async Task<RolloutResult> WaitOneAsync(KubeWorkload workload, RolloutOptions options, Action<string>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + options.Timeout;
        string? lastMessage = null;
        JsonObject? last = null;
        while (true)
        {
            var get = await runner.RunAsync(kube.Kubectl, kube.Args("get", workload.Kind, workload.Name, "-o", "json"), CallTimeoutUntil(deadline), ct);
            if (!get.Ok)
            {
                // A call cut short by our own deadline is the rollout timing out, not the cluster being unreachable.
                var code = CouldNotReach(get.StdErr) && clock.Elapsed < options.Timeout ? VerifyExitCode.CouldNotConnect : VerifyExitCode.RolloutFailed;
                // A transient API error should not end the wait; an absent workload or unreachable cluster should.
                if (code == VerifyExitCode.CouldNotConnect || get.StdErr.Contains("NotFound") || get.StdErr.Contains("not found") || clock.Elapsed >= options.Timeout)
                    return new RolloutResult(workload.ToString(), code, $"kubectl get {workload} failed: {LastLine(get.StdErr)}", clock.Elapsed, [], []);
            }
            else
            {
                last = ParseObject(get.StdOut);
                var state = KubeRolloutStatus.Evaluate(workload.Kind, last);
                if (state.Message != lastMessage) progress?.Invoke(state.Message);
                lastMessage = state.Message;
                if (state.Phase == RolloutPhase.Done)
                    return new RolloutResult(workload.ToString(), VerifyExitCode.Passed, state.Message, clock.Elapsed, [], []);
                if (state.Phase == RolloutPhase.Failed)
                    return await FailAsync(workload, last, state.Message, clock, ct);

                var pods = await PodsAsync(last, deadline, ct);
                var broken = pods.Where(p => PodHealth.Problems(p).Count > 0).ToList();
                if (broken.Count > 0)
                {
                    var problem = PodHealth.Problems(broken[0])[0];
                    return await FailAsync(workload, last,
                        $"{workload}: pod {PodName(broken[0])} is {problem.Reason}; waiting longer will not fix it", clock, ct, pods);
                }
            }
            if (clock.Elapsed + options.Interval > options.Timeout)
                return last == null
                    ? new RolloutResult(workload.ToString(), VerifyExitCode.RolloutFailed, $"{workload}: timed out after {Flows.Duration.Format(options.Timeout)}", clock.Elapsed, [], [])
                    : await FailAsync(workload, last, $"timed out after {Flows.Duration.Format(options.Timeout)}: {lastMessage}", clock, ct);
            await Task.Delay(options.Interval, ct);
        }
    }

    private async Task<RolloutResult> FailAsync(KubeWorkload workload, JsonObject obj, string message, Stopwatch clock, CancellationToken ct, List<JsonObject>? pods = null)
    {
        var deadline = DateTime.UtcNow + EvidenceBudget;
        pods ??= await PodsAsync(obj, deadline, ct);
        // Explain the broken pods first; when none is broken (a slow readiness probe, say), the unready ones.
        var suspects = pods.Where(p => PodHealth.Problems(p).Count > 0).ToList();
        if (suspects.Count == 0) suspects = pods.Where(p => !PodHealth.IsReady(p)).ToList();
        var evidence = new List<FailureEvidence>();
        foreach (var pod in suspects.Take(3))
            evidence.Add(await EvidenceAsync(pod, deadline, ct));
        var explanations = evidence.SelectMany(explainer.Explain).Distinct().ToList();
        return new RolloutResult(workload.ToString(), VerifyExitCode.RolloutFailed, message, clock.Elapsed, evidence, explanations);
    }

    private async Task<List<JsonObject>> PodsAsync(JsonObject workload, DateTime deadline, CancellationToken ct)
    {
        if (KubeRolloutStatus.Selector(workload) is not { } selector) return [];
        var result = await runner.RunAsync(kube.Kubectl, kube.Args("get", "pods", "-l", selector, "-o", "json"), CallTimeoutUntil(deadline), ct);
        if (!result.Ok) return [];
        try { return (ParseObject(result.StdOut)["items"] as JsonArray ?? []).OfType<JsonObject>().ToList(); }
        catch (JsonException) { return []; }
    }

    private async Task<FailureEvidence> EvidenceAsync(JsonObject pod, DateTime deadline, CancellationToken ct)
    {
        var name = PodName(pod);
        var problems = PodHealth.Problems(pod);
        var signals = problems.Select(p => p.Reason).Concat(problems.Select(p => p.Message).OfType<string>()).ToList();

        var events = new List<string>();
        var ev = await runner.RunAsync(kube.Kubectl,
            kube.Args("get", "events", "--field-selector", $"involvedObject.name={name}", "-o", "json"), CallTimeoutUntil(deadline), ct);
        if (ev.Ok)
        {
            try
            {
                foreach (var e in (ParseObject(ev.StdOut)["items"] as JsonArray ?? []).TakeLast(10))
                {
                    events.Add($"{Str(e!["type"])} {Str(e!["reason"])}: {Str(e!["message"])}");
                    if (Str(e!["reason"]) is { } reason) signals.Add(reason);
                    if (Str(e!["message"]) is { } m) signals.Add(m);
                }
            }
            catch (JsonException) { }
        }

        // Logs of the container that failed; --previous shows the crashed run rather than the new, empty one.
        var container = problems.FirstOrDefault(p => p.Container != "-")?.Container
                        ?? Str(pod["spec"]?["containers"]?[0]?["name"]);
        string? logs = null;
        if (container != null)
        {
            var previous = problems.FirstOrDefault(p => p.Container == container)?.HasPrevious == true;
            var args = new List<string> { "logs", name, "-c", container, "--tail=20" };
            if (previous) args.Add("--previous");
            var log = await runner.RunAsync(kube.Kubectl, kube.Args([.. args]), CallTimeoutUntil(deadline), ct);
            logs = log.Ok ? log.StdOut.TrimEnd() : $"(no logs: {LastLine(log.StdErr)})";
            if (log.Ok) signals.AddRange(log.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5));
        }
        return new FailureEvidence("kubernetes", $"pod/{name}", PodHealth.StateLines(pod), events, logs, signals);
    }

    private static string PodName(JsonObject pod) => Str(pod["metadata"]?["name"]) ?? "?";

    internal static bool CouldNotReach(string stderr) =>
        stderr.Contains("Unable to connect to the server") || stderr.Contains("connection refused") || stderr.Contains("was refused")
        || stderr.Contains("no such host") || stderr.Contains("did not answer within") || stderr.Contains("i/o timeout");

    /// <summary>kubectl and aws put their conclusion last, after klog noise; that line is the one to show.</summary>
    internal static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
