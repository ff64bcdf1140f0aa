using System.Collections.Concurrent;

namespace Groundcrew.Fuzz;

/// <summary>
/// The scratch folders of the targets that need a path on disk: <c>$TMPDIR/groundcrew-fuzz/PURPOSE-PID</c>, made when a
/// target first asks, removed when the process exits. AFL kills its fuzzing processes, so the first ask also removes
/// the folders of processes that no longer exist (thousands of them piled up in /tmp before this).
/// </summary>
internal static class ScratchDir
{
    private static readonly ConcurrentDictionary<string, string> Made = new();
    private static int _swept;

    public static string For(string purpose) => Made.GetOrAdd(purpose, Make);

    private static string Make(string purpose)
    {
        var parent = Path.Combine(Path.GetTempPath(), "groundcrew-fuzz");
        if (Interlocked.Exchange(ref _swept, 1) == 0)
        {
            RemoveFoldersOfEndedProcesses(parent);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var dir in Made.Values) TryDelete(dir); };
        }
        var dir = Path.Combine(parent, $"{purpose}-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void RemoveFoldersOfEndedProcesses(string parent)
    {
        if (!Directory.Exists(parent) || !Directory.Exists("/proc")) return;
        foreach (var dir in Directory.EnumerateDirectories(parent))
        {
            var name = Path.GetFileName(dir);
            if (int.TryParse(name[(name.LastIndexOf('-') + 1)..], out var pid) && !Directory.Exists($"/proc/{pid}")) TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
