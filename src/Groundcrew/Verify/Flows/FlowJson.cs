using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>
/// The few questions the flows ask of a JSON value, over System.Text.Json nodes (a JSON null is a null node).
/// Integers and other numbers stay apart as Json.NET kept them: `type: integer` and the report's text depend on it.
/// </summary>
public static class FlowJson
{
    /// <summary>Compact JSON as Json.NET wrote it: only quotes, backslashes and control characters escaped.</summary>
    public static readonly JsonSerializerOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    public static bool IsString(JsonNode? node) => Kind(node) == JsonValueKind.String;

    public static bool IsBool(JsonNode? node) => Kind(node) is JsonValueKind.True or JsonValueKind.False;

    public static bool IsNumber(JsonNode? node) => Kind(node) == JsonValueKind.Number;

    /// <summary>A number written without a fraction or exponent (parsed), or made from a CLR integer.</summary>
    public static bool IsInteger(JsonNode? node)
    {
        if (node is not JsonValue v || Kind(node) != JsonValueKind.Number) return false;
        if (v.TryGetValue<JsonElement>(out var e)) return e.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;
        return v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _) || v.TryGetValue<ulong>(out _) || v.TryGetValue<uint>(out _)
               || v.TryGetValue<short>(out _) || v.TryGetValue<byte>(out _);
    }

    /// <summary>A scalar (string, number, boolean), not null and not a container.</summary>
    public static bool IsScalar(JsonNode? node) => node is JsonValue && Kind(node) != JsonValueKind.Null;

    public static string String(JsonNode node) => node.GetValue<string>();

    public static bool Bool(JsonNode? node) => Kind(node) == JsonValueKind.True;

    /// <summary>A scalar as text the way Json.NET's Convert.ToString(value) gave it: "True" for a boolean, digits for a number.</summary>
    public static string ScalarText(JsonNode node) => Kind(node) switch
    {
        JsonValueKind.String => String(node),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "",
        JsonValueKind.Number => NumberText(node),
        _ => Compact(node),
    };

    /// <summary>A number's text: a parsed number as written, a CLR number in invariant culture (a double keeps ".0").</summary>
    public static string NumberText(JsonNode node)
    {
        var v = (JsonValue)node;
        if (v.TryGetValue<JsonElement>(out var e)) return e.GetRawText();
        if (v.TryGetValue<double>(out var d)) return d.ToString("R", CultureInfo.InvariantCulture);
        if (v.TryGetValue<decimal>(out var m)) return m.ToString(CultureInfo.InvariantCulture);
        return node.ToJsonString();
    }

    public static string Compact(JsonNode? node)
    {
        if (node == null) return "null";
        if (Kind(node) == JsonValueKind.Number && node is JsonValue v && v.TryGetValue<double>(out var d))
        {
            // Json.NET wrote a double with its fraction (2.0, not 2): the report shows what the flow said.
            var text = d.ToString("R", CultureInfo.InvariantCulture);
            return double.IsFinite(d) && text.AsSpan().IndexOfAny('.', 'E', 'e') < 0 ? text + ".0" : text;
        }
        return node.ToJsonString(CompactOptions);
    }

    public static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        return IsInteger(node) && long.TryParse(NumberText(node!), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return IsNumber(node) && decimal.TryParse(NumberText(node!), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryDouble(JsonNode? node, out double value)
    {
        value = 0;
        return IsNumber(node) && double.TryParse(NumberText(node!), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A copy (a node has one parent; one already in a tree must be copied to go into another).</summary>
    public static JsonNode? Copy(JsonNode? node) => node?.DeepClone();
}
