using Groundcrew.Rules.Values;
using System.Text.Json;

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
        // System.Text.Json, read-only (no reflection): a value that is not one JSON object is judged whole.
        Dictionary<string, JsonElement> properties;
        try
        {
            using var doc = JsonDocument.Parse(secretString, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return ([], PatternOf(secretString) is { } whole ? [new PlaceholderFact(null, whole)] : []);
            properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject()) properties[p.Name] = p.Value.Clone(); // a repeated key: the last wins, as before
        }
        catch (JsonException) { return ([], PatternOf(secretString) is { } whole ? [new PlaceholderFact(null, whole)] : []); }
        var keys = properties.Keys.Order(StringComparer.Ordinal).ToList();
        var placeholders = properties.Where(p => p.Value.ValueKind == JsonValueKind.String)
            .Select(p => (Name: p.Key, Pattern: PatternOf(p.Value.GetString()!))).Where(p => p.Pattern != null)
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
