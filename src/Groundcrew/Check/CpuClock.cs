using System.Runtime.InteropServices;

namespace Groundcrew.Check;

/// <summary>
/// CPU time for `--verbose` / GROUNDCREW_TIMINGS=1: on a machine shared with other work a phase's wall time mostly
/// says how long it waited for a core, while its CPU time says what it cost. <see cref="ThreadMs"/> is the calling
/// thread's own clock (a rule runs on one thread), <see cref="ProcessMs"/> every thread's (a phase may run on several).
/// </summary>
internal static partial class CpuClock
{
    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID (Linux)

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    private static bool _threadClockMissing = !OperatingSystem.IsLinux();

    /// <summary>The calling thread's CPU time in milliseconds, or null where the OS gives none (not Linux).</summary>
    public static double? ThreadMs()
    {
        if (_threadClockMissing) return null;
        try
        {
            if (ClockGetTime(ClockThreadCpuTime, out var t) == 0) return t.Seconds * 1000.0 + t.Nanoseconds / 1e6;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { }
        _threadClockMissing = true;
        return null;
    }

    /// <summary>The whole process's CPU time (user + system) in milliseconds.</summary>
    public static double ProcessMs() => Environment.CpuUsage.TotalTime.TotalMilliseconds;
}
