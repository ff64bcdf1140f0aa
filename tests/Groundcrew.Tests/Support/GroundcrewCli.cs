using System.Diagnostics;

namespace Groundcrew.Tests.Support;

/// <summary>Runs the built `groundcrew` binary in a child process as a user would (stdin, environment, working directory), capturing stdout, stderr and the exit code.</summary>
public static class GroundcrewCli
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static string Binary => Path.Combine(AppContext.BaseDirectory, "groundcrew.dll");

    public static Run ExecIn(string? workingDirectory, string? stdin, params string[] args) => ExecWith(args, stdin, null, workingDirectory);

    /// <summary>The general form: arguments, optional stdin, extra environment variables and working directory.</summary>
    public static Run ExecWith(IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add(Binary);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("groundcrew did not finish in 120 s"); }
        return new Run(p.ExitCode, o.Result, e.Result);
    }

    public static Run Exec(params string[] args) => ExecIn(null, null, args);

    /// <summary>
    /// One run that also writes each of <paramref name="formats"/> to a file in <paramref name="folder"/>
    /// (`--output FORMAT=FILE`), so every format is checked without a process per format. Returns each file's text ("" if missing).
    /// </summary>
    public static (Run Run, Dictionary<string, string> Outputs) ExecWritingFormats(IReadOnlyList<string> formats, string folder, string name,
        string? stdin, params string[] args)
    {
        var files = formats.ToDictionary(f => f, f => Path.Combine(folder, $"{name}.{f}"));
        var all = args.ToList();
        foreach (var (format, file) in files) all.AddRange(["--output", $"{format}={file}"]);
        var run = ExecWith(all, stdin);
        return (run, files.ToDictionary(f => f.Key, f => File.Exists(f.Value) ? File.ReadAllText(f.Value) : ""));
    }
}
