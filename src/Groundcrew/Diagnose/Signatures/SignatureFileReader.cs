using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Groundcrew.Diagnose.Signatures;

/// <summary>
/// Reads one Data/signatures/*.yaml file into <see cref="SignatureFile"/> by walking YamlDotNet's node tree.
/// Written out by hand rather than with YamlDotNet's deserializer, which binds properties by reflection and does not
/// survive the native (AOT) build. Strict like that deserializer was: an unknown key or a wrong shape is an error
/// naming its line.
/// </summary>
internal static class SignatureFileReader
{
    public static SignatureFile Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var file = new SignatureFile();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" }) return file;
        foreach (var (key, value) in Map(stream.Documents[0].RootNode))
        {
            switch (key)
            {
                case "family": file.Family = Text(value); break;
                case "signatures": file.Signatures = List(value, Entry); break;
                default: throw Unknown(key, value);
            }
        }
        return file;
    }

    private static SignatureEntry Entry(YamlNode node)
    {
        var e = new SignatureEntry();
        foreach (var (key, value) in Map(node))
        {
            switch (key)
            {
                case "id": e.Id = Text(value); break;
                case "title": e.Title = Text(value); break;
                case "confidence": e.Confidence = Text(value); break;
                case "match": e.Match = List(value, Clause); break;
                case "cause": e.Cause = Text(value); break;
                case "fix": e.Fix = Texts(value); break;
                case "preventedBy": e.PreventedBy = Texts(value); break;
                case "sources": e.Sources = Texts(value); break;
                case "yieldsTo": e.YieldsTo = Texts(value); break;
                case "yieldScope": e.YieldScope = Text(value); break;
                case "hypotheses": e.Hypotheses = List(value, Hypothesis); break;
                case "examples": e.Examples = List(value, Example); break;
                case "nearMisses": e.NearMisses = List(value, n => Example(n).Text); break;
                default: throw Unknown(key, value);
            }
        }
        return e;
    }

    private static ClauseEntry Clause(YamlNode node)
    {
        var c = new ClauseEntry();
        foreach (var (key, value) in Map(node))
        {
            switch (key)
            {
                case "waitingReason": c.WaitingReason = Texts(value); break;
                case "terminatedReason": c.TerminatedReason = Texts(value); break;
                case "eventReason": c.EventReason = Texts(value); break;
                case "conditionReason": c.ConditionReason = Texts(value); break;
                case "stopCode": c.StopCode = Texts(value); break;
                case "exitCode": c.ExitCode = List(value, Integer); break;
                case "counter": c.Counter = Texts(value); break;
                case "message": c.Message = Text(value); break;
                default: throw Unknown(key, value);
            }
        }
        return c;
    }

    // An example is a bare text, or `{text, source}` for a real wording seen elsewhere.
    private static SignatureExample Example(YamlNode node)
    {
        if (node is YamlScalarNode) return new SignatureExample(Text(node) ?? throw Error(node, "expected text, found null"));
        string? text = null, source = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key)
            {
                case "text": text = Text(value); break;
                case "source": source = Text(value); break;
                default: throw Unknown(key, value);
            }
        }
        return new SignatureExample(text ?? throw Error(node, "an example needs text"), source);
    }

    private static HypothesisEntry Hypothesis(YamlNode node)
    {
        var h = new HypothesisEntry();
        foreach (var (key, value) in Map(node))
        {
            switch (key)
            {
                case "id": h.Id = Text(value); break;
                case "cause": h.Cause = Text(value); break;
                case "fix": h.Fix = Texts(value); break;
                case "preventedBy": h.PreventedBy = Texts(value); break;
                case "tellsApart": h.TellsApart = Text(value); break;
                case "supportedBy": h.SupportedBy = Texts(value); break;
                default: throw Unknown(key, value);
            }
        }
        return h;
    }

    private static IEnumerable<(string Key, YamlNode Value)> Map(YamlNode node) =>
        node is YamlMappingNode map
            ? map.Children.Select(kv => (Text(kv.Key) ?? "", kv.Value))
            : throw Error(node, "expected a mapping");

    private static List<T> List<T>(YamlNode node, Func<YamlNode, T> item) => node switch
    {
        YamlSequenceNode seq => seq.Children.Select(item).ToList(),
        YamlScalarNode s when IsNull(s) => [],
        _ => throw Error(node, "expected a list"),
    };

    private static List<string> Texts(YamlNode node) => List(node, n => Text(n) ?? throw Error(n, "expected text, found null"));

    private static int Integer(YamlNode node) =>
        int.TryParse(Text(node), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : throw Error(node, "expected an integer");

    private static string? Text(YamlNode node) => node switch
    {
        YamlScalarNode s when IsNull(s) => null,
        YamlScalarNode s => s.Value,
        _ => throw Error(node, "expected a scalar"),
    };

    private static bool IsNull(YamlScalarNode s) => s.Style == ScalarStyle.Plain && s.Value is null or "" or "~" or "null";

    private static YamlException Unknown(string key, YamlNode value) => Error(value, $"unknown key '{key}'");

    // The inner exception carries the bare message: SignatureBase prints it after the file name and line.
    private static YamlException Error(YamlNode node, string message) => new(node.Start, node.End, message, new InvalidDataException(message));
}
