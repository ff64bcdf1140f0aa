using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Tests.Diagnose;
using Xunit;
using Groundcrew.Tests.Support;

namespace Groundcrew.Tests.Install;

/// <summary>
/// The .NET tool install path, as a user takes it: pack the CLI, install the package from a local folder into a
/// temporary tool path (no other package source), and run the installed `groundcrew` on the bundled examples.
/// </summary>
[Trait("Category", "Install")]
[RunsLong]
public class DotnetToolTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public void The_packed_tool_installs_and_checks_the_examples()
    {
        var root = DiagnoseFixtures.RepositoryRoot;
        var work = Directory.CreateTempSubdirectory("groundcrew-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var tools = Path.Combine(work.FullName, "tools");
            // The test build already compiled the CLI in this configuration: pack that output rather than build again.
            Run("dotnet", ["pack", Path.Combine(root, "src", "Groundcrew.Cli"), "-c", Configuration, "--no-build", "-o", packages], root)
                .ExitCode.Should().Be(0);
            var package = Directory.GetFiles(packages, "groundcrew.*.nupkg").Should().ContainSingle().Subject;
            var version = Path.GetFileNameWithoutExtension(package)["groundcrew.".Length..];

            // Only the local folder as a source: a package of the same name elsewhere cannot be picked instead.
            var config = Path.Combine(work.FullName, "nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
                """);
            var install = Run("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", packages,
                "--version", version, "groundcrew"], work.FullName);
            install.ExitCode.Should().Be(0, install.Stdout + install.Stderr);

            var groundcrew = Path.Combine(tools, OperatingSystem.IsWindows() ? "groundcrew.exe" : "groundcrew");
            var versionRun = Run(groundcrew, ["--version"], work.FullName);
            versionRun.Stdout.Should().StartWith($"groundcrew {version} (commit ");

            var check = Run(groundcrew, ["check", Path.Combine(root, "examples"), "--no-color"], work.FullName);
            check.ExitCode.Should().Be(1, check.Stderr);
            check.Stdout.Should().Contain("alb-https-without-certificate").And.Contain("placeholder-value")
                .And.MatchRegex(@"FAILED: \d+ error\(s\)");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static GroundcrewProcessResult Run(string file, IEnumerable<string> args, string directory)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new GroundcrewProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private sealed record GroundcrewProcessResult(int ExitCode, string Stdout, string Stderr);
}
