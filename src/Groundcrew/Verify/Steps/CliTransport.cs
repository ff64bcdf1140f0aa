using Groundcrew.Live;
using Groundcrew.Verify.Flows;

namespace Groundcrew.Verify.Steps;

/// <summary>How `aws` and `kubectl` are run for aws and kube steps: one bounded call with stdin closed.</summary>
public interface ICliTransport
{
    Task<ProcessOutcome> RunAsync(string tool, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct);

    /// <summary>A failure that is not an answer any assertion should read (unreachable, throttled, not logged in, not installed); null otherwise.</summary>
    Exception? Classify(ProcessOutcome outcome, string shown);
}

/// <summary>
/// The shared live layer (src/Groundcrew/Live) as the steps' transport: the same runner, error classes and
/// command-line recording that inventory, diagnose and the rollout waiters use.
/// </summary>
public sealed class LiveCliTransport(ICommandRunner runner) : ICliTransport
{
    public async Task<ProcessOutcome> RunAsync(string tool, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var result = await runner.RunAsync(tool, args, timeout, ct);
        return new ProcessOutcome(result.ExitCode, result.StdOut, result.StdErr, result.Elapsed, result.TimedOut,
            result.NotStartedAtAll ? LiveErrorClassifier.LastLine(result.StdErr) : null)
        { Live = result, OutputCut = string.Join("; ", new[] { result.StdOutCut, result.StdErrCut }.Where(n => n != null)) is { Length: > 0 } cut ? cut : null };
    }

    public Exception? Classify(ProcessOutcome outcome, string shown)
    {
        if (outcome.Live is not { } result || LiveErrorClassifier.Classify(result) is not { } error) return null;
        return error.Kind switch
        {
            // Worth another attempt within a poll: the endpoint may be starting, the throttle may lift.
            LiveErrorKind.Unreachable or LiveErrorKind.Throttled => new ConnectFailure($"{shown}: {error.Describe()}"),
            LiveErrorKind.Timeout => new ConnectFailure($"{shown}: {error.Describe()}", noAnswerInTime: true),
            LiveErrorKind.NotLoggedIn => new StepFailure($"{shown}: {error.Describe()} ({error.Fix})", VerifyExitCode.CouldNotConnect),
            LiveErrorKind.NotInstalled => new StepFailure($"{shown}: {error.Describe()} ({error.Fix})", VerifyExitCode.UsageOrFlowError),
            // AccessDenied, NotFound and the rest are answers: the exit code and stderr are asserted (by default, exit 0).
            _ => null,
        };
    }
}
