using System.Globalization;
using System.Text;
using Groundcrew.Core;
using Groundcrew.Diagnose.Matching;

namespace Groundcrew.Diagnose.Output;

/// <summary>The human report: each match with its quoted evidence, cause, fix, preventing rules and confidence.</summary>
public static class ConsoleReport
{
    public static string Render(DiagnosisReport report, Redactor? redactor = null)
    {
        var sb = new StringBuilder();
        if (report.Matches.Count == 0)
        {
            sb.AppendLine("No known failure matched the input.");
            if (report.UnmatchedErrorLines.Count > 0)
            {
                sb.AppendLine("Lines that looked like errors:");
                foreach (var line in report.UnmatchedErrorLines) sb.AppendLine($"  {line}");
            }
            sb.AppendLine("If this is a failure others will hit, add a signature: see docs/diagnose.md.");
            return Scrub(redactor, sb.ToString());
        }
        sb.AppendLine($"{report.Matches.Count} known failure{(report.Matches.Count == 1 ? "" : "s")} matched (most likely first):");
        var n = 0;
        foreach (var m in report.Matches)
        {
            var s = m.Signature;
            sb.AppendLine();
            sb.AppendLine($"{++n}. {s.Title}  [{s.Id}, confidence {m.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}]");
            sb.AppendLine("   Evidence:");
            foreach (var e in m.Evidence) sb.AppendLine($"     {e}");
            if (m.Captures.Count > 0)
                sb.AppendLine($"     ({string.Join(", ", m.Captures.Select(c => $"{c.Key}: {c.Value}"))})");
            sb.AppendLine($"   Cause: {m.Cause}");
            if (m.Hypotheses.Count > 0)
            {
                sb.AppendLine("   Possible causes, most likely first:");
                var k = 0;
                foreach (var h in m.Hypotheses)
                {
                    sb.AppendLine($"     {++k}. {h.Hypothesis.Cause}");
                    if (h.Support.Count > 0) sb.AppendLine($"        why ranked here: {string.Join("; ", h.Support)}");
                    if (h.Hypothesis.TellsApart.Length > 0) sb.AppendLine($"        tells it apart: {h.Hypothesis.TellsApart}");
                    foreach (var f in h.Hypothesis.Fix) sb.AppendLine($"        fix: {f}");
                }
            }
            sb.AppendLine("   Fix:");
            foreach (var f in m.Fix) sb.AppendLine($"     - {f}");
            var rules = m.PreventedBy;
            sb.AppendLine(rules.Count > 0
                ? $"   Prevented by: groundcrew check rule{(rules.Count == 1 ? "" : "s")} {string.Join(", ", rules)}"
                : "   Prevented by: no check rule yet");
            sb.AppendLine($"   Source: {string.Join(" ", s.Sources)}");
        }
        if (report.CheckEvidence is { Problem: null } check)
            sb.AppendLine().AppendLine($"Ranked with check results from {check.Origin} ({check.FiredRules.Count} rule(s) reported).");
        return Scrub(redactor, sb.ToString());
    }

    // The run's redactor knows the repository's secret values (diagnose --repo); without one, the patterns still apply.
    private static string Scrub(Redactor? redactor, string text) => redactor?.Scrub(text) ?? Redactor.ScrubPatterns(text);
}
