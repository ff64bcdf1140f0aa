using System.Text;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Live;
using Groundcrew.Load.Kustomize;
using Groundcrew.Tests.Live;
using Groundcrew.Tests.Support;
using Groundcrew.Tests.Verify;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Steps;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>
/// A child process that writes without end (a log loop, `yes`, a huge `kubectl get`) cannot fill memory: of each stream at
/// most a cap is kept, the rest is drained so the child still exits, and the result says the output was cut. The tests
/// inject a 64 KiB cap and write 1 MiB (the real cap, <see cref="Limits.MaxProcessOutputBytes"/>, is 64 MiB).
/// </summary>
public class ProcessOutputLimitTests
{
    private const int Cap = 64 * 1024;
    private const int Written = 1024 * 1024;

    // 1 MiB of 'x' on stdout and on stderr, then a clean exit: the pipes hold ~64 KiB, so a reader that stopped reading at
    // the cap would leave the child blocked on write until its timeout.
    private static readonly string Flood = $"head -c {Written} /dev/zero | tr '\\0' x; head -c {Written} /dev/zero | tr '\\0' y >&2; exit 0";

    [Fact]
    public async Task The_live_runner_keeps_the_cap_drains_the_rest_and_says_so()
    {
        var flood = FakeBinary.Write("aws", Flood);

        var result = await new ProcessCommandRunner(maxOutputBytes: Cap).RunAsync(flood, ["logs"], TimeSpan.FromSeconds(60), default);

        result.TimedOut.Should().BeFalse("the rest of the output is read and dropped, so the child is never blocked on a full pipe");
        result.ExitCode.Should().Be(0);
        result.StdOut.Should().HaveLength(Cap).And.MatchRegex("^x+$");
        result.StdOutCut.Should().Be($"stdout went past {Cap:N0} bytes ({Written:N0} written); only the first {Cap:N0} were kept");
        result.StdErrCut.Should().NotBeNull();
        result.StdErr.Should().Contain("stdout went past").And.Contain("stderr went past");
        result.StdErr.Length.Should().BeLessThan(Cap + 200);
    }

    [Fact]
    public async Task Output_under_the_cap_is_kept_whole_and_not_flagged()
    {
        var small = FakeBinary.Write("aws", "echo '{\"ok\": true}'");

        var result = await new ProcessCommandRunner(maxOutputBytes: Cap).RunAsync(small, [], TimeSpan.FromSeconds(60), default);

        result.StdOut.Should().Be("{\"ok\": true}\n");
        result.StdOutCut.Should().BeNull();
        result.StdErr.Should().BeEmpty();
    }

    [Fact]
    public async Task A_cut_json_answer_is_an_error_that_says_why_not_half_a_document()
    {
        // A JSON array of 1 MiB: its first 64 KiB are no answer.
        var json = FakeBinary.Write("aws", $"printf '['; head -c {Written} /dev/zero | tr '\\0' 1 | sed 's/1/1,/g'; printf '1]'");

        var call = await new AwsCli(new ProcessCommandRunner(maxOutputBytes: Cap), new Groundcrew.Live.AwsTarget(Executable: json)).CallAsync("logs", "filter-log-events");

        call.Ok.Should().BeFalse();
        call.Error!.Describe().Should().Contain("output too large").And.Contain($"stdout went past {Cap:N0} bytes");
    }

    [Fact]
    public async Task A_verify_exec_step_past_the_cap_fails_and_says_its_output_was_cut()
    {
        var flow = ExecStepTests.Flow($$"""
            steps:
              - name: small
                exec: "echo fine"
                expect: { stdout: "fine\n" }
              - name: chatty
                exec: |
                  {{Flood}}
                expect: { stdout: { not: { contains: error } } }
            """);

        var (result, output) = await Harness.RunAsync(Harness.Request([flow]), new VerifyTools("kubectl", "aws", Cap));

        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        result.Flows.Single().Steps[0].Status.Should().Be(StepStatus.Passed);
        output.Should().Contain($"stdout went past {Cap:N0} bytes ({Written:N0} written)").And.Contain("not checked against part of its output");
        output.Length.Should().BeLessThan(Cap, "the report quotes the failure, not the megabyte");
    }

    [Fact]
    public async Task The_local_process_runner_of_exec_steps_reports_the_cut()
    {
        var outcome = await LocalProcess.RunAsync("/bin/sh", ["-c", Flood], null, null, TimeSpan.FromSeconds(60), default, Cap);

        outcome.TimedOut.Should().BeFalse();
        outcome.ExitCode.Should().Be(0);
        outcome.StdOut.Should().HaveLength(Cap);
        outcome.StdErr.Should().HaveLength(Cap);
        outcome.OutputCut.Should().Contain("stdout went past").And.Contain("stderr went past");
    }

    [Fact]
    public void A_kustomize_render_past_the_cap_is_a_failure_not_half_the_documents()
    {
        if (!KustomizeRenderer.IsAvailable && Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            throw new InvalidOperationException("kubectl is required in CI");
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [cm.yaml]\n");
        dir.Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: " + new string('z', 4000) + "\n");
        var overlay = Path.Combine(dir.Path, "app");

        var whole = KustomizeRenderer.Render(overlay);
        var cut = KustomizeRenderer.Render(overlay, maxOutputBytes: 1024);

        whole.ExitCode.Should().Be(0, whole.Stderr);
        whole.Stdout.Should().Contain("name: big");
        cut.ExitCode.Should().NotBe(0);
        cut.Stdout.Should().BeEmpty();
        cut.Stderr.Should().Contain("the rendered overlay is too large").And.Contain("kubectl's output went past 1,024 bytes");
    }

    [Fact]
    public async Task A_cut_never_splits_a_utf8_character()
    {
        var text = string.Concat(Enumerable.Repeat("é€", 1000)); // 2- and 3-byte sequences
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var cap = 1; cap <= 12; cap++)
        {
            var kept = await BoundedOutput.ReadAsync(new MemoryStream(bytes), cap);
            kept.Text.Should().NotContain("\uFFFD");
            text.Should().StartWith(kept.Text);
            kept.KeptBytes.Should().BeInRange(cap - 2, cap);
            kept.TotalBytes.Should().Be(bytes.Length);
            kept.Cut.Should().BeTrue();
        }
    }
}
