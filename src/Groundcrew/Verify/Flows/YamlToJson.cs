using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Groundcrew.Verify.Flows;

/// <summary>The line a value came from, kept on every token so flow-file errors can point at it.</summary>
public sealed record SourceLine(int Line);

/// <summary>
/// Turns a YAML document into a JSON token tree: flows are compared against JSON responses,
/// so one value model for both keeps equality honest. Plain scalars get YAML 1.2 core typing
/// (201 is a number, true a boolean); quoted scalars always stay strings.
/// </summary>
public static partial class YamlToJson
{
    public static JToken? Parse(string yaml)
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

    public static int? LineOf(JToken? token)
    {
        for (var t = token; t != null; t = t.Parent)
            if (t.Annotation<SourceLine>() is { } line) return line.Line;
        return null;
    }

    private static JToken Convert(YamlNode node)
    {
        JToken result = node switch
        {
            YamlMappingNode map => ConvertMap(map),
            YamlSequenceNode seq => new JArray(seq.Children.Select(Convert)),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => JValue.CreateNull(),
        };
        result.AddAnnotation(new SourceLine((int)node.Start.Line));
        return result;
    }

    private static JObject ConvertMap(YamlMappingNode map)
    {
        var obj = new JObject();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value
                       ?? throw new FlowFileException("mapping keys must be plain text", (int)key.Start.Line);
            if (obj.ContainsKey(name))
                throw new FlowFileException($"duplicate key '{name}'", (int)key.Start.Line);
            var child = Convert(value);
            var property = new JProperty(name, child);
            property.AddAnnotation(new SourceLine((int)key.Start.Line));
            obj.Add(property);
        }
        return obj;
    }

    private static JValue ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
            return new JValue(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return JValue.CreateNull();
        if (text is "true" or "True" or "TRUE") return new JValue(true);
        if (text is "false" or "False" or "FALSE") return new JValue(false);
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return new JValue(l);
        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return new JValue(d);
        return new JValue(text);
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
