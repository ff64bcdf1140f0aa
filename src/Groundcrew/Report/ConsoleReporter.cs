using Groundcrew.Check;
using Groundcrew.Core;

namespace Groundcrew.Report;

/// <summary>
/// For people: findings grouped by file, each with the offending line and a marker under it, the why and the fix,
/// then a summary with counts.
/// </summary>
public sealed class ConsoleReporter : IReporter
{
    public string Name => "console";

    public void Write(CheckResult result, TextWriter o, ReportSettings settings)
    {
        var c = new Colors(settings.Color);
        var scrub = result.Redactor.Scrub;
        IReadOnlyList<string> notices = settings.Quiet ? [] : result.Notices;
        foreach (var notice in notices)
            o.WriteLine($"{c.Dim("note:")} {scrub(notice)}");
        if (notices.Count > 0) o.WriteLine();

        var listed = settings.Quiet ? result.Findings.Where(f => f.Severity >= settings.FailOn) : result.Findings;
        foreach (var group in listed.GroupBy(f => f.Span.File))
        {
            var path = Reporters.UserPath(result, group.Key);
            o.WriteLine(c.Bold(path));
            var lines = FileLines.Read(result.Root, group.Key);
            foreach (var f in group)
            {
                o.WriteLine($"  {f.Span.StartLine}:{f.Span.StartColumn}  {c.Level(f.Severity)}  {scrub(f.Message)}  {c.Dim(f.RuleId)}");
                if (f.Span.StartLine >= 1 && lines?.Line(f.Span.StartLine) is { } line)
                {
                    var shown = scrub(line); // redact first, then cut: a window never shows part of a secret
                    var col = Math.Clamp(f.Span.StartColumn, 1, Math.Max(1, shown.Length));
                    var width = f.Span.EndLine == f.Span.StartLine && f.Span.EndColumn > f.Span.StartColumn ? f.Span.EndColumn - f.Span.StartColumn : 1;
                    (shown, col) = Window(shown, col);
                    o.WriteLine(c.Dim($"    {f.Span.StartLine,5} | ") + shown);
                    width = Math.Clamp(width, 1, Math.Max(1, shown.Length - col + 1));
                    o.WriteLine(c.Dim("          | ") + new string(' ', col - 1) + c.Marker(new string('^', width)));
                }
                foreach (var rel in f.Related ?? [])
                    o.WriteLine($"          {c.Dim("see")} {Reporters.UserPath(result, rel.Span.File)}:{rel.Span.StartLine}: {scrub(rel.Message)}");
                if (!string.IsNullOrEmpty(f.Fix))
                    o.WriteLine($"          {c.Fix("fix:")} {scrub(f.Fix)}");
            }
            o.WriteLine();
        }

        var errors = result.Count(Severity.Error);
        var warnings = result.Count(Severity.Warning);
        var notes = result.Count(Severity.Note);
        var verdict = result.Fails(settings.FailOn) ? c.Level(Severity.Error, "FAILED") : c.Ok("passed");
        o.WriteLine($"{verdict}: {errors} error(s), {warnings} warning(s), {notes} note(s) in {result.FilesScanned} file(s), " +
                    $"{result.Model.Resources.Count} resource(s)" + (result.Suppressed > 0 ? $", {result.Suppressed} suppressed" : "") +
                    $" ({result.Elapsed.TotalSeconds:0.00} s; failing on {settings.FailOn.ToText()} and above)");
    }

    /// <summary>Longest source line shown: a minified JSON file (a Terraform plan, a CDK template) is one huge line.</summary>
    internal const int MaxShownLine = 160;

    /// <summary>The part of a long line around the column (with … where it is cut) and the column within it.</summary>
    internal static (string Text, int Column) Window(string line, int column)
    {
        if (line.Length <= MaxShownLine) return (line, column);
        var start = Math.Max(0, Math.Min(column - 1 - MaxShownLine / 3, line.Length - MaxShownLine));
        var end = Math.Min(line.Length, start + MaxShownLine);
        var text = (start > 0 ? "…" : "") + line[start..end] + (end < line.Length ? "…" : "");
        return (text, column - start + (start > 0 ? 1 : 0));
    }

    internal static string[]? ReadLines(CheckResult result, string displayPath)
    {
        if (displayPath.StartsWith('<')) return null;
        try
        {
            var full = Path.Combine(result.Root, displayPath);
            var info = new FileInfo(full);
            return info.Exists && info.Length < 16 * 1024 * 1024 ? File.ReadAllLines(full) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    private sealed class Colors(bool on)
    {
        private string Wrap(string code, string s) => on ? $"\u001b[{code}m{s}\u001b[0m" : s;
        public string Bold(string s) => Wrap("1", s);
        public string Dim(string s) => Wrap("2", s);
        public string Fix(string s) => Wrap("36", s);
        public string Ok(string s) => Wrap("32", s);
        public string Marker(string s) => Wrap("31", s);
        public string Level(Severity sev, string? text = null) => sev switch
        {
            Severity.Error => Wrap("31;1", text ?? "error  "),
            Severity.Warning => Wrap("33", text ?? "warning"),
            _ => Wrap("34", text ?? "note   "),
        };
    }
}
