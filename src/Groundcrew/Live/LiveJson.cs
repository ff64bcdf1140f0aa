using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundcrew.Core;

namespace Groundcrew.Live;

/// <summary>
/// The JSON the aws CLI and kubectl print, and the raw AWS objects a snapshot keeps (policy documents, task
/// definitions, deployments), as System.Text.Json nodes (AOT-safe: no reflection). Read the way the Json.NET reader
/// before it took them, so snapshots stay byte-identical: a repeated property keeps its first position and its last
/// value, a number with a fraction or exponent is a double written as Json.NET wrote it ("1.5", "100.0"), a whole
/// number stays as written, and strings stay strings — a date is never parsed (a policy's "2012-10-17" or a task
/// definition's registeredAt stays exactly as the CLI printed it). The accessors never throw on an unexpected shape:
/// a property of something that is not an object is missing.
/// </summary>
public static class LiveJson
{
    /// <summary>Parses one JSON value (comments and trailing commas accepted); throws <see cref="JsonException"/> on malformed text.</summary>
    public static JsonNode? Parse(string text)
    {
        using var doc = JsonDocument.Parse(text, JsonValues.Lenient);
        return From(doc.RootElement);
    }

    /// <summary>A node tree of its own (no reference to the document) for one element, read as <see cref="Parse"/> reads.</summary>
    public static JsonNode? From(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var p in e.EnumerateObject()) o[p.Name] = From(p.Value); // a repeated name: first position, last value
                return o;
            case JsonValueKind.Array:
                var a = new JsonArray();
                foreach (var item in e.EnumerateArray()) a.Add(From(item));
                return a;
            case JsonValueKind.String: return JsonValue.Create(e.GetString());
            case JsonValueKind.Number: return Number(e);
            case JsonValueKind.True: return JsonValue.Create(true);
            case JsonValueKind.False: return JsonValue.Create(false);
            default: return null;
        }
    }

    private static JsonNode Number(JsonElement e)
    {
        var raw = e.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
            return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : JsonValue.Create(e.Clone())!; // "-0" is 0; a big integer as written (a Number element is never null)
        return e.TryGetDouble(out var d) ? JsonValues.Number(d) : JsonValue.Create(e.Clone())!;
    }

    /// <summary>The property <paramref name="key"/> of an object; null for a missing property or anything that is not an object.</summary>
    public static JsonNode? P(this JsonNode? node, string key) =>
        node is JsonObject o && o.TryGetPropertyValue(key, out var value) ? value : null;

    /// <summary>A scalar as text (a number as written, a boolean as "True"/"False", as Json.NET's string cast gave it); null otherwise.</summary>
    public static string? Str(this JsonNode? node) => node is JsonValue ? JsonValues.Str(node) : null;

    /// <summary>True only for a string value.</summary>
    public static bool IsString(this JsonNode? node) => JsonValues.IsString(node);

    /// <summary>A whole number from a number or a numeric string; null otherwise.</summary>
    public static int? Int(this JsonNode? node) => JsonValues.Int(node);

    /// <summary>A boolean (or "true"/"false"); null otherwise.</summary>
    public static bool? Bool(this JsonNode? node) => JsonValues.Bool(node);

    /// <summary>A number as a double; null for anything else.</summary>
    public static double? Double(this JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>The objects of an array (other items skipped); none when it is not an array.</summary>
    public static IEnumerable<JsonObject> Objects(this JsonNode? node) => node is JsonArray a ? a.OfType<JsonObject>() : [];

    /// <summary>The items of an array; none when it is not an array.</summary>
    public static IEnumerable<JsonNode?> Items(this JsonNode? node) => node is JsonArray a ? a : [];

    /// <summary>The string items of an array (others skipped); none when it is not an array.</summary>
    public static IEnumerable<string> Strings(this JsonNode? node) => node.Items().Select(Str).OfType<string>();

    /// <summary>A copy for a new parent (a node belongs to one parent), null staying null.</summary>
    public static JsonNode? Copy(this JsonNode? node) => node?.DeepClone();

    /// <summary>The JSON text, compact.</summary>
    public static string Text(this JsonNode? node) => node?.ToJsonString() ?? "null";
}
