using System.Text.Json;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Graph;
using Groundcrew.Rules;

namespace Groundcrew.Report.Html;

/// <summary>
/// `check --format html`: one self-contained page with the summary, the findings grouped by file (code frame, why, fix,
/// docs, related locations; filters and search) and the deployment graph (broken references red, unknown dashed; a click
/// on a node lists its findings, a click on a finding highlights its chain). Every string goes through the run's
/// redactor, as in every other format; the code frame's only other line is hidden when a Secret's value sits on it.
/// </summary>
public sealed class HtmlReporter : IReporter
{
    public string Name => "html";
    /// <summary>Lines shown before and after the finding's line.</summary>
    private const int Context = 2;

    public void Write(CheckResult result, TextWriter output, ReportSettings settings)
    {
        var scrub = result.Redactor.Scrub;
        var graph = GraphBuilder.Build(result.Model, result.Findings, result.Config);
        var secretLines = SecretValueLines.Of(result);
        HtmlPage.Write(output, "Groundcrew check report", "check.js", w =>
        {
            w.WriteStartObject();
            WriteMeta(w, result, settings, scrub);
            WriteRules(w, result);
            WriteFindings(w, result, graph, secretLines, scrub);
            HtmlGraph.Write(w, graph, scrub);
            w.WriteEndObject();
        });
    }

    private static void WriteMeta(Utf8JsonWriter w, CheckResult result, ReportSettings settings, Func<string?, string> scrub)
    {
        w.WriteStartObject("meta");
        w.WriteString("tool", "groundcrew " + settings.ToolVersion);
        w.WriteString("generated", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));
        w.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 2));
        w.WriteString("root", scrub(result.Root));
        w.WriteStartArray("inputs");
        foreach (var i in result.Inputs) w.WriteStringValue(scrub(i));
        w.WriteEndArray();
        w.WriteNumber("files", result.FilesScanned);
        w.WriteNumber("bytes", result.BytesScanned);
        w.WriteNumber("resources", result.Model.Resources.Count);
        w.WriteNumber("suppressed", result.Suppressed);
        w.WriteString("failOn", settings.FailOn.ToText());
        w.WriteBoolean("failed", result.Fails(settings.FailOn));
        if (result.Model.Inventory is { } inventory)
            w.WriteString("inventory", scrub($"inventory of {inventory.Time}{(inventory.Sources.Aws?.Account is { } account ? $", account {account}" : "")}"));
        w.WriteStartArray("notices");
        foreach (var n in result.Notices) w.WriteStringValue(scrub(n));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRules(Utf8JsonWriter w, CheckResult result)
    {
        w.WriteStartObject("rules");
        foreach (var id in result.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var rule = RuleRegistry.Find(id);
            w.WriteStartObject(id);
            w.WriteString("title", rule?.Title ?? id);
            if (rule != null) w.WriteString("why", rule.Prevents);
            // A link only when the build was told where the docs are published (Report/RuleDocs.cs), never a made-up address;
            // without one the rule id is plain text and `groundcrew rules ID` prints the page.
            if (RuleDocs.Built.Url(id) is { } docs) w.WriteString("docs", docs);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteFindings(Utf8JsonWriter w, CheckResult result, DeploymentGraph graph, HashSet<(string, int)> secretLines, Func<string?, string> scrub)
    {
        var lines = new Dictionary<string, string[]?>(StringComparer.Ordinal);
        w.WriteStartArray("findings");
        for (var i = 0; i < result.Findings.Count; i++)
        {
            var f = result.Findings[i];
            w.WriteStartObject();
            w.WriteString("rule", f.RuleId);
            w.WriteString("severity", f.Severity.ToText());
            w.WriteString("message", scrub(f.Message));
            if (f.Fix != null) w.WriteString("fix", scrub(f.Fix));
            w.WriteString("file", f.Span.File);
            w.WriteNumber("line", f.Span.StartLine);
            w.WriteNumber("column", f.Span.StartColumn);
            if (!lines.TryGetValue(f.Span.File, out var text)) lines[f.Span.File] = text = ConsoleReporter.ReadLines(result, f.Span.File);
            if (text != null) WriteFrame(w, f, text, secretLines, scrub);
            w.WriteStartArray("related");
            foreach (var r in f.Related ?? [])
            {
                w.WriteStartObject();
                w.WriteString("file", r.Span.File);
                w.WriteNumber("line", r.Span.StartLine);
                w.WriteString("message", scrub(r.Message));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (i < graph.Chains.Count)
            {
                w.WriteStartArray("nodes");
                foreach (var n in graph.Chains[i].Nodes) w.WriteNumberValue(n);
                w.WriteEndArray();
                w.WriteStartArray("edges");
                foreach (var e in graph.Chains[i].Edges) w.WriteNumberValue(e);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The lines around the finding, each redacted first and then cut to a window (as the console does), and the marker.</summary>
    private static void WriteFrame(Utf8JsonWriter w, Finding f, string[] text, HashSet<(string, int)> secretLines, Func<string?, string> scrub)
    {
        var line = f.Span.StartLine;
        if (line < 1 || line > text.Length) return;
        var from = Math.Max(1, line - Context);
        var to = Math.Min(text.Length, line + Context);
        w.WriteStartObject("frame");
        w.WriteNumber("start", from);
        w.WriteStartArray("lines");
        var markColumn = 1;
        var markWidth = 1;
        for (var n = from; n <= to; n++)
        {
            var shown = scrub(text[n - 1].TrimEnd('\r'));
            if (n != line && secretLines.Contains((f.Span.File, n))) shown = SecretValueLines.Mask(shown);
            var col = n == line ? Math.Clamp(f.Span.StartColumn, 1, Math.Max(1, shown.Length)) : 1;
            (shown, col) = ConsoleReporter.Window(shown, col);
            if (n == line)
            {
                var width = f.Span.EndLine == f.Span.StartLine && f.Span.EndColumn > f.Span.StartColumn ? f.Span.EndColumn - f.Span.StartColumn : 1;
                markColumn = col;
                markWidth = Math.Clamp(width, 1, Math.Max(1, shown.Length - col + 1));
            }
            w.WriteStringValue(shown);
        }
        w.WriteEndArray();
        w.WriteNumber("markColumn", markColumn);
        w.WriteNumber("markWidth", markWidth);
        w.WriteEndObject();
    }
}
