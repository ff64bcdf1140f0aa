using Groundcrew.Check;
using Groundcrew.Core;

namespace Groundcrew.Report;

/// <summary>
/// GitHub Actions workflow commands (::error file=...,line=...::message), which show as annotations on the
/// pull request's diff. Paths are relative to the working directory, which is the repository root in Actions.
/// </summary>
public sealed class GitHubReporter : IReporter
{
    public string Name => "github";

    public void Write(CheckResult result, TextWriter output, ReportSettings settings)
    {
        var scrub = result.Redactor.Scrub;
        foreach (var f in result.Findings)
        {
            var command = f.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "notice" };
            var props = $"file={Property(Reporters.UserPath(result, f.Span.File))},line={f.Span.StartLine},col={f.Span.StartColumn}";
            if (f.Span.EndLine > 0) props += $",endLine={f.Span.EndLine}";
            props += $",title={Property(f.RuleId)}";
            var message = scrub(f.Message) + (f.Fix != null ? "\nFix: " + scrub(f.Fix) : "");
            output.WriteLine($"::{command} {props}::{Data(message)}");
        }
        output.WriteLine($"groundcrew: {result.Count(Severity.Error)} error(s), {result.Count(Severity.Warning)} warning(s), {result.Count(Severity.Note)} note(s)");
    }

    // https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData / escapeProperty)
    private static string Data(string s) => s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
    private static string Property(string s) => Data(s).Replace(":", "%3A").Replace(",", "%2C");
}
