using FluentAssertions;
using Groundcrew.Tests.Diagnose;
using Groundcrew.Tests.Support;
using Groundcrew.Tests.Verify;
using Groundcrew.Tests.Verify.Fakes;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.CommandLine;

/// <summary>The option family every verb shares (docs/cli.md), through the real binary.</summary>
[RunsLong]
public class CommonOptionsTests
{
    private static string Fixture(string name) => Path.Combine(DiagnoseFixtures.Directory, name);

    [Fact]
    public void Diagnose_takes_no_color_as_an_option_not_a_file_name()
    {
        var run = GroundcrewCli.Exec("diagnose", "--no-color", Fixture("describe-pod-oom.txt"));
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().NotContain("no such file");
        run.Stdout.Should().Contain("[oom-killed,");
    }

    [Theory]
    [InlineData("check", "--no-color")]
    [InlineData("diagnose", "--no-color")]
    [InlineData("verify", "--no-color")]
    [InlineData("check", "--quiet")]
    [InlineData("diagnose", "--quiet")]
    [InlineData("verify", "--quiet")]
    [InlineData("check", "--verbose")]
    [InlineData("diagnose", "--verbose")]
    [InlineData("verify", "--verbose")]
    public void Every_verb_lists_the_shared_options_in_its_help(string verb, string option)
    {
        var help = GroundcrewCli.Exec(verb, "--help");
        help.Stdout.Should().Contain(option);
        help.Stdout.Should().Contain("--format").And.Contain("--output");
    }

    [Theory]
    [InlineData("--formt", "--format", "check", ".")]
    [InlineData("--no-colour", "--no-color", "diagnose", "x.log")]
    [InlineData("--reprot", "--report", "verify", "x.yaml")]
    [InlineData("--fail-onn", "--fail-on", "check", ".")]
    public void An_unknown_option_is_a_usage_error_that_names_the_nearest_one(string typo, string meant, string verb, string arg)
    {
        var run = GroundcrewCli.Exec(verb, typo, "json", arg);
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain($"unknown option '{typo}'").And.Contain($"did you mean {meant}?");
        run.Stderr.Should().NotContain("path not found").And.NotContain("no such file");
    }

    [Fact]
    public void An_unknown_verb_names_the_nearest_verb_and_a_far_one_suggests_nothing()
    {
        var near = GroundcrewCli.Exec("chek", ".");
        near.ExitCode.Should().Be(2);
        near.Stderr.Should().Contain("did you mean check?");
        var far = GroundcrewCli.Exec("check", "--zzzzzzzz");
        far.ExitCode.Should().Be(2);
        far.Stderr.Should().Contain("unknown option '--zzzzzzzz'").And.NotContain("did you mean");
    }

    [Fact]
    public void A_word_after_a_double_dash_is_a_path_even_when_it_starts_with_a_dash()
    {
        using var dir = new TempDir();
        dir.Write("-odd/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n");
        var run = GroundcrewCli.ExecIn(dir.Path, null, "check", "--", "-odd");
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("1 file(s)");
    }

    [Fact]
    public void Quiet_shows_only_what_fails_the_run_and_verbose_explains_on_stderr()
    {
        using var dir = new TempDir();
        dir.Write("bad.yaml", "a: [");
        dir.Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  # groundcrew:ignore input-error\n  a: b\n");
        var normal = GroundcrewCli.Exec("check", dir.Path);
        normal.Stdout.Should().Contain("suppression-without-reason", "a warning is listed normally");

        var quiet = GroundcrewCli.Exec("check", dir.Path, "--quiet");
        quiet.ExitCode.Should().Be(1);
        quiet.Stdout.Should().Contain("input-error").And.NotContain("suppression-without-reason", "a warning does not fail the run");
        quiet.Stdout.Should().Contain("FAILED: 1 error(s), 1 warning(s)", "the verdict still counts everything");

        var verbose = GroundcrewCli.Exec("check", dir.Path, "--verbose");
        verbose.Stderr.Should().Contain("config: none found").And.Contain("scanned 2 file(s)").And.Contain("timing:");
        verbose.Stdout.Should().Contain("suppression-without-reason").And.NotContain("timing:", "the explanations stay off stdout");

        GroundcrewCli.Exec("check", dir.Path, "--quiet", "--verbose").ExitCode.Should().Be(2);
    }

    [Fact]
    public void Diagnose_writes_several_formats_at_once_and_quiet_is_one_line_per_match()
    {
        using var dir = new TempDir();
        var json = Path.Combine(dir.Path, "out", "diagnosis.json");
        var run = GroundcrewCli.Exec("diagnose", Fixture("describe-pod-oom.txt"), "--output", $"json={json}", "-o", $"sarif={dir.Path}/d.sarif");
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("Evidence:", "stdout keeps the console format");
        JObject.Parse(File.ReadAllText(json))["matches"]![0]!["id"]!.Value<string>().Should().Be("oom-killed");
        JObject.Parse(File.ReadAllText($"{dir.Path}/d.sarif"))["version"]!.Value<string>().Should().Be("2.1.0");

        var quiet = GroundcrewCli.Exec("diagnose", "-q", Fixture("describe-pod-oom.txt"));
        quiet.Stdout.Should().StartWith("oom-killed: ").And.NotContain("Evidence:");
        quiet.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.Contains(": "));
    }

    [Fact]
    public void A_bare_output_file_takes_the_format_and_an_unknown_format_prefix_is_refused()
    {
        using var dir = new TempDir();
        dir.Write("bad.yaml", "a: [");
        var file = Path.Combine(dir.Path, "report.json");
        var run = GroundcrewCli.Exec("check", dir.Path, "--format", "json", "--output", file);
        run.ExitCode.Should().Be(1);
        run.Stdout.Should().BeEmpty("the one report went to the file");
        JObject.Parse(File.ReadAllText(file))["findings"]!.Should().NotBeEmpty();

        var bad = GroundcrewCli.Exec("check", dir.Path, "--output", "xml=out.xml");
        bad.ExitCode.Should().Be(2);
        bad.Stderr.Should().Contain("unknown format 'xml'");
    }

    [Fact]
    public async Task Verify_report_and_output_are_the_same_option_and_json_on_stdout_stays_parseable()
    {
        var dir = Harness.TempDir();
        // No API_URL: a flow-file error (exit 2), still reported.
        var run = await Harness.CliAsync([Harness.Example("database-health.yaml"), "--format", "json", "--report", $"junit={dir}/old.xml", "--output", $"junit={dir}/new.xml"],
            new Dictionary<string, string> { ["API_URL"] = "" });
        run.ExitCode.Should().Be(2, run.StdOut + run.StdErr);
        JObject.Parse(run.StdOut)["exitCode"]!.Value<int>().Should().Be(2);
        run.StdErr.Should().Contain("verify:", "the progress lines moved to stderr");
        File.ReadAllText($"{dir}/old.xml").Should().Be(File.ReadAllText($"{dir}/new.xml"));

        var console = await Harness.CliAsync([Harness.Example("database-health.yaml"), "--output", $"{dir}/x.txt"]);
        console.ExitCode.Should().Be(2);
        console.StdErr.Should().Contain("cannot be written to a file");
    }

    [Fact]
    public async Task Verify_quiet_drops_passing_steps_but_keeps_the_verdict()
    {
        await using var api = await OrderService.StartAsync();
        var vars = new[] { "--var", $"api={api.BaseUrl.ToString().TrimEnd('/')}" };
        var normal = await Harness.CliAsync([Harness.Example("database-health.yaml"), .. vars]);
        normal.ExitCode.Should().Be(0, normal.StdOut + normal.StdErr);
        normal.StdOut.Should().Contain("  ok  ");
        var quiet = await Harness.CliAsync([Harness.Example("database-health.yaml"), .. vars, "--quiet"]);
        quiet.ExitCode.Should().Be(0);
        quiet.StdOut.Should().NotContain("  ok  ").And.Contain("verify: 0 rollout(s), 1 flow(s), 2 step(s) passed");
    }
}
