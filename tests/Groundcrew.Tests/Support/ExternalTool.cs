using System.Diagnostics;
using FluentAssertions;

namespace Groundcrew.Tests.Support;

/// <summary>
/// A program a test runs (bash, zsh, fish, pre-commit, git). Missing on a developer machine, the test says so and
/// passes vacuously; missing in CI (CI=true), the test fails: .ci/run must install it.
/// </summary>
public static class ExternalTool
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        Environment.GetEnvironmentVariable("CI").Should().NotBe("true", $"{name} must be installed in CI (.ci/run installs it)");
        return null;
    }

    public static Run Exec(string program, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string?>? environment = null, string? stdin = null, int timeoutSeconds = 300)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
            if (v == null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException($"{program} did not finish in {timeoutSeconds} s"); }
        return new Run(p.ExitCode, o.Result, e.Result);
    }
}
