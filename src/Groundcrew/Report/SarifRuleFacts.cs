using System.Globalization;
using Groundcrew.Core;
using Groundcrew.Load;

namespace Groundcrew.Report;

/// <summary>A rule's SARIF properties: tags, and for a security rule its security-severity score (0.1-10).</summary>
public sealed record SarifRuleFact(IReadOnlyList<string> Tags, double? SecuritySeverity);

/// <summary>Data/sarif-rules.yaml, read once. A rule it does not list is tagged <c>reliability</c> only.</summary>
public static class SarifRuleFacts
{
    private static readonly Lazy<IReadOnlyDictionary<string, SarifRuleFact>> Facts = new(Load);

    public static SarifRuleFact For(string ruleId) =>
        Facts.Value.TryGetValue(ruleId, out var fact) ? fact : new SarifRuleFact(["reliability"], null);

    /// <summary>The rule ids the data file names (the tests check each is a real rule).</summary>
    public static IEnumerable<string> ListedRules => Facts.Value.Keys;

    private static IReadOnlyDictionary<string, SarifRuleFact> Load()
    {
        var facts = new Dictionary<string, SarifRuleFact>(StringComparer.Ordinal);
        var rules = DataFiles.ReadYaml("sarif-rules.yaml")["rules"] as MapNode
            ?? throw new InvalidDataException("Data/sarif-rules.yaml: 'rules' must be a mapping");
        foreach (var entry in rules.Entries)
        {
            var map = entry.Value as MapNode ?? throw new InvalidDataException($"Data/sarif-rules.yaml: {entry.Name} must be a mapping");
            var tags = (map["tags"] as SeqNode)?.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>().ToList() ?? [];
            double? score = double.TryParse(map.GetString("security-severity"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null;
            if (score is { } v && (v <= 0 || v > 10 || !tags.Contains("security")))
                throw new InvalidDataException($"Data/sarif-rules.yaml: {entry.Name}: security-severity must be in (0, 10] and the rule tagged security");
            if (!tags.Contains("security")) tags.Insert(0, "reliability");
            facts[entry.Name] = new SarifRuleFact(tags, score);
        }
        return facts;
    }
}
