using System.Globalization;
using System.Text.RegularExpressions;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Groundcrew.Verify.Flows;

/// <summary>
/// Turns a YAML document into a JSON node tree: flows are compared against JSON responses,
/// so one value model for both keeps equality honest. Plain scalars get YAML 1.2 core typing
/// (201 is a number, true a boolean); quoted scalars always stay strings. Every node, and every mapping key,
/// keeps the line it came from so flow-file errors can point at it (a YAML null has no node: its key's line is kept).
/// </summary>
public static partial class YamlToJson
{
    private static readonly ConditionalWeakTable<JsonNode, Lines> LineTable = new();

    private sealed class Lines
    {
        public int Line;
        public Dictionary<string, int>? Keys;
    }

    public static JsonNode? Parse(string yaml)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or InvalidCastException)
        {
            // YamlDotNet throws these, not a YamlException, for some malformed streams (a control character after a
            // flow-mapping key, found by fuzzing): still a file that cannot be used as written, so exit code 2.
            throw new FlowFileException($"invalid YAML: {ex.Message}");
        }
        if (stream.Documents.Count == 0) return null;
        return Convert(stream.Documents[0].RootNode);
    }

    /// <summary>The line of the node, or of the nearest node around it that has one.</summary>
    public static int? LineOf(JsonNode? node)
    {
        for (var n = node; n != null; n = n.Parent)
            if (LineTable.TryGetValue(n, out var lines)) return lines.Line;
        return null;
    }

    /// <summary>The line of a mapping's key (where an unknown or misplaced key is reported).</summary>
    public static int? LineOf(JsonObject obj, string key) =>
        LineTable.TryGetValue(obj, out var lines) && lines.Keys != null && lines.Keys.TryGetValue(key, out var line) ? line : LineOf(obj);

    /// <summary>The line of a mapping's value, or of its key when the value is null.</summary>
    public static int? ValueLine(JsonObject obj, string key) =>
        obj[key] is { } value ? LineOf(value) : LineOf(obj, key);

    /// <summary>A deep copy that keeps the lines (moving a piece of a flow file into a request built from it).</summary>
    public static JsonNode? CopyWithLines(JsonNode? node)
    {
        if (node == null) return null;
        var copy = node.DeepClone();
        CopyLines(node, copy);
        return copy;
    }

    private static void CopyLines(JsonNode from, JsonNode to)
    {
        if (LineTable.TryGetValue(from, out var lines)) LineTable.AddOrUpdate(to, lines);
        switch (from)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                    if (value != null && to[key] is { } t) CopyLines(value, t);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] != null && to[i] is { } t) CopyLines(a[i]!, t);
                break;
        }
    }

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? result = node switch
        {
            YamlMappingNode map => ConvertMap(map),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => null,
        };
        if (result != null)
        {
            if (LineTable.TryGetValue(result, out var lines)) lines.Line = (int)node.Start.Line;
            else LineTable.Add(result, new Lines { Line = (int)node.Start.Line });
        }
        return result;
    }

    private static JsonObject ConvertMap(YamlMappingNode map)
    {
        var obj = new JsonObject();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value
                       ?? throw new FlowFileException("mapping keys must be plain text", (int)key.Start.Line);
            if (obj.ContainsKey(name))
                throw new FlowFileException($"duplicate key '{name}'", (int)key.Start.Line);
            obj[name] = Convert(value);
            keys[name] = (int)key.Start.Line;
        }
        LineTable.Add(obj, new Lines { Keys = keys });
        return obj;
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}

/// <summary>A flow file (or config) that cannot be used as written. Becomes exit code 2.</summary>
public sealed class FlowFileException(string message, int? line = null, string? file = null) : Exception(message)
{
    public int? Line { get; } = line;
    public string? File { get; } = file;

    public FlowFileException InFile(string file) => new(Message, Line, File ?? file);

    public override string ToString() =>
        (File, Line) switch
        {
            (not null, not null) => $"{File}:{Line}: {Message}",
            (not null, null) => $"{File}: {Message}",
            (null, not null) => $"line {Line}: {Message}",
            _ => Message,
        };
}
