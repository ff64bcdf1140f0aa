using Groundcrew.Core;
using Groundcrew.Diagnose.Matching;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Diagnose.Output;

/// <summary>
/// `--format json`: {"matches": [{id, title, cause, fix, preventedBy, evidence, confidence, ...}]} best first,
/// plus the input problems and, when nothing matched, the lines that looked like errors.
/// </summary>
public static class JsonReport
{
    public static string Render(DiagnosisReport report, Redactor? redactor = null)
    {
        var root = new JObject
        {
            ["matches"] = new JArray(report.Matches.Select(m => new JObject
            {
                ["id"] = m.Signature.Id,
                ["title"] = m.Signature.Title,
                ["cause"] = m.Cause,
                ["fix"] = new JArray(m.Fix),
                ["preventedBy"] = new JArray(m.PreventedBy),
                ["evidence"] = new JArray(m.Evidence.Select(e => e.ToString())),
                ["captures"] = new JObject(m.Captures.Select(c => new JProperty(c.Key, c.Value))), // not FromObject: its reflection serializer does not survive the native build
                ["confidence"] = Math.Round(m.Confidence, 2),
                ["hypotheses"] = new JArray(m.Hypotheses.Select(h => new JObject
                {
                    ["id"] = h.Hypothesis.Id,
                    ["cause"] = h.Hypothesis.Cause,
                    ["fix"] = new JArray(h.Hypothesis.Fix),
                    ["preventedBy"] = new JArray(h.Hypothesis.PreventedBy),
                    ["tellsApart"] = h.Hypothesis.TellsApart,
                    ["score"] = h.Score,
                    ["support"] = new JArray(h.Support),
                })),
                ["sources"] = new JArray(m.Signature.Sources),
            })),
            ["unmatchedErrorLines"] = new JArray(report.UnmatchedErrorLines.Select(e => e.ToString())),
            ["problems"] = new JArray(report.Problems.Select(p => new JObject { ["source"] = p.Source, ["message"] = p.Message })),
        };
        return Scrub(redactor, root.ToString(Formatting.Indented));
    }

    // The run's redactor knows the repository's secret values (diagnose --repo); without one, the patterns still apply.
    private static string Scrub(Redactor? redactor, string text) => redactor?.Scrub(text) ?? Redactor.ScrubPatterns(text);
}
