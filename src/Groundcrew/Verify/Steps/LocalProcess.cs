using System.ComponentModel;
using System.Diagnostics;

namespace Groundcrew.Verify.Steps;

/// <summary>How a local command ended: its exit code and output, or that it never started or was killed at its timeout.</summary>
public sealed record ProcessOutcome(int ExitCode, string StdOut, string StdErr, TimeSpan Duration, bool TimedOut = false, string? StartError = null)
{
    public bool Started => StartError == null;

    /// <summary>The live layer's record of the call, when it ran through it (for its error classes).</summary>
    public Groundcrew.Live.CommandResult? Live { get; init; }
}

/// <summary>
/// Runs one local process the way a check must: stdin closed (a prompt cannot hang the run), bounded in
/// time, and at the timeout the whole process tree is killed, so `sh -c "server &"` leaves nothing behind.
/// </summary>
public static class LocalProcess
{
    public static async Task<ProcessOutcome> RunAsync(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env,
        string? workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        if (workingDirectory != null) info.WorkingDirectory = workingDirectory;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        Process process;
        try { process = Process.Start(info)!; }
        catch (Exception ex) when (ex is Win32Exception or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            var why = workingDirectory != null && !Directory.Exists(workingDirectory)
                ? $"the working directory {workingDirectory} does not exist"
                : ex is Win32Exception { NativeErrorCode: 2 } ? "not found on PATH" : ex.Message;
            return new ProcessOutcome(127, "", "", clock.Elapsed, StartError: $"cannot run '{file}': {why}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            var timedOut = false;
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                timedOut = true;
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync(CancellationToken.None);
            }
            // A grandchild that escaped the tree (setsid) may still hold the pipes open: do not wait on it forever.
            var drained = Task.WhenAll(stdout, stderr);
            await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            var outText = stdout.IsCompletedSuccessfully ? stdout.Result : "";
            var errText = stderr.IsCompletedSuccessfully ? stderr.Result : "";
            ct.ThrowIfCancellationRequested();
            return new ProcessOutcome(timedOut ? 124 : process.ExitCode, outText, errText, clock.Elapsed, timedOut);
        }
    }
}
