using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Reporting;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>`exec` steps: real local processes, their exit codes and output asserted, polled and captured.</summary>
public class ExecStepTests
{
    internal static string Flow(string yaml)
    {
        var path = Path.Combine(Harness.TempDir(), "flow.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task Stdout_is_asserted_as_text_and_as_json_and_captured_for_the_next_step()
    {
        var flow = Flow("""
            steps:
              - name: report
                exec: { command: [/bin/sh, -c, 'echo "{\"orders\": 3, \"state\": \"OPEN\"}"'] }
                expect: { stdout: { contains: orders }, json: { "$.orders": { gte: 3 } } }
                capture: { state: "$.state" }
              - name: uses the capture
                exec: "test {{state}} = OPEN && echo same"
                expect: { stdout: "same\n", exitCode: 0 }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        output.Should().Contain("ok   report  exec /bin/sh -c").And.Contain("-> exit 0");
    }

    [Fact]
    public async Task A_command_that_exits_non_zero_fails_unless_the_flow_asks_for_that_exit_code()
    {
        var failing = Flow("""
            steps:
              - name: migrations applied
                exec: "echo 'relation orders does not exist' >&2; exit 3"
                expect: { stdout: { not: { contains: error } } }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([failing]));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        output.Should().Contain("exitCode: expected == 0").And.Contain("actual   3").And.Contain("stderr: relation orders does not exist");

        var wanted = Flow("""
            steps:
              - name: grep finds nothing
                exec: { command: [grep, -q, needle, /dev/null] }
                expect: { exitCode: 1, stderr: "" }
            """);
        (result, output) = await Harness.RunAsync(Harness.Request([wanted]));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
    }

    [Fact]
    public async Task A_command_over_its_timeout_is_killed_with_its_children()
    {
        var dir = Harness.TempDir();
        var pidFile = Path.Combine(dir, "child.pid");
        var flow = Flow($$"""
            steps:
              - name: hangs
                exec: { shell: "sleep 60 & echo $! > {{pidFile}}; wait", timeout: 1s }
            """);
        var clock = Stopwatch.StartNew();
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
        output.Should().Contain("still running after 1s; killed it and its child processes");
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        await Task.Delay(200);
        // Killed, it may linger as a zombie until something reaps it: alive means any state but Z.
        var state = File.Exists($"/proc/{child}/stat") ? File.ReadAllText($"/proc/{child}/stat").Split(' ')[2] : "gone";
        state.Should().BeOneOf(["gone", "Z"], "the background sleep must be killed with the shell");
    }

    [Fact]
    public async Task A_poll_repeats_the_command_until_its_output_says_ready()
    {
        var dir = Harness.TempDir();
        var status = Path.Combine(dir, "status");
        File.WriteAllText(status, "starting");
        var flow = Flow($$"""
            steps:
              - name: consumer ready
                exec: "cat {{status}}"
                poll: { until: { stdout: { contains: ready } }, timeout: 10s, interval: 100ms }
            """);
        var writer = Task.Run(async () => { await Task.Delay(600); File.WriteAllText(status, "ready"); });
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        await writer;
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        result.Flows.Single().Steps.Single().Attempts.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task A_poll_on_a_command_that_never_succeeds_reports_its_last_exit_code_and_output()
    {
        var flow = Flow("""
            steps:
              - name: never ready
                exec: "echo not-yet; exit 2"
                poll: { until: { stdout: { contains: ready } }, timeout: 600ms, interval: 100ms }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        output.Should().Contain("condition not met within 600ms").And.Contain("stdout: expected contains \"ready\"").And.Contain("exitCode: expected == 0");
    }

    [Fact]
    public async Task Secrets_in_the_command_its_environment_and_its_output_are_masked_in_every_report()
    {
        var dir = Harness.TempDir();
        var flow = Flow("""
            secrets: [dbPassword]
            steps:
              - name: echoes the secret
                exec: { command: [/bin/sh, -c, 'echo "pw=$DB_PASSWORD {{dbPassword}}"; exit 1'], env: { DB_PASSWORD: "{{dbPassword}}" } }
            """);
        var json = Path.Combine(dir, "r.json");
        var junit = Path.Combine(dir, "r.xml");
        var request = Harness.Request([flow], ("dbPassword", "hunter2-Zx9")) with
        {
            Reports = [new ReportRequest("json", json), new ReportRequest("junit", junit)],
        };
        var (result, output) = await Harness.RunAsync(request);
        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        output.Should().Contain("pw=****").And.NotContain("hunter2-Zx9");
        File.ReadAllText(json).Should().Contain("****").And.NotContain("hunter2-Zx9");
        File.ReadAllText(junit).Should().Contain("****").And.NotContain("hunter2-Zx9");
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_a_usage_error_naming_it()
    {
        var flow = Flow("steps:\n  - exec: [no-such-program-gc, --version]\n");
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        result.Code.Should().Be(VerifyExitCode.UsageOrFlowError);
        output.Should().Contain("cannot run 'no-such-program-gc'");
    }

    [Theory]
    [InlineData("steps:\n  - exec: [true]\n    expect: { status: 200 }\n", "'status' does not apply to a exec step")]
    [InlineData("steps:\n  - exec: { comand: [true] }\n", "unknown key 'comand'")]
    [InlineData("steps:\n  - exec: { command: [true], shell: 'true' }\n", "give one of 'command'")]
    [InlineData("steps:\n  - exec: [true]\n    request: { url: http://x/ }\n", "one kind per step")]
    [InlineData("steps:\n  - name: nothing\n", "'request' is required, or one of the other step kinds")]
    [InlineData("steps:\n  - exec: { command: [true], timeout: soon }\n", "'soon' is not a duration")]
    public void The_loader_rejects_what_would_silently_check_nothing(string yaml, string message) =>
        FluentActions.Invoking(() => FlowLoader.Load(Flow(yaml))).Should().Throw<FlowFileException>().WithMessage($"*{message}*");
}
