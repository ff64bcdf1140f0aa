using System.Reflection;

namespace Groundcrew.Rules;

/// <summary>All rules, found once by reflection: adding a rule is adding a file.</summary>
public static class RuleRegistry
{
    private static readonly Lazy<IReadOnlyList<Rule>> All = new(() =>
        typeof(Rule).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Rule)) && !t.IsAbstract)
            .Select(t => (Rule)Activator.CreateInstance(t)!)
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ToList());

    public static IReadOnlyList<Rule> Rules => All.Value;

    public static Rule? Find(string id) => Rules.FirstOrDefault(r => r.Id == id);

    /// <summary>The docs page of a rule (docs/rules/ID.md, embedded at build time), or null.</summary>
    public static string? DocsPage(string id)
    {
        using var stream = typeof(Rule).Assembly.GetManifestResourceStream($"Groundcrew.Docs.rules.{id}.md");
        if (stream == null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
