using System.ComponentModel;
using System.Diagnostics;

namespace Groundcrew.Diagnose.Live;

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs an external CLI (kubectl, aws). An interface so live readers can be tested with a fake or a local server.</summary>
public interface ICommandRunner
{
    CommandResult Run(string program, IReadOnlyList<string> args);
}

/// <summary>A required CLI is missing or unusable; the message says which and what to do.</summary>
public sealed class LiveSourceException(string message) : Exception(message);

/// <summary>Runs real processes, with optional extra environment variables (a test's kubeconfig or AWS endpoint).</summary>
public sealed class ProcessCommandRunner(IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) : ICommandRunner
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(60);

    public CommandResult Run(string program, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        Process process;
        try { process = Process.Start(info) ?? throw new LiveSourceException($"could not start {program}"); }
        catch (Win32Exception) { throw new LiveSourceException($"{program} was not found on PATH; install it or read saved output from files instead"); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(_timeout))
            {
                process.Kill(entireProcessTree: true);
                return new CommandResult(-1, "", $"{program} timed out after {_timeout.TotalSeconds:0}s");
            }
            return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
