using System.Globalization;

namespace Groundcrew.Report;

/// <summary>
/// The time a report says it was made. With <c>SOURCE_DATE_EPOCH</c> set (seconds since 1970, the reproducible-builds
/// convention) it is that time and durations read 0, so the same input gives a byte-identical HTML report; JSON and
/// SARIF carry no time at all.
/// </summary>
public static class ReportClock
{
    public const string Variable = "SOURCE_DATE_EPOCH";

    /// <summary>The fixed time from the environment, or null when reports should say the real time.</summary>
    public static DateTimeOffset? Fixed => Parse(Environment.GetEnvironmentVariable(Variable));

    public static DateTimeOffset Now => Fixed ?? DateTimeOffset.UtcNow;

    /// <summary>A duration as a report shows it: 0 under a fixed clock, where it would be the only difference between runs.</summary>
    public static TimeSpan Duration(TimeSpan measured) => Fixed is null ? measured : TimeSpan.Zero;

    internal static DateTimeOffset? Parse(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
