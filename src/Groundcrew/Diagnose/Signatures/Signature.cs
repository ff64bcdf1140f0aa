using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Diagnose.Signatures;

/// <summary>
/// One known deployment failure: how to recognise it, why it happens, how to fix it, and which
/// `check` rules would have stopped it before the deploy. Loaded from Data/signatures/*.yaml.
/// </summary>
public sealed record Signature(
    string Id,
    string Family,
    string Title,
    double Confidence,
    IReadOnlyList<MatchClause> Clauses,
    string Cause,
    IReadOnlyList<string> Fix,
    IReadOnlyList<string> PreventedBy,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> YieldsTo,
    YieldScope YieldScope,
    IReadOnlyList<Hypothesis> Hypotheses,
    IReadOnlyList<SignatureExample> Examples,
    IReadOnlyList<string> NearMisses);

/// <summary>
/// A text the signature must match. <see cref="Source"/> says where a real wording was seen (a docs page, a public issue,
/// the emitting tool's source); examples written for the signature have none.
/// </summary>
public sealed record SignatureExample(string Text, string? Source = null)
{
    public override string ToString() => Text;
}

/// <summary>When a signature steps aside for a more specific one it <see cref="Signature.YieldsTo"/>.</summary>
public enum YieldScope
{
    /// <summary>When the specific signature matched anywhere in the run (a generic CrashLoopBackOff and the log line that explains it).</summary>
    Run,
    /// <summary>Only when the specific signature matched the same evidence line (the same message carries the underlying error).</summary>
    Line,
}

/// <summary>
/// One way a signature can match a single observation. Every constraint that is set must hold
/// (structured facts narrow which observations qualify, the message pattern pulls out evidence);
/// a signature matches when any of its clauses does.
/// </summary>
public sealed record MatchClause(
    IReadOnlyList<string> WaitingReasons,
    IReadOnlyList<string> TerminatedReasons,
    IReadOnlyList<string> EventReasons,
    IReadOnlyList<string> ConditionReasons,
    IReadOnlyList<string> StopCodes,
    IReadOnlyList<int> ExitCodes,
    SafeRegex? Message,
    IReadOnlyList<string>? Counters = null)
{
    /// <summary>Facts computed from counters a component logged (<see cref="Input.CounterFacts"/>), e.g. no free pod IPs.</summary>
    public IReadOnlyList<string> CounterFacts => Counters ?? [];

    public bool HasStructuredFact =>
        WaitingReasons.Count + TerminatedReasons.Count + EventReasons.Count + ConditionReasons.Count + StopCodes.Count + ExitCodes.Count
            + CounterFacts.Count > 0;
}

/// <summary>
/// One of several causes behind the same error text (ResourceInitializationError reads the same for a
/// missing permission and for a missing network path). <see cref="SupportedBy"/> are patterns that,
/// found anywhere in the input, make this cause more likely; <see cref="TellsApart"/> says what to look at.
/// </summary>
public sealed record Hypothesis(
    string Id,
    string Cause,
    IReadOnlyList<string> Fix,
    IReadOnlyList<string> PreventedBy,
    string TellsApart,
    IReadOnlyList<SafeRegex> SupportedBy);
