using FluentAssertions;
using Groundcrew.Report;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>`check --format markdown`: the job summary and PR comment format.</summary>
public class MarkdownReportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public MarkdownReportTests()
    {
        _dir.Write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n");
        _dir.Write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  # groundcrew:ignore input-error\n  a: b\n");
    }

    public void Dispose() => _dir.Dispose();

    private static string Render(Groundcrew.Check.CheckResult result, RuleDocs docs, bool quiet = false)
    {
        var writer = new StringWriter();
        new MarkdownReporter(docs).Write(result, writer, new ReportSettings(Groundcrew.Core.Severity.Error, false, "test", quiet));
        return writer.ToString();
    }

    [Fact]
    public void Findings_are_grouped_by_severity_then_file_with_the_line_the_fix_and_the_rule()
    {
        var run = GroundcrewCli.ExecIn(_dir.Path, null, "check", ".", "--format", "markdown");
        run.ExitCode.Should().Be(1);
        var md = run.Stdout;
        md.Should().StartWith("## Groundcrew check: ❌ failed");
        md.Should().Contain("**1** error(s), **1** warning(s), **0** note(s)");
        var errors = md.IndexOf("### Errors (1)", StringComparison.Ordinal);
        var warnings = md.IndexOf("### Warnings (1)", StringComparison.Ordinal);
        errors.Should().BeGreaterThan(0);
        warnings.Should().BeGreaterThan(errors, "errors come first");
        md.IndexOf("#### `bad.yaml`", StringComparison.Ordinal).Should().BeInRange(errors, warnings);
        md.IndexOf("#### `k8s/cm.yaml`", StringComparison.Ordinal).Should().BeGreaterThan(warnings);
        md.Should().MatchRegex(@"- \*\*line \d+\*\* invalid YAML");
        md.Should().Contain("  # groundcrew:ignore input-error", "the offending line is quoted");
        md.Should().Contain("**Fix:**");
        md.Should().Contain("`input-error`, docs: `groundcrew rules input-error`", "without a docs base URL the page shipped in the binary is named");
        md.Should().NotContain("http", "no address is made up");
    }

    [Fact]
    public void In_a_github_run_each_line_links_to_the_file_at_the_commit()
    {
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "acme/deploy", ["GITHUB_SHA"] = "0123abc", ["GITHUB_WORKSPACE"] = _dir.Path, ["NO_COLOR"] = "1",
        };
        var run = ExternalTool.Exec("dotnet", [GroundcrewCli.Binary, "check", ".", "--format", "markdown"], _dir.Path, env);
        run.Stdout.Should().Contain("[line 5](https://github.com/acme/deploy/blob/0123abc/bad.yaml#L5)");
        run.Stdout.Should().Contain("[line 6](https://github.com/acme/deploy/blob/0123abc/k8s/cm.yaml#L6)");
    }

    [Fact]
    public void A_docs_base_url_set_at_build_time_links_each_rule_page()
    {
        var result = Scan.Folder(_dir.Path);
        var md = Render(result, new RuleDocs("https://docs.example.test/groundcrew/docs"));
        md.Should().Contain("[`input-error`](https://docs.example.test/groundcrew/docs/rules/input-error.md)");
        md.Should().Contain("[`suppression-without-reason`](https://docs.example.test/groundcrew/docs/rules/suppression-without-reason.md)");
        // A relative or non-web base is not an address a reader can open.
        Render(result, new RuleDocs("docs/")).Should().Contain("docs: `groundcrew rules input-error`");
        Render(result, new RuleDocs("file:///tmp/docs/")).Should().NotContain("file:");
    }

    [Fact]
    public void Quiet_lists_only_what_fails_the_run()
    {
        var md = Render(Scan.Folder(_dir.Path), new RuleDocs(null), quiet: true);
        md.Should().Contain("### Errors (1)").And.NotContain("Warnings").And.NotContain("suppression-without-reason");
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("env VITE_* and NEXT_PUBLIC_*", @"env VITE\_\* and NEXT\_PUBLIC\_\*")]
    [InlineData("run `a && b <c>` then [x](y)", @"run `a && b <c>` then \[x\](y)")]
    [InlineData("one ` backtick", @"one \` backtick")]
    [InlineData("two\nlines", "two lines")]
    public void Message_text_cannot_open_html_emphasis_or_links_but_keeps_code_spans(string text, string expected)
    {
        MarkdownReporter.Inline(text).Should().Be(expected);
    }

    [Fact]
    public void A_huge_run_stays_under_the_github_comment_limit_and_says_how_many_were_left_out()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 1500; i++) dir.Write($"broken-{i:0000}.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n");
        var md = Render(Scan.Folder(dir.Path), new RuleDocs(null));
        md.Length.Should().BeLessThan(65_536);
        md.Should().MatchRegex(@"… and \d+ more finding\(s\) not shown");
        md.Should().Contain("broken-0000.yaml");
    }
}
