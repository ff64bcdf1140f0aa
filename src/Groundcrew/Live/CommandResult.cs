namespace Groundcrew.Live;

/// <summary>
/// What one external command did. <see cref="CommandLine"/> is the exact command as a user could paste
/// it, so a report can say what was run; <see cref="TimedOut"/> tells a call we cut short from one that failed.
/// </summary>
public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>The exit code we report when the program could not be started at all (the shell's "command not found").</summary>
    public const int NotStarted = 127;

    /// <summary>The exit code we report for a call killed at its time limit (what coreutils `timeout` uses).</summary>
    public const int KilledAtTimeout = 124;

    public bool Ok => ExitCode == 0 && !TimedOut;
    public bool TimedOut { get; init; }

    /// <summary>The program could not be started (not on PATH, not executable): nothing ran.</summary>
    public bool NotStartedAtAll { get; init; }
    public string CommandLine { get; init; } = "";

    /// <summary>
    /// Set when the program wrote more stdout than is kept (<see cref="Groundcrew.Core.Limits.MaxProcessOutputBytes"/>):
    /// <see cref="StdOut"/> is its beginning only, and this says how much was dropped (stderr says it too).
    /// </summary>
    public string? StdOutCut { get; init; }

    /// <summary>The same for stderr.</summary>
    public string? StdErrCut { get; init; }
    public TimeSpan Elapsed { get; init; }
}
