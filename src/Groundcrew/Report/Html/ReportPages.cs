using Groundcrew.Core;
using Groundcrew.Verify.Reporting;

namespace Groundcrew.Report.Html;

/// <summary>
/// `verify` and `diagnose` as HTML, in the check report's style. The data is each verb's JSON report (redacted the same
/// way as its other formats), rendered by the page's script: one source of truth for what each format says.
/// </summary>
public static class ReportPages
{
    public static string Verify(VerifyRunResult run, Redactor redactor)
    {
        using var o = new StringWriter();
        HtmlPage.Write(o, "Groundcrew verify report", "verify.js", ReportWriters.Json(run, redactor));
        return o.ToString();
    }

    public static string Diagnose(Groundcrew.Diagnose.Matching.DiagnosisReport report)
    {
        using var o = new StringWriter();
        HtmlPage.Write(o, "Groundcrew diagnose report", "diagnose.js", Groundcrew.Diagnose.Output.JsonReport.Render(report));
        return o.ToString();
    }
}
