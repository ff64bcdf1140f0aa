using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Groundcrew.Core;
using YamlDotNet.RepresentationModel;
using Groundcrew.Diagnose.Signatures;

namespace Groundcrew.Diagnose.Input;

/// <summary>The observations read from one input, what kind of input it was, and anything wrong with it.</summary>
public sealed record ReadResult(string Source, InputKind Kind, IReadOnlyList<Observation> Observations, IReadOnlyList<InputProblem> Problems);

/// <summary>
/// Decides what an input is by its content and hands it to the reader for that kind. Never throws on
/// bad input: a binary file or malformed JSON becomes an <see cref="InputProblem"/> naming the source,
/// and malformed JSON is still scanned as text, because a truncated paste still holds the error.
/// </summary>
public static partial class InputReader
{
    public static ReadResult ReadFile(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return ReadStream(path, file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(path, $"cannot read: {ex.Message}");
        }
    }

    /// <summary>
    /// Reads an input from a stream: whole when it is at most <see cref="Core.Limits.DiagnoseStreamAboveBytes"/>, otherwise
    /// as a log streamed window by window, keeping only the lines diagnose can use (memory stays bounded).
    /// </summary>
    public static ReadResult ReadStream(string source, Stream stream, SignatureBase? signatures = null)
    {
        var head = new byte[Core.Limits.DiagnoseStreamAboveBytes + 1];
        var length = 0;
        int read;
        while (length < head.Length && (read = stream.Read(head, length, head.Length - length)) > 0) length += read;
        if (length <= Core.Limits.DiagnoseStreamAboveBytes) return ReadBytes(source, head[..length]);
        if (LooksBinary(head)) return Failed(source, "binary file, not a log or a JSON/YAML document; skipped");
        // Too large to be an API answer or a manifest someone pasted: read it as log text, the head first.
        using var text = new StreamReader(new HeadThenRest(head, stream), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return LogStreamReader.Read(source, text, signatures ?? SignatureBase.Load());
    }

    /// <summary>The bytes already read, then the rest of the stream.</summary>
    private sealed class HeadThenRest(byte[] head, Stream rest) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position < head.Length)
            {
                var n = Math.Min(count, head.Length - _position);
                Array.Copy(head, _position, buffer, offset, n);
                _position += n;
                return n;
            }
            return rest.Read(buffer, offset, count);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public static ReadResult ReadBytes(string source, byte[] bytes)
    {
        if (LooksBinary(bytes)) return Failed(source, "binary file, not a log or a JSON/YAML document; skipped");
        return Read(new InputDocument(source, Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF')));
    }

    public static ReadResult Read(InputDocument doc)
    {
        try
        {
            return ReadByContent(doc);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Bad input must never end the run: say which input and still scan its text.
            var problem = new InputProblem(doc.Name, $"could not read as {ex.GetType().Name}: {ex.Message}; scanned as plain text instead");
            return new ReadResult(doc.Name, InputKind.PlainText, PlainTextReader.Read(doc.Name, doc.Text).ToList(), [problem]);
        }
    }

    private static ReadResult ReadByContent(InputDocument doc)
    {
        var text = doc.Text;
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            return ReadJson(doc);
        if (LooksLikeKubernetesYaml(text))
        {
            var yaml = ReadYaml(doc);
            if (yaml != null) return yaml;
        }
        var kind = LooksLikeDescribe(text) ? InputKind.KubectlDescribe : InputKind.PlainText;
        return new ReadResult(doc.Name, kind, PlainTextReader.Read(doc.Name, text).ToList(), []);
    }

    private static ReadResult ReadJson(InputDocument doc)
    {
        JsonNode? root;
        try
        {
            root = JsonValues.Parse(doc.Text);
        }
        catch (JsonException ex)
        {
            // A log that merely starts with a bracket ("[Nest] 1 - ERROR ...", "[2026-11-22 04:00]"), one JSON object
            // per line, or a JSON line followed by text is a log, not a broken document.
            if (!LooksLikeJsonDocument(doc.Text) || IsJsonLines(doc.Text) || FirstLineIsJson(doc.Text))
                return new ReadResult(doc.Name, InputKind.PlainText, PlainTextReader.Read(doc.Name, doc.Text).ToList(), []);
            var (line, position) = JsonValues.Position(ex, doc.Text);
            var problem = new InputProblem(doc.Name, $"malformed JSON (line {line}, position {position}): {JsonValues.Message(ex)}; scanned as plain text instead");
            return new ReadResult(doc.Name, InputKind.PlainText, PlainTextReader.Read(doc.Name, doc.Text).ToList(), [problem]);
        }
        return ReadStructured(doc.Name, root, InputKind.OtherJson);
    }

    internal static ReadResult ReadStructured(string source, JsonNode? root, InputKind fallbackKind)
    {
        if (EcsReader.LooksLikeTasks(root))
            return new ReadResult(source, InputKind.EcsTasksJson, EcsReader.ReadTasks(source, root).ToList(), []);
        if (EcsReader.LooksLikeServices(root))
            return new ReadResult(source, InputKind.EcsServicesJson, EcsReader.ReadServices(source, root).ToList(), []);
        if (root is JsonObject o && o["events"] is JsonArray events && events.All(e => JsonValues.Has(e, "message") && JsonValues.Has(e, "timestamp")))
        {
            // CloudWatch Logs (get-log-events / filter-log-events): one log line per event.
            var lines = string.Join("\n", events.Select(e => (JsonValues.Str(e!["message"]) ?? "").TrimEnd('\n')));
            return new ReadResult(source, InputKind.CloudWatchJson, PlainTextReader.Read(source, lines).ToList(), []);
        }
        if (KubernetesObjectReader.LooksLikeKubernetes(root))
        {
            var kind = fallbackKind == InputKind.KubernetesYaml ? fallbackKind : InputKind.KubernetesJson;
            var facts = KubernetesObjectReader.Read(source, root).ToList();
            // A manifest without status (a pasted Deployment or ServiceAccount) still holds text worth matching: a placeholder role ARN, an image.
            return new ReadResult(source, kind, facts.Count > 0 ? facts : PlainTextReader.Read(source, StringValues(root)).ToList(), []);
        }
        // Unknown JSON: its string values are still text worth scanning (an API error body, a CI log).
        return new ReadResult(source, fallbackKind, PlainTextReader.Read(source, StringValues(root)).ToList(), []);
    }

    // Every string in document order, as "name: value" lines, so patterns and evidence read like the source.
    private static string StringValues(JsonNode? root) =>
        string.Join("\n", JsonValues.Descendants(root).Where(t => JsonValues.IsString(t.Node))
            .Select(t => t.Name is { } name ? $"{name}: {JsonValues.Str(t.Node)}" : JsonValues.Str(t.Node)));

    private static ReadResult? ReadYaml(InputDocument doc)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(doc.Text));
            var roots = stream.Documents.Select(d => YamlToJson(d.RootNode)).Where(t => t != null).ToList();
            if (roots.Count == 0) return null;
            var observations = roots.SelectMany(r => ReadStructured(doc.Name, r, InputKind.KubernetesYaml).Observations).ToList();
            return new ReadResult(doc.Name, InputKind.KubernetesYaml, observations, []);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidCastException or ArgumentException)
        {
            return null; // not YAML we can model (or not YAML at all): read it as plain text
        }
    }

    private static JsonNode? YamlToJson(YamlNode node) => node switch
    {
        // Complex keys (`? [a, b]`, template braces) become their text; duplicate keys keep the last value, as YAML 1.1 loaders do.
        YamlMappingNode map => map.Children.Aggregate(new JsonObject(), (o, kv) =>
        {
            o[kv.Key is YamlScalarNode key ? key.Value ?? "" : kv.Key.ToString()] = YamlToJson(kv.Value);
            return o;
        }),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(YamlToJson)]),
        YamlScalarNode scalar => scalar.Value is null or "null" or "~" && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
            ? null : JsonValue.Create(scalar.Value),
        _ => null,
    };

    private static bool LooksBinary(byte[] bytes) => bytes.AsSpan(0, Math.Min(bytes.Length, 8000)).IndexOf((byte)0) >= 0;

    // '{' or '[' followed by what JSON allows next; "[Nest]" or "[2026-..." are log prefixes.
    private static bool LooksLikeJsonDocument(string text)
    {
        var t = text.TrimStart();
        if (t.Length < 2) return false;
        var next = t[1..].TrimStart();
        if (next.Length == 0) return true;
        return t[0] == '{' ? next[0] is '"' or '}' : next[0] is '{' or '[' or '"' or ']' || JsonScalarArrayStart().IsMatch(t);
    }

    [GeneratedRegex(@"^\[\s*(?:-?\d+(?:\.\d+)?|true|false|null)\s*[,\]]")]
    private static partial Regex JsonScalarArrayStart();

    private static bool FirstLineIsJson(string text)
    {
        var lines = text.TrimStart().Split('\n', 2);
        if (lines.Length < 2) return false;
        try { return JsonValues.Parse(lines[0]) is JsonObject; }
        catch (JsonException) { return false; }
    }

    private static bool IsJsonLines(string text)
    {
        var lines = text.Split('\n').Where(l => l.Trim().Length > 0).Take(50).ToList();
        if (lines.Count < 2) return false;
        foreach (var line in lines)
        {
            try { if (JsonValues.Parse(line) is not JsonObject) return false; }
            catch (JsonException) { return false; }
        }
        return true;
    }

    private static bool LooksLikeDescribe(string text) =>
        DescribeName().IsMatch(text) && (DescribeEvents().IsMatch(text) || text.Contains("Containers:", StringComparison.Ordinal));

    private static bool LooksLikeKubernetesYaml(string text) => YamlApiVersion().IsMatch(text) && YamlKind().IsMatch(text);

    private static ReadResult Failed(string source, string message) =>
        new(source, InputKind.PlainText, [], [new InputProblem(source, message)]);

    [GeneratedRegex(@"^Name:\s+\S", RegexOptions.Multiline)]
    private static partial Regex DescribeName();

    [GeneratedRegex(@"^Events:", RegexOptions.Multiline)]
    private static partial Regex DescribeEvents();

    [GeneratedRegex(@"^(?:- )?apiVersion:\s*\S", RegexOptions.Multiline)]
    private static partial Regex YamlApiVersion();

    [GeneratedRegex(@"^\s*(?:- )?kind:\s*[A-Z]", RegexOptions.Multiline)]
    private static partial Regex YamlKind();
}
