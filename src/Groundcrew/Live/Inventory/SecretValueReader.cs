using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// Reads a secret's value only to learn its key names and which values are placeholders; the caller keeps
/// those names and drops the text. A value that is not a JSON object has no keys.
/// </summary>
public static class SecretValueReader
{
    public static (List<string> Keys, List<string> PlaceholderKeys) Read(string secretString)
    {
        JObject obj;
        try { obj = JObject.Parse(secretString); }
        catch (JsonException) { return ([], []); }
        var keys = obj.Properties().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var placeholders = obj.Properties().Where(p => p.Value.Type == JTokenType.String && IsPlaceholder((string)p.Value!)).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        return (keys, placeholders);
    }

    // `<your-db-password>`, `CHANGEME`, `TODO`, `xxx`: values left from a template (B3).
    public static bool IsPlaceholder(string value)
    {
        var v = value.Trim();
        if (v.StartsWith('<') && v.EndsWith('>')) return true;
        var lower = v.ToLowerInvariant();
        return lower is "changeme" or "change-me" or "change_me" or "todo" or "xxx" or "xxxx" or "placeholder" or "replace-me" or "your-value-here"
            || lower.StartsWith("your-", StringComparison.Ordinal) || lower.StartsWith("<your", StringComparison.Ordinal);
    }
}
