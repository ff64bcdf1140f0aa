using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Groundcrew.Cli;

/// <summary>
/// The version and commit this binary was built from. The SDK writes both into the assembly's informational
/// version ("0.1.0+&lt;commit&gt;"): the version from Directory.Build.props, the commit from git at build time
/// (SourceRevisionId; pass -p:SourceRevisionId=... where there is no git checkout, otherwise it is "unknown").
/// </summary>
public static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => Informational.Split('+')[0];

    public static string Commit
    {
        get
        {
            var plus = Informational.IndexOf('+');
            var commit = plus < 0 ? "" : Informational[(plus + 1)..];
            return commit.Length == 0 ? "unknown" : commit.Length > 12 ? commit[..12] : commit;
        }
    }

    /// <summary>`groundcrew --version`: "groundcrew 0.1.0 (commit 1a2b3c4d5e6f)".</summary>
    public static void UseForVersionOption(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
            option.Action = new PrintVersion();
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"groundcrew {Version} (commit {Commit})");
            return ExitCodes.Ok;
        }
    }
}
