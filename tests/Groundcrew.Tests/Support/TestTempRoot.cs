using System.Runtime.CompilerServices;

namespace Groundcrew.Tests.Support;

/// <summary>
/// Every temporary file and folder a test run makes lands in one folder of its own, removed when the run ends. The tests
/// (and the groundcrew, aws, kubectl and database processes they start) call Path.GetTempPath() or
/// Directory.CreateTempSubdirectory() in many places; pointing TMPDIR at <c>$TMPDIR/groundcrew-tests/PID</c> before any
/// test runs gives all of them the same root without each test having to clean up. A run that was killed leaves its
/// folder behind; the next run removes the folders of processes that no longer exist.
/// </summary>
internal static class TestTempRoot
{
    public static string Path { get; private set; } = System.IO.Path.GetTempPath();

    [ModuleInitializer]
    internal static void Initialize()
    {
        var parent = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "groundcrew-tests");
        RemoveFoldersOfEndedRuns(parent);
        Path = System.IO.Path.Combine(parent, Environment.ProcessId.ToString());
        Directory.CreateDirectory(Path);
        Environment.SetEnvironmentVariable("TMPDIR", Path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(Path);
    }

    private static void RemoveFoldersOfEndedRuns(string parent)
    {
        if (!Directory.Exists(parent) || !Directory.Exists("/proc")) return;
        foreach (var dir in Directory.EnumerateDirectories(parent))
        {
            if (int.TryParse(System.IO.Path.GetFileName(dir), out var pid) && !Directory.Exists($"/proc/{pid}")) TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { } // a child process still writing there: the next run removes it
        catch (UnauthorizedAccessException) { }
    }
}
