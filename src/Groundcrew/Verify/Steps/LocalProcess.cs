using System.ComponentModel;
using System.Diagnostics;
using Groundcrew.Core;

namespace Groundcrew.Verify.Steps;

/// <summary>How a local command ended: its exit code and output, or that it never started or was killed at its timeout.</summary>
public sealed record ProcessOutcome(int ExitCode, string StdOut, string StdErr, TimeSpan Duration, bool TimedOut = false, string? StartError = null)
{
    public bool Started => StartError == null;

    /// <summary>The live layer's record of the call, when it ran through it (for its error classes).</summary>
    public Groundcrew.Live.CommandResult? Live { get; init; }

    /// <summary>Set when stdout or stderr went past the bytes kept (<see cref="Groundcrew.Core.Limits.MaxProcessOutputBytes"/>): what was dropped.</summary>
    public string? OutputCut { get; init; }
}

/// <summary>
/// Runs one local process the way a check must: stdin closed (a prompt cannot hang the run), bounded in
/// time, and at the timeout the whole process tree is killed, so `sh -c "server &"` leaves nothing behind. Of each output
/// stream at most <c>maxOutputBytes</c> are kept; the rest is drained (the child never blocks on a full pipe).
/// </summary>
public static class LocalProcess
{
    public static async Task<ProcessOutcome> RunAsync(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env,
        string? workingDirectory, TimeSpan timeout, CancellationToken ct, int maxOutputBytes = Limits.MaxProcessOutputBytes)
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
            var stdout = BoundedOutput.ReadAsync(process.StandardOutput.BaseStream, maxOutputBytes);
            var stderr = BoundedOutput.ReadAsync(process.StandardError.BaseStream, maxOutputBytes);
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
            var outText = stdout.IsCompletedSuccessfully ? stdout.Result : CapturedOutput.Empty;
            var errText = stderr.IsCompletedSuccessfully ? stderr.Result : CapturedOutput.Empty;
            ct.ThrowIfCancellationRequested();
            var cut = string.Join("; ", new[] { outText.Cut ? outText.CutNote("stdout") : null, errText.Cut ? errText.CutNote("stderr") : null }.Where(n => n != null));
            return new ProcessOutcome(timedOut ? 124 : process.ExitCode, outText.Text, errText.Text, clock.Elapsed, timedOut)
                { OutputCut = cut.Length > 0 ? cut : null };
        }
    }
}
