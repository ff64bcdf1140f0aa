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
        using var text = new JsonTextOutput(output);
        var w = text.Json;
        w.WriteStartObject();
        w.WriteString("tool", "groundcrew");
        w.WriteString("version", settings.ToolVersion);
        w.WriteString("root", result.Root);
        w.WriteString("failOn", settings.FailOn.ToText());
        w.WriteBoolean("passed", !result.Fails(settings.FailOn));
        w.WriteStartObject("summary");
        w.WriteNumber("errors", result.Count(Severity.Error));
        w.WriteNumber("warnings", result.Count(Severity.Warning));
        w.WriteNumber("notes", result.Count(Severity.Note));
        w.WriteNumber("files", result.FilesScanned);
        w.WriteNumber("resources", result.Model.Resources.Count);
        w.WriteNumber("suppressed", result.Suppressed);
        w.WriteEndObject();
        w.WriteStartArray("notices");
        foreach (var n in result.Notices) w.WriteStringValue(scrub(n));
        w.WriteEndArray();
        w.WriteStartArray("findings");
        foreach (var f in result.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.RuleId);
            w.WriteString("severity", f.Severity.ToText());
            w.WriteString("message", scrub(f.Message));
            w.WriteString("file", f.Span.File);
            w.WriteNumber("line", f.Span.StartLine);
            w.WriteNumber("column", f.Span.StartColumn);
            if (f.Span.EndLine > 0)
            {
                w.WriteNumber("endLine", f.Span.EndLine);
                w.WriteNumber("endColumn", f.Span.EndColumn);
            }
            if (f.Fix != null) w.WriteString("fix", scrub(f.Fix));
            if (f.Related is { Count: > 0 })
            {
                w.WriteStartArray("related");
                foreach (var r in f.Related)
                {
                    w.WriteStartObject();
                    w.WriteString("file", r.Span.File);
                    w.WriteNumber("line", r.Span.StartLine);
                    w.WriteNumber("column", r.Span.StartColumn);
                    w.WriteString("message", scrub(r.Message));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (f.Evidence is { Count: > 0 })
            {
                w.WriteStartObject("evidence");
                foreach (var (key, value) in f.Evidence) w.WriteString(key, scrub(value));
                w.WriteEndObject();
            }
            w.WriteEndObject();
            text.Drain();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
