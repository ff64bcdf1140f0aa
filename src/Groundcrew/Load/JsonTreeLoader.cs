using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Groundcrew.Core;

namespace Groundcrew.Load;

/// <summary>
/// Reads JSON into the positioned tree with System.Text.Json's <see cref="Utf8JsonReader"/>: comments and trailing
/// commas are accepted (tsconfig-style files), and every value and key keeps the line and column where it starts.
/// Also reads JSON Lines / concatenated JSON values (each becomes a document).
/// </summary>
public static class JsonTreeLoader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowMultipleValues = true,
        MaxDepth = 512,
    };

    public static LoadResult Load(string text, string file)
    {
        var documents = new List<LoadedDocument>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var positions = new Positions(bytes);
        try
        {
            var reader = new Utf8JsonReader(bytes, Options);
            var index = 0;
            while (reader.Read())
                documents.Add(new LoadedDocument(ReadValue(ref reader, file, positions), index++));
            return new LoadResult(documents, null);
        }
        catch (JsonException ex)
        {
            // A .json file with a template expression outside any string (`"cpu": ${fargate_cpu}` read by Terraform's
            // templatefile(), `"command": %COMMAND%` filled by sed in a deploy script, `{{ .Values.x }}` by Helm, `<%= %>` by ERB) is the input of a renderer, not JSON: what it
            // becomes is unknown here, so it is neither read nor reported.
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var col = positions.Column(line, (int)(ex.BytePositionInLine ?? 0));
            if (IsTemplate(text, line)) return new LoadResult([], null);
            line = Math.Clamp(line, 1, Math.Max(1, text.Count(c => c == '\n') + 1));
            return new LoadResult(documents, new LoadException($"invalid JSON: {Describe(ex)}", line, Math.Clamp(col, 1, LineLength(text, line) + 1)));
        }
    }

    // System.Text.Json appends "LineNumber: 0 | BytePositionInLine: 3." (zero-based, in bytes); the position is reported
    // on its own, one-based and in characters.
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).TrimEnd();
    }

    // A position shown to a user, or in SARIF, must lie inside the file (a reader's error may name the position after
    // the last character, past the line break or the end of the text).
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
                // A string (single-quoted too, which JSON5-style files use): skip to its closing quote on this line.
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

    /// <summary>
    /// Byte offsets of the UTF-8 text to one-based lines and columns counted in UTF-16 characters, as the rest of the
    /// tree counts them. Tokens come in order, so a cursor moves forward and the whole text is walked once.
    /// </summary>
    private sealed class Positions(byte[] bytes)
    {
        private int _offset, _line = 1, _column = 1;

        public (int Line, int Column) At(long offset)
        {
            if (offset < _offset) { _offset = 0; _line = 1; _column = 1; }
            while (_offset < offset && _offset < bytes.Length)
            {
                var b = bytes[_offset];
                if (b == (byte)'\n') { _line++; _column = 1; _offset++; continue; }
                var length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                _column += length == 4 ? 2 : 1; // a character outside the BMP is two UTF-16 units
                _offset += length;
            }
            return (_line, _column);
        }

        /// <summary>The column of a zero-based byte position within a one-based line (for errors).</summary>
        public int Column(int line, int bytePosition)
        {
            var start = 0;
            for (var l = 1; l < line; l++)
            {
                var nl = Array.IndexOf(bytes, (byte)'\n', start);
                if (nl < 0) return 1;
                start = nl + 1;
            }
            var end = Math.Min(bytes.Length, start + Math.Max(0, bytePosition));
            var nextLine = Array.IndexOf(bytes, (byte)'\n', start);
            if (nextLine >= 0) end = Math.Min(end, nextLine);
            return Encoding.UTF8.GetCharCount(bytes, start, end - start) + 1;
        }
    }

    private static SourceSpan Span(ref Utf8JsonReader r, string file, Positions p)
    {
        var (line, column) = p.At(r.TokenStartIndex);
        // ValueSpan is the token's raw text (escapes as written) without a string's quotes.
        var quotes = r.TokenType is JsonTokenType.String or JsonTokenType.PropertyName ? 2 : 0;
        var (endLine, endColumn) = p.At(r.TokenStartIndex + r.ValueSpan.Length + quotes);
        return new SourceSpan(file, line, column, endLine, endColumn);
    }

    private static SourceSpan Here(ref Utf8JsonReader r, string file, Positions p)
    {
        var (line, column) = p.At(r.TokenStartIndex);
        return new SourceSpan(file, line, column);
    }

    private static Node ReadValue(ref Utf8JsonReader reader, string file, Positions p)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var map = new MapNode { Span = Here(ref reader, file, p) };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    var keySpan = Span(ref reader, file, p);
                    reader.Read();
                    map.Add(StringPool.MapKey(name), ScalarKind.Quoted, keySpan, ReadValue(ref reader, file, p));
                }
                map.Trim();
                return map;
            }
            case JsonTokenType.StartArray:
            {
                var seq = new SeqNode { Span = Here(ref reader, file, p) };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    seq.Add(ReadValue(ref reader, file, p));
                seq.Trim();
                return seq;
            }
            case JsonTokenType.String:
                return new ScalarNode { Value = StringPool.Share(reader.GetString()!), Kind = ScalarKind.Quoted, Span = Span(ref reader, file, p) };
            case JsonTokenType.Null:
                return new ScalarNode { Value = null, Kind = ScalarKind.Plain, Span = Span(ref reader, file, p) };
            case JsonTokenType.True or JsonTokenType.False:
                return new ScalarNode { Value = reader.TokenType == JsonTokenType.True ? "true" : "false", Kind = ScalarKind.Plain, Span = Span(ref reader, file, p) };
            case JsonTokenType.Number:
                return new ScalarNode { Value = NumberText(Encoding.UTF8.GetString(reader.ValueSpan)), Kind = ScalarKind.Plain, Span = Span(ref reader, file, p) };
            default:
                throw new JsonException($"unexpected JSON token {reader.TokenType}");
        }
    }

    /// <summary>
    /// A number as the rules have always seen it: integers in plain digits, other numbers as a decimal (1e3 is 1000,
    /// 2.50 stays 2.50), and a number too large for a decimal as a double.
    /// </summary>
    internal static string NumberText(string raw)
    {
        var inv = CultureInfo.InvariantCulture;
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
            return long.TryParse(raw, NumberStyles.AllowLeadingSign, inv, out var l) ? l.ToString(inv)
                : BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, inv, out var big) ? big.ToString(inv) : raw;
        if (decimal.TryParse(raw, NumberStyles.Float, inv, out var m)) return m.ToString(inv);
        return double.TryParse(raw, NumberStyles.Float, inv, out var d) ? d.ToString("R", inv) : raw;
    }
}
