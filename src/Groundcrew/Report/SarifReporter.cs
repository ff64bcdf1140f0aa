using System.Text.Json;
using System.Text.Json.Nodes;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Rules;

namespace Groundcrew.Report;

/// <summary>
/// SARIF 2.1.0, the format GitHub code scanning and most CI dashboards import. Artifact URIs are relative to the
/// scanned root, declared as the SRCROOT base. Written by hand (Sarif.Sdk is not available) and validated
/// against the official schema in the tests.
/// </summary>
public sealed class SarifReporter : IReporter
{
    public string Name => "sarif";
    private const string DocsBase = "https://github.com/groundcrew-dev/groundcrew/blob/main/docs/rules/";

    public void Write(CheckResult result, TextWriter output, ReportSettings settings)
    {
        var scrub = result.Redactor.Scrub;
        var ruleIds = RuleRegistry.Rules.Select(r => r.Id).Concat(result.Findings.Select(f => f.RuleId)).Distinct().ToList();
        var rules = new JsonArray();
        foreach (var id in ruleIds)
        {
            var rule = RuleRegistry.Find(id);
            var descriptor = new JsonObject
            {
                ["id"] = id,
                ["name"] = rule?.GetType().Name ?? id,
                ["shortDescription"] = new JsonObject { ["text"] = rule?.Title ?? id },
                ["helpUri"] = DocsBase + id + ".md",
            };
            if (rule != null)
            {
                descriptor["fullDescription"] = new JsonObject { ["text"] = $"Prevents: {rule.Prevents}" };
                descriptor["help"] = new JsonObject { ["text"] = rule.Fix };
                descriptor["defaultConfiguration"] = new JsonObject { ["level"] = rule.DefaultSeverity.ToText() };
            }
            rules.Add((JsonNode)descriptor);
        }
        var index = ruleIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);

        var results = new JsonArray();
        foreach (var f in result.Findings)
        {
            var r = new JsonObject
            {
                ["ruleId"] = f.RuleId,
                ["ruleIndex"] = index[f.RuleId],
                ["level"] = f.Severity.ToText(),
                ["message"] = new JsonObject { ["text"] = scrub(f.Message + (f.Fix != null ? $" Fix: {f.Fix}" : "")) },
                ["locations"] = new JsonArray(Location(f.Span, null, scrub, result.Model.BaseRevision)),
                ["partialFingerprints"] = new JsonObject { ["groundcrew/v1"] = Fingerprint(f) },
            };
            if (f.Related is { Count: > 0 })
                r["relatedLocations"] = new JsonArray(f.Related.Select((rel, i) => Location(rel.Span, rel.Message, scrub, result.Model.BaseRevision, i + 1)).ToArray());
            results.Add((JsonNode)r);
        }

        var rootUri = new Uri(result.Root.EndsWith('/') ? result.Root : result.Root + "/").AbsoluteUri;
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
                        ["name"] = "groundcrew",
                        ["version"] = settings.ToolVersion,
                        ["informationUri"] = "https://github.com/groundcrew-dev/groundcrew",
                        ["rules"] = rules,
                    },
                },
                ["originalUriBaseIds"] = new JsonObject { ["SRCROOT"] = new JsonObject { ["uri"] = rootUri } },
                ["results"] = results,
            }),
        };
        output.WriteLine(sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    private static JsonNode Location(SourceSpan span, string? message, Func<string?, string> scrub, string? baseRevision, int id = 0)
    {
        // "file@REV" names a file as it was at a git revision (--base); SARIF wants a real artifact,
        // so point at the file and say which revision in the message.
        var at = baseRevision is { Length: > 0 } rev && span.File.EndsWith("@" + rev, StringComparison.Ordinal)
            ? span.File.Length - rev.Length - 1 : -1;
        if (at > 0)
        {
            message = $"{message} (as of revision {span.File[(at + 1)..]})";
            span = span with { File = span.File[..at] };
        }
        var region = new JsonObject { ["startLine"] = Math.Max(1, span.StartLine), ["startColumn"] = Math.Max(1, span.StartColumn) };
        if (span.EndLine >= span.StartLine && span.EndLine > 0)
        {
            region["endLine"] = span.EndLine;
            if (span.EndColumn > 0 && (span.EndLine > span.StartLine || span.EndColumn > span.StartColumn)) region["endColumn"] = span.EndColumn;
        }
        var location = new JsonObject
        {
            ["physicalLocation"] = new JsonObject
            {
                ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(span.File).Replace("%2F", "/"), ["uriBaseId"] = "SRCROOT" },
                ["region"] = region,
            },
        };
        if (id > 0) location["id"] = id;
        if (message != null) location["message"] = new JsonObject { ["text"] = scrub(message) };
        return location;
    }

    private static string Fingerprint(Finding f)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{f.RuleId}|{f.Span.File}|{f.Message}"));
        return Convert.ToHexString(bytes, 0, 16).ToLowerInvariant();
    }
}
