using System.Diagnostics;

namespace Groundcrew.Load.Kustomize;

/// <summary>Runs `kubectl kustomize DIR`. Availability is probed once per process.</summary>
public static class KustomizeRenderer
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            var r = Run(["version", "--client"], TimeSpan.FromSeconds(20), null);
            return r.ExitCode == 0;
        }
        catch (Exception) { return false; }
    });

    /// <summary>Name of the binary; tests may point it elsewhere with GROUNDCREW_KUBECTL.</summary>
    public static string Kubectl => Environment.GetEnvironmentVariable("GROUNDCREW_KUBECTL") is { Length: > 0 } k ? k : "kubectl";

    public static bool IsAvailable => Available.Value;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Render(string directory) => Run(["kustomize", directory], TimeSpan.FromSeconds(120), directory);

    private static Result Run(IEnumerable<string> args, TimeSpan timeout, string? workingDirectory)
    {
        var psi = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start kubectl");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            return new Result(-1, "", $"timed out after {timeout.TotalSeconds:0} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
