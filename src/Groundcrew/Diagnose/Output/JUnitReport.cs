using Groundcrew.Core;
using Groundcrew.Diagnose.Matching;
using Groundcrew.Report;

namespace Groundcrew.Diagnose.Output;

/// <summary>
/// `--format junit`: for a CI job that diagnoses a failed deploy. Each matched failure is a failed test
/// case (so it shows up in the CI test tab with its cause and fix); nothing matched is one passing case.
/// </summary>
public static class JUnitReport
{
    public static string Render(DiagnosisReport report, Redactor? redactor = null)
    {
        var junit = new JUnitXml();
        var suite = junit.AddSuite("groundcrew diagnose");
        foreach (var m in report.Matches)
        {
            var text = string.Join("\n", new[] { m.Cause, "", "Evidence:" }
                .Concat(m.Evidence.Select(e => "  " + e))
                .Concat(["", "Fix:"]).Concat(m.Fix.Select(f => "  - " + f))
                .Concat(["", "Prevented by: " + (m.PreventedBy.Count > 0 ? string.Join(", ", m.PreventedBy) : "no check rule yet")]));
            suite.AddCase(m.Signature.Id, $"diagnose.{m.Signature.Family}", failureMessage: m.Signature.Title,
                failureText: text, failureType: "deployment-failure");
        }
        if (report.Matches.Count == 0)
            suite.AddCase("no-known-failure", "diagnose", systemOut: string.Join("\n", report.UnmatchedErrorLines.Select(e => e.ToString())));
        return Scrub(redactor, junit.ToString());
    }

    // The run's redactor knows the repository's secret values (diagnose --repo); without one, the patterns still apply.
    private static string Scrub(Redactor? redactor, string text) => redactor?.Scrub(text) ?? Redactor.ScrubPatterns(text);
}
