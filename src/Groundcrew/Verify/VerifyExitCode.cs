namespace Groundcrew.Verify;

/// <summary>
/// What a verify run ended with. The numbers are the process exit codes, so scripts can tell
/// "the system is broken" (1, 3, 4) from "the command was used wrong" (2).
/// </summary>
public enum VerifyExitCode
{
    Passed = 0,
    AssertionFailed = 1,
    UsageOrFlowError = 2,
    RolloutFailed = 3,
    CouldNotConnect = 4,
}

public static class VerifyExitCodes
{
    /// <summary>
    /// When several things went wrong, the most fundamental one wins: a broken flow file or
    /// rollout explains everything after it, and an unreachable endpoint explains its failed assertions.
    /// </summary>
    public static VerifyExitCode Worst(VerifyExitCode a, VerifyExitCode b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(VerifyExitCode code) => code switch
    {
        VerifyExitCode.UsageOrFlowError => 4,
        VerifyExitCode.RolloutFailed => 3,
        VerifyExitCode.CouldNotConnect => 2,
        VerifyExitCode.AssertionFailed => 1,
        _ => 0,
    };
}
