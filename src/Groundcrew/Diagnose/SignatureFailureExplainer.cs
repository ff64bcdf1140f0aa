using Groundcrew.Diagnose.Input;
using Groundcrew.Verify.Rollout;

namespace Groundcrew.Diagnose;

/// <summary>
/// Lets `verify` explain a failed rollout with the `diagnose` signature base: the failed pod's or task's
/// state, events and last logs are matched as one plain-text input.
/// </summary>
public sealed class SignatureFailureExplainer : IFailureExplainer
{
    public IReadOnlyList<string> Explain(FailureEvidence evidence)
    {
        var text = string.Join('\n', evidence.Signals.Concat(evidence.State).Concat(evidence.Events)) + "\n" + (evidence.Logs ?? "");
        var report = DiagnoseRun.Run(new InputDocument(evidence.Subject, text));
        var lines = new List<string>();
        foreach (var match in report.Matches.Take(2))
        {
            var s = match.Signature;
            lines.Add($"diagnose: {s.Title} [{s.Id}] (confidence {match.Confidence:0.00})");
            lines.Add($"  cause: {match.Cause}");
            foreach (var fix in match.Fix.Take(3)) lines.Add($"  fix: {fix}");
            if (match.PreventedBy.Count > 0) lines.Add($"  caught before the deploy by: groundcrew check ({string.Join(", ", match.PreventedBy)})");
        }
        return lines;
    }
}
