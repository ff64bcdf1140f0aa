using Groundcrew.Check;

namespace Groundcrew.Report;

/// <param name="Quiet">--quiet: people-facing formats show only what fails the run and the verdict.</param>
public sealed record ReportSettings(Core.Severity FailOn, bool Color, string ToolVersion, bool Quiet = false);

/// <summary>One output format of `check`. Every string a reporter writes goes through the run's redactor.</summary>
public interface IReporter
{
    string Name { get; }
    void Write(CheckResult result, TextWriter output, ReportSettings settings);
}

public static class Reporters
{
    public static readonly IReadOnlyList<IReporter> All =
        [new ConsoleReporter(), new JsonReporter(), new SarifReporter(), new JUnitReporter(), new GitHubReporter(), new MarkdownReporter(), new Html.HtmlReporter()];

    public static IReporter? Find(string name) => All.FirstOrDefault(r => r.Name == name);

    /// <summary>The path a person can open from the current directory: the scan root joined with the display path.</summary>
    public static string UserPath(CheckResult result, string displayPath)
    {
        if (displayPath.StartsWith('<')) return displayPath;
        var full = Path.GetFullPath(Path.Combine(result.Root, displayPath));
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, full).Replace('\\', '/');
        return rel.StartsWith("../../../", StringComparison.Ordinal) ? full : rel;
    }
}
