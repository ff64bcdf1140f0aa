using Groundcrew.Core;
using Newtonsoft.Json;

namespace Groundcrew.Load;

/// <summary>
/// Reads JSON into the positioned tree with Newtonsoft's reader, which reports the line of every token.
/// Also reads JSON Lines / concatenated JSON values (each becomes a document).
/// </summary>
public static class JsonTreeLoader
{
    public static LoadResult Load(string text, string file)
    {
        var documents = new List<LoadedDocument>();
        try
        {
            using var reader = new JsonTextReader(new StringReader(text))
            {
                SupportMultipleContent = true,
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
                MaxDepth = 512,
            };
            var index = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonToken.Comment) continue;
                documents.Add(new LoadedDocument(ReadValue(reader, file), index++));
            }
            return new LoadResult(documents, null);
        }
        catch (JsonException ex)
        {
            // A .json file with a template expression outside any string (`"cpu": ${fargate_cpu}` read by Terraform's
            // templatefile(), `"command": %COMMAND%` filled by sed in a deploy script, `{{ .Values.x }}` by Helm, `<%= %>` by ERB) is the input of a renderer, not JSON: what it
            // becomes is unknown here, so it is neither read nor reported.
            var (line, col) = ex is JsonReaderException r ? (r.LineNumber, r.LinePosition) : (1, 1);
            if (IsTemplate(text, line < 1 ? int.MaxValue : line)) return new LoadResult([], null);
            line = Math.Max(1, line);
            return new LoadResult(documents, new LoadException($"invalid JSON: {ex.Message.Split(" Path '")[0]}", line, Math.Clamp(col, 1, LineLength(text, line) + 1)));
        }
    }

    // Json.NET's LinePosition can lie past the end of the line (after the character it failed on, which may be the
    // line break or the end of the text); a position shown to a user, or in SARIF, must lie inside the file.
    private static int LineLength(string text, int line)
    {
        var start = 0;
        for (var l = 1; l < line && start >= 0; l++) start = text.IndexOf('\n', start) is var nl and >= 0 ? nl + 1 : -1;
        if (start < 0) return 0;
        var end = text.IndexOf('\n', start);
        return (end < 0 ? text.Length : end) - start;
    }

    /// <summary>
    /// True when the text holds a template expression outside strings and comments, at or before the line where JSON
    /// parsing failed: <c>${x}</c>, <c>$X</c>, <c>%{</c>, <c>%X%</c>, <c>{{</c>, <c>{%</c> or <c>&lt;%</c>. None of these can
    /// occur there in JSON, so the failure is the template's, not a broken file's (which is still reported).
    /// </summary>
    internal static bool IsTemplate(string text, int errorLine = int.MaxValue)
    {
        var line = 1;
        for (var i = 0; i < text.Length - 1 && line <= errorLine; i++)
        {
            var c = text[i];
            if (c == '\n') { line++; continue; }
            if (c is '"' or '\'')
            {
                // A string (Newtonsoft also reads single-quoted ones): skip to its closing quote on this line.
                for (i++; i < text.Length && text[i] != c && text[i] != '\n'; i++)
                    if (text[i] == '\\') i++;
                if (i < text.Length && text[i] == '\n') line++;
                continue;
            }
            var next = text[i + 1];
            if (c == '/' && next == '/') { while (i < text.Length && text[i] != '\n') i++; line++; continue; }
            if (c == '/' && next == '*')
            {
                for (i += 2; i < text.Length - 1 && !(text[i] == '*' && text[i + 1] == '/'); i++)
                    if (text[i] == '\n') line++;
                i++;
                continue;
            }
            if ((c == '$' || c == '%') && (next == '{' || next == '_' || char.IsAsciiLetter(next))
                || c == '{' && (next == '{' || next == '%') || c == '<' && next == '%') return true;
        }
        return false;
    }

    private static SourceSpan Here(JsonTextReader r, string file) => new(file, Math.Max(1, r.LineNumber), Math.Max(1, r.LinePosition));

    /// <summary>
    /// Newtonsoft reports the position just after a token; findings should point at its start.
    /// The start is estimated from the token's length (exact unless the string holds escapes).
    /// </summary>
    private static SourceSpan Token(JsonTextReader r, string file, int textLength)
    {
        var end = Math.Max(1, r.LinePosition);
        var start = Math.Max(1, end - textLength + 1);
        return new SourceSpan(file, Math.Max(1, r.LineNumber), start, Math.Max(1, r.LineNumber), end + 1);
    }

    // After a property name Newtonsoft's position is past the colon; the name starts before it.
    private static SourceSpan KeySpan(JsonTextReader r, string file, string name)
    {
        var end = Math.Max(1, r.LinePosition - 1);
        return new SourceSpan(file, Math.Max(1, r.LineNumber), Math.Max(1, end - name.Length - 1), Math.Max(1, r.LineNumber), end + 1);
    }

    private static Node ReadValue(JsonTextReader reader, string file)
    {
        // A comment where a value belongs may be the last thing in the text: Read() then returns false and leaves the
        // token a Comment, so looping on the token alone never ends (found by the json fuzz target).
        while (reader.TokenType == JsonToken.Comment)
            if (!reader.Read()) throw new JsonReaderException("unexpected end of JSON after a comment", reader.Path, reader.LineNumber, reader.LinePosition, null);
        switch (reader.TokenType)
        {
            case JsonToken.StartObject:
            {
                var map = new MapNode { Span = Here(reader, file) };
                while (reader.Read() && reader.TokenType != JsonToken.EndObject)
                {
                    if (reader.TokenType == JsonToken.Comment) continue;
                    if (reader.TokenType != JsonToken.PropertyName) throw new JsonReaderException($"expected a property name, found {reader.TokenType}", reader.Path, reader.LineNumber, reader.LinePosition, null);
                    var name = (string)reader.Value!;
                    var keySpan = KeySpan(reader, file, name);
                    if (!reader.Read()) throw new JsonReaderException("unexpected end of JSON", reader.Path, reader.LineNumber, reader.LinePosition, null);
                    map.Add(StringPool.MapKey(name), ScalarKind.Quoted, keySpan, ReadValue(reader, file));
                }
                if (reader.TokenType != JsonToken.EndObject) throw new JsonReaderException("unexpected end of JSON inside an object", reader.Path, reader.LineNumber, reader.LinePosition, null);
                map.Trim();
                return map;
            }
            case JsonToken.StartArray:
            {
                var seq = new SeqNode { Span = Here(reader, file) };
                while (reader.Read() && reader.TokenType != JsonToken.EndArray)
                {
                    if (reader.TokenType == JsonToken.Comment) continue;
                    seq.Add(ReadValue(reader, file));
                }
                if (reader.TokenType != JsonToken.EndArray) throw new JsonReaderException("unexpected end of JSON inside an array", reader.Path, reader.LineNumber, reader.LinePosition, null);
                seq.Trim();
                return seq;
            }
            case JsonToken.String:
                return new ScalarNode { Value = reader.Value is string v ? StringPool.Share(v) : null, Kind = ScalarKind.Quoted, Span = Token(reader, file, ((string?)reader.Value ?? "").Length + 2) };
            case JsonToken.Null or JsonToken.Undefined:
                return new ScalarNode { Value = null, Kind = ScalarKind.Plain, Span = Here(reader, file) };
            case JsonToken.Boolean:
                return new ScalarNode { Value = (bool)reader.Value! ? "true" : "false", Kind = ScalarKind.Plain, Span = Token(reader, file, (bool)reader.Value! ? 4 : 5) };
            case JsonToken.Integer or JsonToken.Float:
            {
                var text = Convert.ToString(reader.Value, System.Globalization.CultureInfo.InvariantCulture);
                return new ScalarNode { Value = text, Kind = ScalarKind.Plain, Span = Token(reader, file, text?.Length ?? 1) };
            }
            default:
                throw new JsonReaderException($"unexpected JSON token {reader.TokenType}", reader.Path, reader.LineNumber, reader.LinePosition, null);
        }
    }
}
