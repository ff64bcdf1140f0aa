using System.Text.Json;
using System.Text.Json.Nodes;
using Groundcrew.Check;
using Groundcrew.Core;

namespace Groundcrew.Report;

/// <summary>Machine-readable findings: one object with a summary and a findings array. Field names are stable.</summary>
public sealed class JsonReporter : IReporter
{
    public string Name => "json";

    public void Write(CheckResult result, TextWriter output, ReportSettings settings)
    {
        var scrub = result.Redactor.Scrub;
        var findings = new JsonArray();
        foreach (var f in result.Findings)
        {
            var o = new JsonObject
            {
                ["ruleId"] = f.RuleId,
                ["severity"] = f.Severity.ToText(),
                ["message"] = scrub(f.Message),
                ["file"] = f.Span.File,
                ["line"] = f.Span.StartLine,
                ["column"] = f.Span.StartColumn,
            };
            if (f.Span.EndLine > 0) { o["endLine"] = f.Span.EndLine; o["endColumn"] = f.Span.EndColumn; }
            if (f.Fix != null) o["fix"] = scrub(f.Fix);
            if (f.Related is { Count: > 0 })
                o["related"] = new JsonArray(f.Related.Select(r => (JsonNode)new JsonObject
                {
                    ["file"] = r.Span.File, ["line"] = r.Span.StartLine, ["column"] = r.Span.StartColumn, ["message"] = scrub(r.Message),
                }).ToArray());
            if (f.Evidence is { Count: > 0 })
                o["evidence"] = new JsonObject(f.Evidence.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, scrub(kv.Value))));
            findings.Add((JsonNode)o);
        }
        var doc = new JsonObject
        {
            ["tool"] = "groundcrew",
            ["version"] = settings.ToolVersion,
            ["root"] = result.Root,
            ["failOn"] = settings.FailOn.ToText(),
            ["passed"] = !result.Fails(settings.FailOn),
            ["summary"] = new JsonObject
            {
                ["errors"] = result.Count(Severity.Error),
                ["warnings"] = result.Count(Severity.Warning),
                ["notes"] = result.Count(Severity.Note),
                ["files"] = result.FilesScanned,
                ["resources"] = result.Model.Resources.Count,
                ["suppressed"] = result.Suppressed,
            },
            ["notices"] = new JsonArray(result.Notices.Select(n => (JsonNode)JsonValue.Create(scrub(n))).ToArray()),
            ["findings"] = findings,
        };
        output.WriteLine(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}
