using System.Diagnostics;

namespace Groundcrew.Verify.Rollout;

public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>Runs `kubectl` and `aws`. An interface so the status logic can be tested with canned output too.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct);
}

/// <summary>
/// Real processes, always bounded: a hung CLI (an unreachable API server, an SSO prompt) is killed
/// at its timeout, which is what lets `verify` promise that it ends.
/// </summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(info)!; }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return new CommandResult(127, "", $"cannot run '{file}': {ex.Message}");
        }
        using (process)
        {
            process.StandardInput.Close(); // never wait on a prompt
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync(CancellationToken.None);
                return new CommandResult(124, await stdout, (await stderr) + $"\n{Path.GetFileName(file)} did not answer within {timeout.TotalSeconds:0}s");
            }
            return new CommandResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
