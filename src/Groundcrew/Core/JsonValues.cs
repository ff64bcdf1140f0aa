using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Core;

/// <summary>
/// System.Text.Json (AOT-safe, no reflection) with the conversions the readers had under Json.NET, so replacing it changed
/// no output: strings from scalars ("5", "True"), numbers written as Json.NET wrote doubles ("1.0"), the same escapes, and
/// comments and trailing commas accepted in documents users feed.
/// </summary>
public static class JsonValues
{
    /// <summary>Comments and trailing commas, which Json.NET's reader accepted.</summary>
    public static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Indented, two spaces, non-ASCII and HTML characters left as they are (Json.NET's Formatting.Indented).</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses one JSON value; throws <see cref="JsonException"/> on malformed text.</summary>
    public static JsonNode? Parse(string text) => JsonNode.Parse(text, documentOptions: Lenient);

    /// <summary>Parses a JSON object; throws <see cref="JsonException"/> when the text is malformed or another value.</summary>
    public static JsonObject ParseObject(string text) =>
        Parse(text) as JsonObject ?? throw new JsonException("the JSON value is not an object");

    /// <summary>
    /// 1-based line and column (in characters, as Json.NET gave them) of a parse error in <paramref name="text"/>: System.Text.Json
    /// counts both from 0 and the column in UTF-8 bytes. The column stays within the line (at most one past its end).
    /// </summary>
    public static (int Line, int Column) Position(JsonException ex, string text)
    {
        var line = (int)Math.Min(ex.LineNumber ?? 0, int.MaxValue - 1);
        var bytes = ex.BytePositionInLine ?? 0;
        var start = 0;
        for (var l = 0; l < line && start >= 0; l++) start = text.IndexOf('\n', start) is var nl and >= 0 ? nl + 1 : -1;
        if (start < 0) return (line + 1, 1);
        var end = text.IndexOf('\n', start);
        if (end < 0) end = text.Length;
        var column = 0;
        for (var i = start; i < end && bytes > 0; i++, column++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < end) { bytes -= 4; i++; } // a surrogate pair: one character, 4 bytes
            else bytes -= Encoding.UTF8.GetByteCount(text.AsSpan(i, 1));
        }
        return (line + 1, column + 1);
    }

    /// <summary>The first sentence of a parse error, without System.Text.Json's "LineNumber: .. | BytePositionInLine: .." tail.</summary>
    public static string Message(JsonException ex) => ex.Message.Split(" LineNumber:")[0].Split(" Path: ")[0].TrimEnd(' ', '.');

    /// <summary>
    /// A scalar as text, as Json.NET's <c>(string?)token</c> gave it: null for a missing or null value, a string as is, a number
    /// as written, a boolean as "True"/"False"; an object or array is no string (ArgumentException, as before).
    /// </summary>
    public static string? Str(JsonNode? node)
    {
        if (node == null) return null;
        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            JsonValueKind.Null => null,
            var kind => throw new ArgumentException($"Can not convert {kind} to String."),
        };
    }

    /// <summary>
    /// Json.NET's <c>token[name] != null</c>: true for a property that is present, even when it is null; an array or scalar has
    /// no properties and throws (InvalidOperationException), as it did.
    /// </summary>
    public static bool Has(JsonNode? node, string name) => node is JsonObject o
        ? o.ContainsKey(name)
        : node is null ? throw new InvalidOperationException("Cannot access child value of a null JSON value.") : node[name] != null;

    /// <summary>True only for a string value (Json.NET's JTokenType.String).</summary>
    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    /// <summary>A whole number from a number or a numeric string, else null (never throws).</summary>
    public static int? Int(JsonNode? node) => Long(node) is long l and >= int.MinValue and <= int.MaxValue ? (int)l : null;

    /// <summary>A whole number from a number or a numeric string, else null (never throws).</summary>
    public static long? Long(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        var text = v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        };
        if (text == null) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        // Json.NET read 1.0 or 1e2 as a double, whose text ("1", "100") is a whole number.
        return v.GetValueKind() == JsonValueKind.Number && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue ? (long)d : null;
    }

    /// <summary>A boolean or "true"/"false" string, else null.</summary>
    public static bool? Bool(JsonNode? node) => node is JsonValue v ? v.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => null,
    } : null;

    /// <summary>A double written as Json.NET wrote it: shortest round-trip digits, and ".0" on a whole number.</summary>
    public static JsonNode Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (double.IsFinite(value) && text.IndexOfAny(['.', 'E', 'e']) < 0) text += ".0";
        if (!double.IsFinite(value)) return JsonValue.Create(text)!;
        using var doc = JsonDocument.Parse(text);
        return JsonValue.Create(doc.RootElement.Clone())!;
    }

    /// <summary>An array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>Every node below <paramref name="root"/> in document order, with the property name it sits under (null in arrays).</summary>
    public static IEnumerable<(string? Name, JsonNode? Node)> Descendants(JsonNode? root)
    {
        switch (root)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    yield return (name, value);
                    foreach (var d in Descendants(value)) yield return d;
                }
                break;
            case JsonArray a:
                foreach (var value in a)
                {
                    yield return (null, value);
                    foreach (var d in Descendants(value)) yield return d;
                }
                break;
        }
    }

    /// <summary>The text between the quotes of Json.NET's JSON string for <paramref name="value"/> (lowercase \u escapes).</summary>
    public static string EscapeLikeJsonNet(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ' or '\u0085' or '\u2028' or '\u2029': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
