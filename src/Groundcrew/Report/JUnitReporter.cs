using Groundcrew.Check;
using Groundcrew.Core;

namespace Groundcrew.Report;

/// <summary>
/// JUnit XML for CI test tabs: one testsuite per rule that ran, one failing testcase per finding at or above
/// the threshold, one passing testcase for a rule with none.
/// </summary>
public sealed class JUnitReporter : IReporter
{
    public string Name => "junit";

    public void Write(CheckResult result, TextWriter output, ReportSettings settings)
    {
        var scrub = result.Redactor.Scrub;
        var xml = new JUnitXml();
        var byRule = result.Findings.ToLookup(f => f.RuleId);
        var ids = Rules.RuleRegistry.Rules.Where(r => r.Enabled).Select(r => r.Id).Concat(byRule.Select(g => g.Key)).Distinct().Order(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var suite = xml.AddSuite(id);
            var any = false;
            foreach (var f in byRule[id])
            {
                any = true;
                var name = $"{f.Span.File}:{f.Span.StartLine}";
                if (f.Severity >= settings.FailOn)
                    suite.AddCase(name, id, failureMessage: scrub(f.Message), failureType: f.Severity.ToText(),
                        failureText: scrub($"{f.Span.File}:{f.Span.StartLine}:{f.Span.StartColumn}: {f.Message}\nfix: {f.Fix}"));
                else
                    suite.AddCase(name, id, systemOut: scrub($"{f.Severity.ToText()}: {f.Message}"));
            }
            if (!any) suite.AddCase(id, id);
        }
        output.WriteLine(xml.ToString());
    }
}
