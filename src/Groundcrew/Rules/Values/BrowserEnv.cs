using System.Text.RegularExpressions;
using Groundcrew.Config;
using Groundcrew.Core;

namespace Groundcrew.Rules.Values;

/// <summary>Which env names reach browsers (Data/browser-env.yaml plus the config's browserEnv globs).</summary>
public static class BrowserEnv
{
    private sealed record Tables(string[] Prefixes, string[] InternalSuffixes, HashSet<string> Loopback);

    private static readonly Lazy<Tables> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("browser-env.yaml");
        string[] Strs(string key) => (y.GetSeq(key)?.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>() ?? []).ToArray();
        return new Tables(
            (y.GetSeq("prefixes")?.Maps ?? []).Select(m => m.GetString("prefix")).OfType<string>().ToArray(),
            Strs("internalSuffixes"), Strs("loopbackHosts").ToHashSet(StringComparer.OrdinalIgnoreCase));
    });

    public static IReadOnlyList<string> Prefixes => Data.Value.Prefixes;
    public static IReadOnlyList<string> InternalSuffixes => Data.Value.InternalSuffixes;
    public static bool IsLoopback(string host) => Data.Value.Loopback.Contains(host);

    /// <summary>A predicate on env names: true when the name's value is exposed to browser code.</summary>
    public static Func<string?, bool> Matcher(GroundcrewConfig config)
    {
        var globs = config.BrowserEnvPatterns.Select(g => Groundcrew.Core.SafeRegex.Create("^" + Regex.Escape(g).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant)).ToArray();
        var prefixes = Data.Value.Prefixes;
        return name => name != null && (HasPrefix(name, prefixes) || MatchesAny(name, globs));
    }

    // Called for every env name of the model: loops, no closure per call.
    private static bool HasPrefix(string name, string[] prefixes)
    {
        foreach (var p in prefixes)
            if (name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length) return true;
        return false;
    }

    private static bool MatchesAny(string name, Groundcrew.Core.SafeRegex[] globs)
    {
        foreach (var g in globs)
            if (g.IsMatch(name)) return true;
        return false;
    }
}
