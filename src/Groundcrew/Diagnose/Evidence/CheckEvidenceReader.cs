using Groundcrew.Diagnose.Matching;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

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
        JToken root;
        try { root = JToken.Parse(output); }
        catch (JsonReaderException ex)
        {
            return new CheckEvidence(origin, new HashSet<string>(), $"check output is not JSON or SARIF: {ex.Message}");
        }
        var properties = root is JContainer c ? c.Descendants().OfType<JProperty>() : [];
        var rules = properties
            .Where(p => p.Name is "ruleId" or "rule" && p.Value.Type == JTokenType.String)
            .Select(p => (string)p.Value!)
            .ToHashSet(StringComparer.Ordinal);
        return new CheckEvidence(origin, rules);
    }

    public static CheckEvidence FromFile(string path)
    {
        try { return FromOutput(path, File.ReadAllText(path)); }
        catch (IOException ex) { return new CheckEvidence(path, new HashSet<string>(), $"cannot read check results: {ex.Message}"); }
    }
}
