using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.CommandLine;

[RunsLong]
public class ExitCodeTests
{
    private const string Clean = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\ndata:\n  a: b\n";

    [Fact]
    public void Clean_folder_exits_0()
    {
        using var dir = new TempDir();
        dir.Write("cm.yaml", Clean);
        GroundcrewCli.Exec("check", dir.Path).ExitCode.Should().Be(0);
    }

    [Fact]
    public void Error_findings_exit_1_and_warnings_only_fail_when_asked()
    {
        using var dir = new TempDir();
        dir.Write("cm.yaml", Clean.Replace("  a: b", "  # groundcrew:ignore input-error\n  a: b"));
        GroundcrewCli.Exec("check", dir.Path).ExitCode.Should().Be(0, "a warning is below the default threshold");
        GroundcrewCli.Exec("check", dir.Path, "--fail-on", "warning").ExitCode.Should().Be(1);
        dir.Write("bad.yaml", "a: [");
        GroundcrewCli.Exec("check", dir.Path).ExitCode.Should().Be(1);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        GroundcrewCli.Exec("check", "/no/such/path").ExitCode.Should().Be(2);
        GroundcrewCli.Exec("check", ".", "--format", "xml").ExitCode.Should().Be(2);
        GroundcrewCli.Exec("check", "--no-such-flag").ExitCode.Should().Be(2);
        GroundcrewCli.Exec("rules", "no-such-rule").ExitCode.Should().Be(2);
    }

    [Fact]
    public void Invalid_config_exits_2_naming_the_setting()
    {
        using var dir = new TempDir();
        dir.Write("cm.yaml", Clean);
        dir.Write(".groundcrew.yaml", "failOn: sometimes\n");
        var run = GroundcrewCli.Exec("check", dir.Path);
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("failOn");
    }

    [Fact]
    public void Stdin_is_read_when_the_path_is_a_dash()
    {
        var run = GroundcrewCli.ExecIn(null, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n", "check", "-", "--format", "json");
        run.ExitCode.Should().Be(1);
        run.Stdout.Should().Contain("<stdin>");
    }

    [Fact]
    public void Config_turns_a_rule_off_and_changes_severities()
    {
        using var dir = new TempDir();
        dir.Write("bad.yaml", "a: [");
        dir.Write(".groundcrew.yaml", "rules:\n  input-error: warning\n");
        GroundcrewCli.Exec("check", dir.Path).ExitCode.Should().Be(0, "input-error was lowered to a warning");
        dir.Write(".groundcrew.yaml", "rules:\n  input-error: off\n");
        GroundcrewCli.Exec("check", dir.Path, "--fail-on", "note").ExitCode.Should().Be(0);
    }

    [Fact]
    public void Rules_lists_every_rule_and_prints_a_docs_page()
    {
        var list = GroundcrewCli.Exec("rules");
        list.ExitCode.Should().Be(0);
        list.Stdout.Should().Contain("input-error").And.Contain("prevents:");
        var page = GroundcrewCli.Exec("rules", "input-error");
        page.Stdout.Should().Contain("# input-error").And.Contain("## Bad");
    }
}

public class RulesAndSignaturesLinkTests
{
    [Fact]
    public void Rules_list_names_the_diagnose_signatures_each_rule_prevents()
    {
        var run = GroundcrewCli.Exec("rules");
        run.Stdout.Should().Contain("diagnose signatures:");
        var page = GroundcrewCli.Exec("rules", "alb-https-without-certificate");
        page.Stdout.Should().Contain("Failures it prevents");
    }

    [Fact]
    public void Verify_explains_a_crash_loop_with_the_signature_base()
    {
        var evidence = new Groundcrew.Verify.Rollout.FailureEvidence("kube", "pod/execution-service-7d9f", ["CrashLoopBackOff"], [],
            "exec /usr/bin/dumb-init: exec format error", ["waiting reason CrashLoopBackOff"]);
        var lines = new Groundcrew.Diagnose.SignatureFailureExplainer().Explain(evidence);
        lines.Should().Contain(l => l.Contains("cause:"));
        string.Join("\n", lines).Should().ContainEquivalentOf("format");
    }
}
