using System.Diagnostics;

namespace Groundcrew.Tests.Support;

/// <summary>
/// A loopback server a test starts (moto_server, postgres, mariadbd), stopped on every path. Stop (Dispose) kills its
/// whole process tree and waits for it. And because a test host that crashes, is killed at a timeout or exits without
/// disposing its fixtures would otherwise leave the server running, the server runs under a small shell that holds the
/// read end of a pipe from this process: when this process goes, for whatever reason, the pipe closes and the shell
/// stops the server.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    // The server runs in the background (so its stdin is /dev/null); the shell waits on its own stdin, our pipe.
    private const string Watchdog = "\"$@\" & server=$!; read _; kill $server 2>/dev/null; wait $server";

    private readonly Process _process;
    private readonly List<string> _log = [];

    private ServerProcess(Process process) => _process = process;

    public static ServerProcess Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "-c", Watchdog, "sh", file }.Concat(args)) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var server = new ServerProcess(Process.Start(info)!);
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The server (or the shell above it) has ended: it will not start listening any more.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server printed, for a "did not start" message.</summary>
    public string RecentOutput(int lines = 30)
    {
        lock (_log) return string.Join('\n', _log.TakeLast(lines));
    }

    private void Keep(string? line)
    {
        if (line == null) return;
        lock (_log)
        {
            _log.Add(line);
            if (_log.Count > 200) _log.RemoveAt(0);
        }
    }

    /// <summary>What the end of this process does to the server (the pipe closes); the watchdog test uses it alone.</summary>
    public void ReleaseLifeline() => _process.StandardInput.Close();

    public void Dispose()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
