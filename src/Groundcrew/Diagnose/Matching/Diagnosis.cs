using Groundcrew.Diagnose.Input;
using Groundcrew.Diagnose.Signatures;

namespace Groundcrew.Diagnose.Matching;

/// <summary>A quoted piece of input that made a signature match. Text is already redacted.</summary>
public sealed record EvidenceLine(string Source, int Line, string Text)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}: {Text}" : $"{Source}: {Text}";
}

/// <summary>A hypothesis with its score and the reasons it got that score, best first in a match.</summary>
public sealed record RankedHypothesis(Hypothesis Hypothesis, double Score, IReadOnlyList<string> Support);

/// <summary>One signature that matched the input, with what it matched on.</summary>
public sealed record DiagnosisMatch(
    Signature Signature,
    double Confidence,
    IReadOnlyList<EvidenceLine> Evidence,
    IReadOnlyDictionary<string, string> Captures,
    IReadOnlyList<RankedHypothesis> Hypotheses)
{
    /// <summary>The signature's cause in terms of this input: the image, role, secret or field the patterns captured.</summary>
    public string Cause => CauseTemplate.Render(Signature.Cause, Captures);

    /// <summary>The fix steps, naming the captured values where the signature refers to them.</summary>
    public IReadOnlyList<string> Fix => Signature.Fix.Select(f => CauseTemplate.Render(f, Captures)).ToList();

    /// <summary>The rules that would have prevented this failure; for a many-cause signature, the likeliest cause's rules first.</summary>
    public IReadOnlyList<string> PreventedBy =>
        Hypotheses.SelectMany(h => h.Hypothesis.PreventedBy).Concat(Signature.PreventedBy).Distinct().ToList();
}

/// <summary>The result of a diagnose run: matches best first, input problems, and, when nothing matched, the lines that looked like errors.</summary>
public sealed record DiagnosisReport(
    IReadOnlyList<DiagnosisMatch> Matches,
    IReadOnlyList<InputProblem> Problems,
    IReadOnlyList<EvidenceLine> UnmatchedErrorLines,
    IReadOnlyList<string> Sources,
    CheckEvidence? CheckEvidence);

/// <summary>Rules a `check` run reported for the repository, used to rank hypotheses.</summary>
public sealed record CheckEvidence(string Origin, IReadOnlySet<string> FiredRules, string? Problem = null);
