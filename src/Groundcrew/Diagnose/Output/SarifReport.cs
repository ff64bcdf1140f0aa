using Groundcrew.Core;
using Groundcrew.Diagnose.Matching;
using Groundcrew.Diagnose.Signatures;
using System.Text.Json.Nodes;

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
        var rules = new JsonArray([.. report.Matches.Select(m => new JsonObject
        {
            ["id"] = m.Signature.Id,
            ["shortDescription"] = new JsonObject { ["text"] = m.Signature.Title },
            ["fullDescription"] = new JsonObject { ["text"] = CauseTemplate.Generic(m.Signature.Cause) },
            ["help"] = new JsonObject { ["text"] = string.Join("\n", m.Signature.Fix.Select(CauseTemplate.Generic)) },
            ["properties"] = new JsonObject { ["preventedBy"] = JsonValues.Strings(m.PreventedBy), ["sources"] = JsonValues.Strings(m.Signature.Sources) },
        })]);
        if (docs.BaseUrl != null)
            foreach (var rule in rules.OfType<JsonObject>()) rule["helpUri"] = docs.DocsUrl("signatures/README.md#" + JsonValues.Str(rule["id"]));
        var results = new JsonArray([.. report.Matches.Select((m, i) =>
        {
            var result = new JsonObject
            {
                ["ruleId"] = m.Signature.Id,
                ["ruleIndex"] = i,
                ["level"] = m.Confidence >= 0.8 ? "error" : "warning",
                ["message"] = new JsonObject { ["text"] = $"{m.Signature.Title}. {m.Cause} Fix: {m.Fix[0]}" },
                ["properties"] = new JsonObject
                {
                    ["confidence"] = JsonValues.Number(Math.Round(m.Confidence, 2)),
                    ["evidence"] = JsonValues.Strings(m.Evidence.Select(e => e.ToString())),
                    ["preventedBy"] = JsonValues.Strings(m.PreventedBy),
                },
            };
            var located = m.Evidence.Where(e => e.Line > 0 && !e.Source.Contains(' ')).Take(5).ToList();
            if (located.Count > 0)
                result["locations"] = new JsonArray([.. located.Select(e => new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = e.Source.Replace('\\', '/') },
                        ["region"] = new JsonObject { ["startLine"] = e.Line },
                    },
                })]);
            return result;
        })]);
        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "groundcrew-diagnose",
                        ["rules"] = rules,
                    },
                },
                ["results"] = results,
            }),
        };
        if (docs.DocsUrl("diagnose.md") is { } info) ((JsonObject)sarif["runs"]![0]!["tool"]!["driver"]!)["informationUri"] = info;
        return Scrub(redactor, sarif.ToJsonString(JsonValues.Indented));
    }

    // The run's redactor knows the repository's secret values (diagnose --repo); without one, the patterns still apply.
    private static string Scrub(Redactor? redactor, string text) => redactor?.Scrub(text) ?? Redactor.ScrubPatterns(text);
}
