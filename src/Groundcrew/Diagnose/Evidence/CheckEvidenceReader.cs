using Groundcrew.Diagnose.Matching;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundcrew.Core;

namespace Groundcrew.Diagnose.Evidence;

/// <summary>
/// Reads which rules a `groundcrew check` run reported, from its SARIF output (runs[].results[].ruleId,
/// the stable contract) or from its JSON output (any "ruleId" or "rule" property), so diagnose can rank
/// the causes of an ambiguous error by what is actually wrong in the repository.
/// </summary>
public static class CheckEvidenceReader
{
    public static CheckEvidence FromOutput(string origin, string output)
    {
        JsonNode? root;
        try { root = JsonValues.Parse(output); }
        catch (JsonException ex)
        {
            return new CheckEvidence(origin, new HashSet<string>(), $"check output is not JSON or SARIF: {ex.Message}");
        }
        var rules = JsonValues.Descendants(root)
            .Where(p => p.Name is "ruleId" or "rule" && JsonValues.IsString(p.Node))
            .Select(p => JsonValues.Str(p.Node)!)
            .ToHashSet(StringComparer.Ordinal);
        return new CheckEvidence(origin, rules);
    }

    public static CheckEvidence FromFile(string path)
    {
        try { return FromOutput(path, File.ReadAllText(path)); }
        catch (IOException ex) { return new CheckEvidence(path, new HashSet<string>(), $"cannot read check results: {ex.Message}"); }
    }
}
