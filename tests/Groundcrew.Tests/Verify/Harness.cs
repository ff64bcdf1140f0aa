using System.Diagnostics;
using Groundcrew.Verify;
using Groundcrew.Verify.Reporting;

namespace Groundcrew.Tests.Verify;

/// <summary>Runs verify in-process against a string writer, or the real `groundcrew` binary as a child process.</summary>
public static class Harness
{
    public static string RepoRoot { get; } = FindRoot();
    public static string Example(string name) => Path.Combine(RepoRoot, "examples", "flows", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Groundcrew.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public static VerifyRequest Request(IEnumerable<string> flows, params (string Name, string Value)[] vars) => new(
        flows.ToList(), null, vars.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)).ToList(), [], 1,
        Path.Combine(Path.GetTempPath(), "groundcrew-no-config.yaml"), []);

    public static async Task<(VerifyRunResult Result, string Output)> RunAsync(VerifyRequest request, VerifyTools? tools = null)
    {
        var output = new StringWriter();
        var runner = new VerifyRunner(output, tools ?? new VerifyTools("kubectl", "aws"));
        var result = await runner.RunAsync(request);
        return (result, output.ToString());
    }

    /// <summary>(string, string)[] of the order service's credentials, as a deploy pipeline would pass them.</summary>
    public static (string, string)[] OrderVars(Uri api, string pollTimeout = "5s", string pollInterval = "100ms") =>
    [
        ("api", api.ToString().TrimEnd('/')), ("user", "smoke"), ("password", "s3cret-pa55word"),
        ("webhookSecret", "whsec-0123456789abcdef"), ("pollTimeout", pollTimeout), ("pollInterval", pollInterval),
    ];

    public sealed record CliRun(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed);

    /// <summary>The real binary, as CI runs it: the exit code is the contract under test.</summary>
    public static async Task<CliRun> CliAsync(IEnumerable<string> args, IDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var dll = typeof(Groundcrew.Cli.Commands.VerifyCommand).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("verify");
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await p.WaitForExitAsync(cts.Token);
        return new CliRun(p.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gc-verify-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
