using Groundcrew.Rules.Values;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// Reads a secret's value only to learn its key names and which values are placeholders; the caller keeps
/// those names (and the pattern class that matched) and drops the text. A value that is not a JSON object has no
/// keys; with <c>--read-secret-values</c> it is judged as one whole value (key null).
/// </summary>
public static class SecretValueReader
{
    public static (List<string> Keys, List<PlaceholderFact> Placeholders) Read(string secretString)
    {
        JObject obj;
        try { obj = JObject.Parse(secretString); }
        catch (JsonException) { return ([], PatternOf(secretString) is { } whole ? [new PlaceholderFact(null, whole)] : []); }
        var keys = obj.Properties().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var placeholders = obj.Properties().Where(p => p.Value.Type == JTokenType.String)
            .Select(p => (p.Name, Pattern: PatternOf((string)p.Value!))).Where(p => p.Pattern != null)
            .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new PlaceholderFact(p.Name, p.Pattern!)).ToList();
        return (keys, placeholders);
    }

    /// <summary>
    /// The pattern class of Data/placeholders.yaml a value matches (an embedded id such as `angle-your` for
    /// `&lt;your-db-password&gt;` or `replace-me` for `REPLACE_ME`; else `whole-value` for `changeme`, `TODO`, `xxx`), or null. Only the class is
    /// kept: the value, and the placeholder text inside it, are not.
    /// </summary>
    public static string? PatternOf(string value)
    {
        if (value.Length == 0 || value.Contains('\n')) return null; // multi-line values (keys, certificates) are not placeholders
        // The embedded ids name the kind of placeholder (angle-your, replace-me); whole-value is the catch-all of placeholder words.
        return (Placeholders.Embedded(value) ?? Placeholders.WholeValue(value))?.Pattern;
    }
}
