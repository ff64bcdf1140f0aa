using Groundcrew.Core;
using Groundcrew.Diagnose.Matching;
using Groundcrew.Diagnose.Signatures;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Diagnose.Output;

/// <summary>
/// `--format sarif`: SARIF 2.1.0, one rule per matched signature and one result per match, located at
/// its evidence lines when the evidence came from a file with line numbers.
/// </summary>
public static class SarifReport
{
    public static string Render(DiagnosisReport report, Redactor? redactor = null)
    {
        // Addresses only when the build was told where the docs are (Report/RuleDocs.cs): never a made-up one.
        var docs = Groundcrew.Report.RuleDocs.Built;
        var rules = new JArray(report.Matches.Select(m => new JObject
        {
            ["id"] = m.Signature.Id,
            ["shortDescription"] = new JObject { ["text"] = m.Signature.Title },
            ["fullDescription"] = new JObject { ["text"] = CauseTemplate.Generic(m.Signature.Cause) },
            ["help"] = new JObject { ["text"] = string.Join("\n", m.Signature.Fix.Select(CauseTemplate.Generic)) },
            ["properties"] = new JObject { ["preventedBy"] = new JArray(m.PreventedBy), ["sources"] = new JArray(m.Signature.Sources) },
        }));
        if (docs.BaseUrl != null)
            foreach (var rule in rules.OfType<JObject>()) rule["helpUri"] = docs.DocsUrl("signatures/README.md#" + (string)rule["id"]!);
        var results = new JArray(report.Matches.Select((m, i) =>
        {
            var result = new JObject
            {
                ["ruleId"] = m.Signature.Id,
                ["ruleIndex"] = i,
                ["level"] = m.Confidence >= 0.8 ? "error" : "warning",
                ["message"] = new JObject { ["text"] = $"{m.Signature.Title}. {m.Cause} Fix: {m.Fix[0]}" },
                ["properties"] = new JObject
                {
                    ["confidence"] = Math.Round(m.Confidence, 2),
                    ["evidence"] = new JArray(m.Evidence.Select(e => e.ToString())),
                    ["preventedBy"] = new JArray(m.PreventedBy),
                },
            };
            var located = m.Evidence.Where(e => e.Line > 0 && !e.Source.Contains(' ')).Take(5).ToList();
            if (located.Count > 0)
                result["locations"] = new JArray(located.Select(e => new JObject
                {
                    ["physicalLocation"] = new JObject
                    {
                        ["artifactLocation"] = new JObject { ["uri"] = e.Source.Replace('\\', '/') },
                        ["region"] = new JObject { ["startLine"] = e.Line },
                    },
                }));
            return result;
        }));
        var sarif = new JObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JArray(new JObject
            {
                ["tool"] = new JObject
                {
                    ["driver"] = new JObject
                    {
                        ["name"] = "groundcrew-diagnose",
                        ["rules"] = rules,
                    },
                },
                ["results"] = results,
            }),
        };
        if (docs.DocsUrl("diagnose.md") is { } info) ((JObject)sarif["runs"]![0]!["tool"]!["driver"]!)["informationUri"] = info;
        return Scrub(redactor, sarif.ToString(Formatting.Indented));
    }

    // The run's redactor knows the repository's secret values (diagnose --repo); without one, the patterns still apply.
    private static string Scrub(Redactor? redactor, string text) => redactor?.Scrub(text) ?? Redactor.ScrubPatterns(text);
}
