namespace Groundcrew.Live;

/// <summary>
/// Runs `kubectl`, `aws` and this tool's own binary. An interface so callers can be tested with canned
/// output; the real one is <see cref="ProcessCommandRunner"/>.
/// </summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct);
}

public static class CommandRunnerExtensions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>For the synchronous verbs (diagnose): the same bounded call, waited for.</summary>
    public static CommandResult Run(this ICommandRunner runner, string file, IReadOnlyList<string> args, TimeSpan? timeout = null) =>
        runner.RunAsync(file, args, timeout ?? DefaultTimeout, CancellationToken.None).GetAwaiter().GetResult();
}

/// <summary>A required CLI is missing or unusable; the message says which and what to do.</summary>
public sealed class LiveSourceException(string message) : Exception(message);
