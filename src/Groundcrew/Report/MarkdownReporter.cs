using System.Text;
using Groundcrew.Check;
using Groundcrew.Core;

namespace Groundcrew.Report;

/// <summary>
/// GitHub-flavoured Markdown for a job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment: the verdict, then
/// findings grouped by severity and file, each with its line (the source line quoted), the fix and the rule's docs.
/// Text from the scanned files is redacted, then escaped so it cannot open HTML or break the layout; the whole stays
/// under GitHub's comment limit (65,536 characters), cutting the list with a count of what was left out.
/// </summary>
public sealed class MarkdownReporter : IReporter
{
    public string Name => "markdown";

    /// <summary>Leaves room under GitHub's 65,536-character limit for a comment (a step summary may hold 1 MiB).</summary>
    internal const int MaxLength = 60_000;

    private readonly RuleDocs _docs;

    public MarkdownReporter() : this(RuleDocs.Built) { }

    public MarkdownReporter(RuleDocs docs) => _docs = docs;

    public void Write(CheckResult result, TextWriter output, ReportSettings settings)
    {
        var scrub = result.Redactor.Scrub;
        var sb = new StringBuilder();
        var failed = result.Fails(settings.FailOn);
        sb.AppendLine($"## Groundcrew check: {(failed ? "❌ failed" : "✅ passed")}");
        sb.AppendLine();
        sb.AppendLine($"**{result.Count(Severity.Error)}** error(s), **{result.Count(Severity.Warning)}** warning(s), **{result.Count(Severity.Note)}** note(s) " +
                      $"in {result.FilesScanned} file(s), {result.Model.Resources.Count} resource(s)" +
                      (result.Suppressed > 0 ? $", {result.Suppressed} suppressed" : "") +
                      $"; failing on {settings.FailOn.ToText()} and above.");
        if (!settings.Quiet && result.Notices.Count > 0)
        {
            sb.AppendLine().AppendLine("<details><summary>Notes about this run</summary>").AppendLine();
            foreach (var n in result.Notices) sb.AppendLine($"- {Inline(scrub(n))}");
            sb.AppendLine().AppendLine("</details>");
        }

        var lines = new SourceLines(result);
        var written = 0;
        var listed = result.Findings.Where(f => !settings.Quiet || f.Severity >= settings.FailOn).ToList();
        foreach (var severity in new[] { Severity.Error, Severity.Warning, Severity.Note })
        {
            var ofSeverity = listed.Where(f => f.Severity == severity).ToList();
            if (ofSeverity.Count == 0) continue;
            // Notes never fail a run by default: folded, so they do not push the errors off screen.
            var fold = severity == Severity.Note && settings.FailOn > Severity.Note;
            sb.AppendLine();
            if (fold) sb.AppendLine($"<details><summary>{Heading(severity)} ({ofSeverity.Count})</summary>").AppendLine();
            else sb.AppendLine($"### {Heading(severity)} ({ofSeverity.Count})");
            foreach (var file in ofSeverity.GroupBy(f => f.Span.File))
            {
                var path = Reporters.UserPath(result, file.Key);
                sb.AppendLine().AppendLine($"#### `{Code(scrub(path))}`").AppendLine();
                foreach (var f in file)
                {
                    var entry = Entry(result, f, path, scrub, lines);
                    if (sb.Length + entry.Length > MaxLength)
                    {
                        var left = listed.Count - written;
                        sb.AppendLine().AppendLine($"… and {left} more finding(s) not shown here (the summary's size limit); run `groundcrew check` or read the SARIF report for all of them.");
                        if (fold) sb.AppendLine().AppendLine("</details>");
                        output.Write(sb.ToString());
                        return;
                    }
                    sb.Append(entry);
                    written++;
                }
            }
            if (fold) sb.AppendLine().AppendLine("</details>");
        }
        if (listed.Count == 0) sb.AppendLine().AppendLine(result.Findings.Count == 0 ? "No findings." : "No findings at or above the threshold.");
        output.Write(sb.ToString());
    }

    private string Entry(CheckResult result, Finding f, string path, Func<string?, string> scrub, SourceLines lines)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"- **{Link($"line {f.Span.StartLine}", GitHubBlob(path, f.Span.StartLine))}** {Inline(scrub(f.Message))} ({RuleReference(f.RuleId)})");
        if (lines.Line(f.Span) is { } source)
        {
            var shown = scrub(source); // redact first, then cut: a window never shows part of a secret
            (shown, _) = ConsoleReporter.Window(shown, Math.Max(1, f.Span.StartColumn));
            var fence = Fence(shown);
            sb.AppendLine().AppendLine($"  {fence}").AppendLine($"  {shown}").AppendLine($"  {fence}").AppendLine();
        }
        foreach (var rel in f.Related ?? [])
            sb.AppendLine($"  - see `{Code(scrub(Reporters.UserPath(result, rel.Span.File)))}:{rel.Span.StartLine}`: {Inline(scrub(rel.Message))}");
        if (!string.IsNullOrEmpty(f.Fix)) sb.AppendLine($"  - **Fix:** {Inline(scrub(f.Fix))}");
        return sb.ToString();
    }

    private static string Heading(Severity s) => s switch
    {
        Severity.Error => "Errors",
        Severity.Warning => "Warnings",
        _ => "Notes",
    };

    /// <summary>The rule id, linked to its page when this build knows where the pages are, else the command that prints it.</summary>
    private string RuleReference(string ruleId) => _docs.Url(ruleId) is { } url
        ? $"[`{Code(ruleId)}`]({url})"
        : $"`{Code(ruleId)}`, docs: `groundcrew rules {Code(ruleId)}`";

    private static string Link(string text, string? url) => url == null ? text : $"[{text}]({url})";

    /// <summary>In a GitHub Actions run, the file at the commit being checked (a real address: it is the run's own).</summary>
    private static string? GitHubBlob(string path, int line)
    {
        var server = Environment.GetEnvironmentVariable("GITHUB_SERVER_URL");
        var repo = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
        var sha = Environment.GetEnvironmentVariable("GITHUB_SHA");
        var workspace = Environment.GetEnvironmentVariable("GITHUB_WORKSPACE");
        if (string.IsNullOrEmpty(server) || string.IsNullOrEmpty(repo) || string.IsNullOrEmpty(sha) || string.IsNullOrEmpty(workspace)) return null;
        if (path.StartsWith('<')) return null;
        var rel = Path.GetRelativePath(workspace, Path.GetFullPath(path)).Replace('\\', '/');
        if (rel.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(rel)) return null;
        var escaped = string.Join("/", rel.Split('/').Select(Uri.EscapeDataString));
        return $"{server.TrimEnd('/')}/{repo}/blob/{sha}/{escaped}#L{Math.Max(1, line)}";
    }

    /// <summary>
    /// Message text keeps its `code` spans (rules write them on purpose) but cannot open HTML, start a heading or a
    /// table, or run over several lines.
    /// </summary>
    internal static string Inline(string text)
    {
        var parts = text.Replace("\r", " ").Replace("\n", " ").Split('`');
        // An odd number of backticks leaves the last one unpaired: it is shown as a backtick, not a span opener.
        var paired = parts.Length % 2 == 1;
        var sb = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            var unpaired = !paired && i == parts.Length - 1;
            var inSpan = i % 2 == 1 && !unpaired;
            if (i > 0) sb.Append(unpaired ? "\\`" : "`");
            sb.Append(inSpan ? parts[i] : Escape(parts[i]));
        }
        return sb.ToString();
    }

    // Outside code spans: no HTML, no emphasis from a glob such as VITE_*, no links or strikethrough.
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\\' or '*' or '_' or '[' or ']' or '|' or '~': sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        return sb.ToString();
    }

    /// <summary>Inside a `code span`: a backtick would end it early.</summary>
    private static string Code(string text) => text.Replace("`", "'").Replace("\r", " ").Replace("\n", " ");

    /// <summary>A fence longer than any run of backticks in the quoted line.</summary>
    private static string Fence(string line)
    {
        int longest = 0, run = 0;
        foreach (var c in line)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return new string('`', Math.Max(3, longest + 1));
    }

    /// <summary>The scanned files' lines, each file read once.</summary>
    private sealed class SourceLines(CheckResult result)
    {
        private readonly Dictionary<string, string[]?> _files = new(StringComparer.Ordinal);

        public string? Line(SourceSpan span)
        {
            if (span.File.StartsWith('<') || span.StartLine < 1) return null;
            if (!_files.TryGetValue(span.File, out var lines))
            {
                lines = Read(Path.Combine(result.Root, span.File));
                _files[span.File] = lines;
            }
            return lines != null && span.StartLine <= lines.Length ? lines[span.StartLine - 1].TrimEnd('\r') : null;
        }

        private static string[]? Read(string path)
        {
            try
            {
                var info = new FileInfo(path);
                return info.Exists && info.Length < 16 * 1024 * 1024 ? File.ReadAllLines(path) : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
        }
    }
}
