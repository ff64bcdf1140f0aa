using Groundcrew.Live;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Groundcrew.Core.JsonValues;

namespace Groundcrew.Verify.Rollout;

public sealed record EcsService(string Cluster, string Service)
{
    public static EcsService Parse(string text)
    {
        var slash = text.LastIndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
            throw new ArgumentException($"'{text}' is not CLUSTER/SERVICE");
        return new EcsService(text[..slash], text[(slash + 1)..]);
    }

    public override string ToString() => $"{Cluster}/{Service}";
}

/// <summary>
/// Judges one `aws ecs describe-services` answer. Stable means what `aws ecs wait services-stable`
/// means, made stricter: exactly one deployment, its rolloutState COMPLETED, and running == desired.
/// </summary>
public static class EcsRolloutStatus
{
    public static RolloutState Evaluate(EcsService target, JsonObject describe)
    {
        if ((describe["failures"] as JsonArray)?.FirstOrDefault() is { } failure)
            return RolloutState.Failed($"service {target}: {Str(failure["reason"]) ?? "not found"}");
        if ((describe["services"] as JsonArray)?.FirstOrDefault() is not JsonObject service)
            return RolloutState.Failed($"service {target} not found");

        var status = Str(service["status"]);
        if (status != "ACTIVE") return RolloutState.Failed($"service {target} is {status}");

        var deployments = (service["deployments"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var primary = deployments.FirstOrDefault(d => Str(d["status"]) == "PRIMARY") ?? deployments.FirstOrDefault();
        var desired = Int(service["desiredCount"]) ?? 0;
        var running = Int(service["runningCount"]) ?? 0;
        if (primary == null)
            // The CODE_DEPLOY and EXTERNAL controllers keep no deployments list here; counts are all there is.
            return running == desired
                ? RolloutState.Done($"service {target}: {running}/{desired} running (no ECS deployments listed)")
                : RolloutState.Waiting($"service {target}: {running} of {desired} tasks running");

        var rollout = Str(primary["rolloutState"]);
        var reason = Str(primary["rolloutStateReason"]);
        if (rollout == "FAILED")
            return RolloutState.Failed($"service {target}: deployment {Str(primary["id"])} FAILED: {reason}");
        if (deployments.Count > 1)
            return RolloutState.Waiting($"service {target}: {deployments.Count} deployments active, old tasks still draining");
        var primaryRunning = Int(primary["runningCount"]) ?? running;
        if (running != desired || primaryRunning != desired)
            return RolloutState.Waiting($"service {target}: {running} of {desired} tasks running" +
                                        (rollout != null ? $", rollout {rollout}" : ""));
        // rolloutState is only set for the ECS deployment controller with the circuit breaker era API;
        // when absent, one deployment at full count is the whole definition of stable.
        if (rollout != null && rollout != "COMPLETED")
            return RolloutState.Waiting($"service {target}: rollout {rollout} ({running}/{desired} running)");
        return RolloutState.Done($"service {target}: {running}/{desired} running, rollout {rollout ?? "state not reported"}");
    }

    public static IReadOnlyList<string> RecentEvents(JsonObject describe, int count = 8) =>
        ((describe["services"] as JsonArray)?.FirstOrDefault()?["events"] as JsonArray ?? [])
        .Take(count).Select(e => $"{Str(e!["createdAt"])} {Str(e!["message"])}".Trim()).ToList();

    /// <summary>One evidence record per stopped task, from `aws ecs describe-tasks`.</summary>
    public static IReadOnlyList<FailureEvidence> StoppedTasks(JsonObject describeTasks)
    {
        var evidence = new List<FailureEvidence>();
        foreach (var task in (describeTasks["tasks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var arn = Str(task["taskArn"]) ?? "?";
            var id = arn[(arn.LastIndexOf('/') + 1)..];
            var state = new List<string>
            {
                $"last status {Str(task["lastStatus"])}, stop code {Str(task["stopCode"]) ?? "-"}",
                $"stopped reason: {Str(task["stoppedReason"]) ?? "-"}",
            };
            var signals = new List<string>();
            if (Str(task["stoppedReason"]) is { } stopped) signals.Add(stopped);
            if (Str(task["stopCode"]) is { } stopCode) signals.Add(stopCode);
            foreach (var c in task["containers"] as JsonArray ?? [])
            {
                var line = $"container {Str(c!["name"])}: {Str(c!["lastStatus"])}";
                if (Int(c!["exitCode"]) is { } exit) { line += $" exit code {exit}"; signals.Add($"exit code {exit}"); }
                if (Str(c!["reason"]) is { } r) { line += $": {r}"; signals.Add(r); }
                state.Add(line);
            }
            evidence.Add(new FailureEvidence("ecs", $"task/{id}", state, [], null, signals));
        }
        return evidence;
    }
}

/// <summary>Polls `aws ecs describe-services`; on failure shows the stopped tasks' reasons and the service events.</summary>
public sealed class EcsRolloutWaiter(ICommandRunner runner, string aws, IFailureExplainer explainer, string? region = null)
{

    public Task<RolloutResult[]> WaitAsync(IReadOnlyList<EcsService> services, RolloutOptions options, Action<string>? progress, CancellationToken ct) =>
        Task.WhenAll(services.Select(s => WaitOneAsync(s, options, progress, ct)));

    private async Task<RolloutResult> WaitOneAsync(EcsService target, RolloutOptions options, Action<string>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + options.Timeout;
        string? lastMessage = null;
        JsonObject? last = null;
        while (true)
        {
            var call = await AwsAsync(deadline, ct, "ecs", "describe-services", "--cluster", target.Cluster, "--services", target.Service);
            if (!call.Ok)
            {
                var unreachable = (call.StdErr.Contains("Could not connect to the endpoint") || call.StdErr.Contains("did not answer within")
                                   || call.StdErr.Contains("Connection refused") || call.ExitCode == 127)
                                  && clock.Elapsed < options.Timeout; // cut short by our own deadline: that is a timeout

                if (unreachable || call.StdErr.Contains("ClusterNotFound") || clock.Elapsed >= options.Timeout)
                    return new RolloutResult(target.ToString(), unreachable ? VerifyExitCode.CouldNotConnect : VerifyExitCode.RolloutFailed,
                        $"aws ecs describe-services {target} failed: {KubeRolloutWaiter.LastLine(call.StdErr)}", clock.Elapsed, [], []);
            }
            else
            {
                last = ParseObject(call.StdOut);
                var state = EcsRolloutStatus.Evaluate(target, last);
                if (state.Message != lastMessage) progress?.Invoke(state.Message);
                lastMessage = state.Message;
                if (state.Phase == RolloutPhase.Done)
                    return new RolloutResult(target.ToString(), VerifyExitCode.Passed, state.Message, clock.Elapsed, [], []);
                if (state.Phase == RolloutPhase.Failed)
                    return await FailAsync(target, last, state.Message, clock, ct);
            }
            if (clock.Elapsed + options.Interval > options.Timeout)
                return await FailAsync(target, last, $"timed out after {Flows.Duration.Format(options.Timeout)}: {lastMessage ?? "no answer"}", clock, ct);
            await Task.Delay(options.Interval, ct);
        }
    }

    private async Task<RolloutResult> FailAsync(EcsService target, JsonObject? describe, string message, Stopwatch clock, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + KubeRolloutWaiter.EvidenceBudget;
        var events = describe != null ? EcsRolloutStatus.RecentEvents(describe) : [];
        var evidence = new List<FailureEvidence>();
        var list = await AwsAsync(deadline, ct, "ecs", "list-tasks", "--cluster", target.Cluster, "--service-name", target.Service, "--desired-status", "STOPPED");
        var arns = list.Ok ? (ParseObject(list.StdOut)["taskArns"] as JsonArray ?? []).Select(a => Str(a)!).Take(5).ToList() : [];
        if (arns.Count > 0)
        {
            var tasks = await AwsAsync(deadline, ct, ["ecs", "describe-tasks", "--cluster", target.Cluster, "--tasks", .. arns]);
            if (tasks.Ok)
            {
                try { evidence.AddRange(EcsRolloutStatus.StoppedTasks(ParseObject(tasks.StdOut))); }
                catch (JsonException) { }
            }
        }
        // The service's events once, not repeated under every task: they say why tasks could not be placed or started.
        if (events.Count > 0)
            evidence.Add(new FailureEvidence("ecs", $"service/{target}", [evidence.Count == 0 ? "no stopped tasks found" : "recent service events"], events, null, events.ToList()));
        var explanations = evidence.SelectMany(explainer.Explain).Distinct().ToList();
        return new RolloutResult(target.ToString(), VerifyExitCode.RolloutFailed, message, clock.Elapsed, evidence, explanations);
    }

    private Task<CommandResult> AwsAsync(DateTime deadline, CancellationToken ct, params string[] args)
    {
        var all = new List<string>(args) { "--output", "json" };
        if (region is { Length: > 0 }) all.AddRange(["--region", region]);
        return runner.RunAsync(aws, all, KubeRolloutWaiter.CallTimeoutUntil(deadline), ct);
    }
}
