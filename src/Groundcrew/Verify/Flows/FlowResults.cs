namespace Groundcrew.Verify.Flows;

public enum StepStatus { Passed, Failed, Skipped }

/// <summary>What happened in one step. Holds raw text: reporters scrub it, once every secret is known.</summary>
public sealed record StepResult(
    string Name,
    StepStatus Status,
    VerifyExitCode Code,
    TimeSpan Duration,
    int Attempts,
    SentRequest? Request,
    int? ResponseStatus,
    string? ResponseExcerpt,
    IReadOnlyList<AssertionResult> Failures,
    string? Message,
    string? Outcome = null)
{
    public static StepResult Skipped(string name, string why) =>
        new(name, StepStatus.Skipped, VerifyExitCode.Passed, TimeSpan.Zero, 0, null, null, null, [], why);

    /// <summary>What the report shows after the arrow: the HTTP status, or a probe's "exit 0" / "3 rows".</summary>
    public string? Answer => Outcome ?? (ResponseStatus is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
}

public sealed record FlowResult(string Name, string File, IReadOnlyList<StepResult> Steps, TimeSpan Duration, string? Error = null)
{
    public VerifyExitCode Code =>
        Error != null ? VerifyExitCode.UsageOrFlowError
        : Steps.Aggregate(VerifyExitCode.Passed, (worst, s) => VerifyExitCodes.Worst(worst, s.Code));

    public bool Passed => Code == VerifyExitCode.Passed;
}
