using System.Diagnostics;

namespace Groundcrew.Tests.Support;

/// <summary>Runs the built `groundcrew` binary as a user would, capturing stdout, stderr and the exit code.</summary>
public static class GroundcrewCli
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static string Binary => Path.Combine(AppContext.BaseDirectory, "groundcrew.dll");

    public static Run ExecIn(string? workingDirectory, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add(Binary);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("groundcrew did not finish in 120 s"); }
        return new Run(p.ExitCode, o.Result, e.Result);
    }

    public static Run Exec(params string[] args) => ExecIn(null, null, args);
}
