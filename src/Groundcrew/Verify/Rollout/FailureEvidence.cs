namespace Groundcrew.Verify.Rollout;

/// <summary>
/// What a failed pod or task looked like: its state, the events about it and its last log lines.
/// <see cref="Signals"/> are the short machine-matchable facts (a waiting reason, "exit code 137",
/// an ECS stoppedReason) that a signature base keys on.
/// </summary>
public sealed record FailureEvidence(
    string Platform,
    string Subject,
    IReadOnlyList<string> State,
    IReadOnlyList<string> Events,
    string? Logs,
    IReadOnlyList<string> Signals);

/// <summary>
/// Turns evidence into a known cause and fix. The `diagnose` verb's signature base is meant to sit
/// behind this; until it is wired in, <see cref="NoFailureExplainer"/> is used and the raw evidence is printed.
/// </summary>
public interface IFailureExplainer
{
    /// <returns>Lines of explanation, or an empty list when nothing known matches.</returns>
    IReadOnlyList<string> Explain(FailureEvidence evidence);
}

public sealed class NoFailureExplainer : IFailureExplainer
{
    public IReadOnlyList<string> Explain(FailureEvidence evidence) => [];
}

/// <summary>The outcome of waiting for one workload.</summary>
public sealed record RolloutResult(
    string Target,
    VerifyExitCode Code,
    string Message,
    TimeSpan Duration,
    IReadOnlyList<FailureEvidence> Evidence,
    IReadOnlyList<string> Explanations)
{
    public bool Passed => Code == VerifyExitCode.Passed;
}

public enum RolloutPhase { Waiting, Done, Failed }

/// <summary>One look at a workload: still going, finished, or failed for good.</summary>
public sealed record RolloutState(RolloutPhase Phase, string Message)
{
    public static RolloutState Waiting(string message) => new(RolloutPhase.Waiting, message);
    public static RolloutState Done(string message) => new(RolloutPhase.Done, message);
    public static RolloutState Failed(string message) => new(RolloutPhase.Failed, message);
}

public sealed record RolloutOptions(TimeSpan Timeout, TimeSpan Interval)
{
    public static readonly RolloutOptions Default = new(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2));
}
