using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.CommandLine;

/// <summary>`groundcrew completion SHELL`: each script parses in its shell, and bash and fish really complete.</summary>
public class CompletionTests
{
    /// <summary>The verbs as `groundcrew --help` lists them, so the scripts are compared with the binary, not with themselves.</summary>
    private static List<string> VerbsFromHelp()
    {
        var help = GroundcrewCli.Exec("--help").Stdout;
        var commands = help[(help.IndexOf("Commands:", StringComparison.Ordinal) + "Commands:".Length)..];
        return Regex.Matches(commands, @"(?m)^  ([a-z][a-z-]*)\b").Select(m => m.Groups[1].Value).ToList();
    }

    private static string Script(string shell, TempDir dir)
    {
        var run = GroundcrewCli.Exec("completion", shell);
        run.ExitCode.Should().Be(0, run.Stderr);
        return dir.Write($"groundcrew.{shell}", run.Stdout);
    }

    /// <summary>Runs the bash completion function as bash would for the words typed so far and returns its candidates.</summary>
    private static List<string> BashComplete(string bash, string script, params string[] words)
    {
        var quoted = string.Join(" ", words.Select(w => "'" + w + "'"));
        var program = $"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={words.Length - 1}; _groundcrew; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
        var run = ExternalTool.Exec(bash, ["-c", program]);
        run.ExitCode.Should().Be(0, run.Stderr);
        return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    [Fact]
    public void Bash_script_parses_and_completes_verbs_options_and_values()
    {
        if (ExternalTool.Find("bash") is not { } bash) return;
        using var dir = new TempDir();
        var script = Script("bash", dir);
        ExternalTool.Exec(bash, ["-n", script]).ExitCode.Should().Be(0);

        var verbs = VerbsFromHelp();
        verbs.Should().Contain(["check", "diagnose", "verify", "rules", "completion"]);
        BashComplete(bash, script, "groundcrew", "").Should().Contain(verbs);
        BashComplete(bash, script, "groundcrew", "ch").Should().Equal("check");
        BashComplete(bash, script, "groundcrew", "check", "--f").Should().BeEquivalentTo(["--format", "--fail-on"]);
        BashComplete(bash, script, "groundcrew", "check", "--format", "").Should().Contain(["console", "json", "sarif", "junit", "github"]);
        BashComplete(bash, script, "groundcrew", "diagnose", "--no").Should().Equal("--no-color");
        BashComplete(bash, script, "groundcrew", "verify", "--re").Should().Contain(["--report", "--region"]);
        BashComplete(bash, script, "groundcrew", "completion", "").Should().BeEquivalentTo(["bash", "zsh", "fish", "powershell"]);
        foreach (var verb in new[] { "check", "diagnose", "verify" })
            BashComplete(bash, script, "groundcrew", verb, "-").Should().Contain(["--format", "--output", "--no-color", "--quiet", "--verbose"], verb);
    }

    [Fact]
    public void Zsh_script_parses_and_lists_every_verb()
    {
        if (ExternalTool.Find("zsh") is not { } zsh) return;
        using var dir = new TempDir();
        var script = Script("zsh", dir);
        var check = ExternalTool.Exec(zsh, ["-n", script]);
        check.ExitCode.Should().Be(0, check.Stderr);
        var text = File.ReadAllText(script);
        text.Should().StartWith("#compdef groundcrew");
        foreach (var verb in VerbsFromHelp()) text.Should().Contain($"'{verb}:").And.Contain($"    {verb})");
        text.Should().Contain("'--format[Output format on stdout]:value:(console github html json junit markdown sarif)'");
    }

    [Fact]
    public void Fish_script_parses_and_completes_options()
    {
        if (ExternalTool.Find("fish") is not { } fish) return;
        using var dir = new TempDir();
        var script = Script("fish", dir);
        ExternalTool.Exec(fish, ["--no-execute", script]).ExitCode.Should().Be(0);
        var env = new Dictionary<string, string?> { ["HOME"] = dir.Path, ["XDG_CONFIG_HOME"] = dir.Path, ["XDG_DATA_HOME"] = dir.Path };
        var verbs = ExternalTool.Exec(fish, ["-c", $"source '{script}'; complete -C 'groundcrew '"], environment: env);
        verbs.Stdout.Split('\n').Select(l => l.Split('\t')[0]).Should().Contain(VerbsFromHelp());
        var options = ExternalTool.Exec(fish, ["-c", $"source '{script}'; complete -C 'groundcrew check --fo'"], environment: env);
        options.Stdout.Should().Contain("--format");
        var values = ExternalTool.Exec(fish, ["-c", $"source '{script}'; complete -C 'groundcrew check --format '"], environment: env);
        values.Stdout.Split('\n').Select(l => l.Split('\t')[0]).Should().Contain(["sarif", "json"]);
    }

    [Fact]
    public void Powershell_script_registers_a_completer_with_every_verb_and_format()
    {
        using var dir = new TempDir();
        var text = File.ReadAllText(Script("powershell", dir));
        text.Should().Contain("Register-ArgumentCompleter -Native -CommandName 'groundcrew'");
        foreach (var verb in VerbsFromHelp()) text.Should().Contain($"'{verb}' = @(");
        text.Should().Contain("'check --format' = @('console', 'github', 'html', 'json', 'junit', 'markdown', 'sarif')");
        // Without pwsh on this machine, at least the braces and parentheses must balance.
        text.Count(c => c == '{').Should().Be(text.Count(c => c == '}'));
        text.Count(c => c == '(').Should().Be(text.Count(c => c == ')'));
    }

    [Fact]
    public void An_unknown_shell_is_a_usage_error()
    {
        GroundcrewCli.Exec("completion", "tcsh").ExitCode.Should().Be(2);
    }
}
