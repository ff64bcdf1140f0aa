using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Groundcrew.Tests.Support;

/// <summary>Runs the built `groundcrew` binary in a child process as a user would (stdin, environment, working directory), capturing stdout, stderr and the exit code.</summary>
public static class GroundcrewCli
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    /// <summary>
    /// The groundcrew.dll the tests start: the ReadyToRun publish in groundcrew-cli/ that the test project builds
    /// (Groundcrew.Tests.csproj, target PublishGroundcrewCliReadyToRun; precompiled, so a run spends less CPU on JIT),
    /// or the plain build output next to the tests when that copy is missing or was not made from the engine the tests
    /// load (a different module version id, as when Stryker swaps in a mutated Groundcrew.Engine.dll).
    /// </summary>
    public static string Binary { get; } = ChooseBinary();

    private static string ChooseBinary()
    {
        var plain = Path.Combine(AppContext.BaseDirectory, "groundcrew.dll");
        var r2r = Path.Combine(AppContext.BaseDirectory, "groundcrew-cli", "groundcrew.dll");
        const string engine = "Groundcrew.Engine.dll";
        var r2rEngine = Path.Combine(AppContext.BaseDirectory, "groundcrew-cli", engine);
        if (!File.Exists(r2r) || !File.Exists(r2rEngine)) return plain;
        if (File.GetLastWriteTimeUtc(r2r) < File.GetLastWriteTimeUtc(plain)) return plain;
        return ModuleVersionId(r2rEngine) == ModuleVersionId(Path.Combine(AppContext.BaseDirectory, engine)) ? r2r : plain;
    }

    private static Guid ModuleVersionId(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

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
