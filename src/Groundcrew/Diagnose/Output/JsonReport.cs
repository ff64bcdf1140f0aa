using Groundcrew.Core;
using Groundcrew.Diagnose.Matching;
using System.Text.Json.Nodes;

namespace Groundcrew.Diagnose.Output;

/// <summary>
/// `--format json`: {"matches": [{id, title, cause, fix, preventedBy, evidence, confidence, ...}]} best first,
/// plus the input problems and, when nothing matched, the lines that looked like errors.
/// </summary>
public static class JsonReport
{
    public static string Render(DiagnosisReport report, Redactor? redactor = null)
    {
        var root = new JsonObject
        {
            ["matches"] = new JsonArray([.. report.Matches.Select(m => new JsonObject
            {
                ["id"] = m.Signature.Id,
                ["title"] = m.Signature.Title,
                ["cause"] = m.Cause,
                ["fix"] = JsonValues.Strings(m.Fix),
                ["preventedBy"] = JsonValues.Strings(m.PreventedBy),
                ["evidence"] = JsonValues.Strings(m.Evidence.Select(e => e.ToString())),
                ["captures"] = new JsonObject(m.Captures.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
                ["confidence"] = JsonValues.Number(Math.Round(m.Confidence, 2)),
                ["hypotheses"] = new JsonArray([.. m.Hypotheses.Select(h => new JsonObject
                {
                    ["id"] = h.Hypothesis.Id,
                    ["cause"] = h.Hypothesis.Cause,
                    ["fix"] = JsonValues.Strings(h.Hypothesis.Fix),
                    ["preventedBy"] = JsonValues.Strings(h.Hypothesis.PreventedBy),
                    ["tellsApart"] = h.Hypothesis.TellsApart,
                    ["score"] = JsonValues.Number(h.Score),
                    ["support"] = JsonValues.Strings(h.Support),
                })]),
                ["sources"] = JsonValues.Strings(m.Signature.Sources),
            })]),
            ["unmatchedErrorLines"] = JsonValues.Strings(report.UnmatchedErrorLines.Select(e => e.ToString())),
            ["problems"] = new JsonArray([.. report.Problems.Select(p => new JsonObject { ["source"] = p.Source, ["message"] = p.Message })]),
        };
        return Scrub(redactor, root.ToJsonString(JsonValues.Indented));
    }

    // The run's redactor knows the repository's secret values (diagnose --repo); without one, the patterns still apply.
    private static string Scrub(Redactor? redactor, string text) => redactor?.Scrub(text) ?? Redactor.ScrubPatterns(text);
}
