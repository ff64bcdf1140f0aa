using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Report;
using Groundcrew.Report.Html;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>
/// Same input, same report: `check` run twice over examples/ (loading runs in parallel, rules fill dictionaries) must
/// write byte-identical JSON, SARIF, JUnit and Markdown, and an HTML report that differs only in the time it says it
/// was made and how long the scan took (fixed by SOURCE_DATE_EPOCH, docs/limits.md).
/// </summary>
public class DeterministicOutputTests
{
    private static readonly ReportSettings Settings = new(Severity.Warning, false, "test");

    private static Dictionary<string, string> Render()
    {
        var result = Scan.Folder(Path.Combine(Repo.Root, "examples"));
        result.Findings.Should().NotBeEmpty("examples/ is there to produce findings");
        var outputs = new Dictionary<string, string>();
        foreach (var reporter in new IReporter[] { new JsonReporter(), new SarifReporter(), new JUnitReporter(), new MarkdownReporter(), new HtmlReporter() })
        {
            var writer = new StringWriter();
            reporter.Write(result, writer, Settings);
            outputs[reporter.Name] = writer.ToString();
        }
        return outputs;
    }

    [Fact]
    public void Two_checks_of_the_examples_write_the_same_bytes()
    {
        var first = Render();
        var second = Render();
        foreach (var format in new[] { "json", "sarif", "junit", "markdown" })
            second[format].Should().Be(first[format], $"the {format} report of the same input must not change between runs");
        WithoutClock(second["html"]).Should().Be(WithoutClock(first["html"]), "the HTML report may differ only in its time and duration");
    }

    [Fact]
    public void Source_date_epoch_fixes_the_time_a_report_names()
    {
        ReportClock.Parse("1767225600").Should().Be(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        ReportClock.Parse("not a number").Should().BeNull();
        ReportClock.Parse("-5").Should().BeNull();
        ReportClock.Parse(null).Should().BeNull();
    }

    private static string WithoutClock(string html) =>
        Regex.Replace(html, "\"generated\":\"[^\"]*\",\"seconds\":[0-9.]+", "\"generated\":\"\",\"seconds\":0");
}
