using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>One variable (or family) the platform sets by itself, from Data/app/platform-env.yaml.</summary>
public sealed record PlatformEnvEntry(string? Name, Groundcrew.Core.SafeRegex? Pattern, IReadOnlySet<string> Platforms, string When, string Source)
{
    public bool Matches(string name) => Name != null ? Name == name : Pattern!.IsMatch(name);
}

/// <summary>
/// Variables the platform provides without the manifest listing them (HOSTNAME, Kubernetes service links,
/// IRSA/Pod Identity credentials, ECS metadata and region). An env read of one of these is not "missing".
/// Facts and their sources: Data/app/platform-env.yaml.
/// </summary>
public static class PlatformEnv
{
    private static readonly Lazy<List<PlatformEnvEntry>> Table = new(Load);

    public static IReadOnlyList<PlatformEnvEntry> Entries => Table.Value;

    /// <summary>The entry that provides <paramref name="name"/> on <paramref name="platform"/> ("kubernetes", "eks", "ecs"), or null.
    /// "eks" includes the Kubernetes entries; "any" entries apply everywhere. Entries carry a condition (<see cref="PlatformEnvEntry.When"/>).</summary>
    public static PlatformEnvEntry? Find(string name, string platform)
    {
        foreach (var e in Table.Value)
        {
            var applies = e.Platforms.Contains("any") || e.Platforms.Contains(platform) || (platform == "eks" && e.Platforms.Contains("kubernetes"));
            if (applies && e.Matches(name)) return e;
        }
        return null;
    }

    private static List<PlatformEnvEntry> Load()
    {
        var root = DataFiles.ReadYaml("app/platform-env.yaml");
        var list = new List<PlatformEnvEntry>();
        foreach (var m in root.GetSeq("entries")?.Maps ?? [])
        {
            var name = m.GetString("name");
            var pattern = m.GetString("pattern");
            if (name == null && pattern == null) continue;
            var platforms = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in m.GetSeq("platforms")?.Items ?? [])
                if (item is ScalarNode s && s.Value != null) platforms.Add(s.Value);
            list.Add(new PlatformEnvEntry(name, pattern == null ? null : Groundcrew.Core.SafeRegex.Create("^(?:" + pattern + ")$", RegexOptions.CultureInvariant),
                platforms, m.GetString("when") ?? "", m.GetString("source") ?? ""));
        }
        return list;
    }
}
