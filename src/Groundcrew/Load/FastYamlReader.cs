using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Groundcrew.Core;

namespace Groundcrew.Load;

/// <summary>
/// Reads the YAML that deployment manifests are written in (block maps and sequences, flow collections on a line or
/// across lines, plain/quoted/block scalars, comments, several documents) straight into the tree: no token or event
/// objects, keys and short values shared through <see cref="StringPool"/>. On a large scan this is most of the time
/// saved (YamlDotNet allocates ~40 bytes of events and tokens per byte of input).
///
/// It declines (returns null) on anything outside that subset or anything it is not sure of: anchors and aliases,
/// tags, directives, complex keys, multi-line plain and quoted scalars, tabs or carriage returns in structure, control
/// characters, and every error. The caller then loads the file with YamlDotNet, so errors, leniency repairs and rare
/// syntax keep exactly one implementation. When it does read a file, the tree is the one YamlDotNet's loader builds,
/// spans included: a test compares the two on every YAML file of the examples, the fixtures and the shared corpus, and
/// FastYamlReaderFuzzTests on mutated and generated variants of them. Several declines below exist only because
/// YamlDotNet reads a shape differently from the YAML spec: the fast path must agree with YamlDotNet, not the spec.
/// </summary>
internal sealed class FastYamlReader
{
    // Real manifests nest 10-30 levels; deeper files go to the general loader (which caps at 512). Kept well below what
    // a 1.5 MB thread-pool stack allows even in Debug builds (measured: ~2 KB of stack per level there).
    private const int MaxDepth = 200;
    // YamlDotNet (like libyaml) drops a simple key whose ':' lies more than 1024 characters after the key's start, spaces
    // before the ':' included ("kkk...k :" is then an error); keys this long are left to it, with a margin.
    private const int MaxKeyLength = 1000;

    private readonly string _t;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private int _depth;

    // True after a flow collection or a quoted scalar, until the next plain scalar: YamlDotNet still takes a ':' there
    // as a value indicator (as in JSON's {"a":1}), across commas, line breaks and even "---", so "a: [x]\n:b: 1" is an
    // error for it, "{a: 1}\n---\n:b" is the scalar "b" and ["",:x] holds "x". A plain scalar starting with ':' in that
    // position is declined.
    private bool _colonMayBeIndicator;

    private FastYamlReader(string text, string file)
    {
        _t = text;
        _file = file;
    }

    /// <summary>The documents of <paramref name="text"/>, or null when the general loader must read it.</summary>
    public static List<LoadedDocument>? TryRead(string text, string file)
    {
        // CRLF files: YAML reads "\r\n" as one line break, so with "\n" alone every line and column stays the same.
        if (text.Contains('\r') && text.Replace("\r\n", "\n") is var unix && !unix.Contains('\r')) text = unix;
        if (!CharactersAreSimple(text)) return null;
        var mark = MapNode.SlotArena.Mark();
        try
        {
            return new FastYamlReader(text, file).ReadStream();
        }
        catch (DeclineException)
        {
            // The half-built tree is dropped: its maps must not stay referenced from this thread's slot chunk.
            MapNode.SlotArena.Release(mark);
            return null;
        }
    }

    // One exception object per decline (files are declined rarely): a shared instance thrown on parallel loader threads
    // would have its stack trace written by both.
    private sealed class DeclineException : Exception;

    private static Exception Decline() => new DeclineException();

    // Anything but printable ASCII, newline and tab is looked at: other line breaks (CR, NEL, LS, PS), control characters,
    // BOMs and surrogates send the file to the general loader; other BMP text (accents, CJK) counts one column per char.
    private static readonly SearchValues<char> Usual = SearchValues.Create(
        Enumerable.Range(' ', '~' - ' ' + 1).Select(i => (char)i).Append('\n').Append('\t').ToArray());

    private static bool CharactersAreSimple(string text)
    {
        var span = text.AsSpan();
        while (true)
        {
            var i = span.IndexOfAnyExcept(Usual);
            if (i < 0) return true;
            var c = span[i];
            if (c < 0xA0 || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF' || char.IsSurrogate(c)) return false;
            span = span[(i + 1)..];
        }
    }

    // ---------------------------------------------------------------- buffers
    // Entries and items are gathered in reused lists and copied once into an exact-size array: no growing arrays to
    // throw away. (On a decline the lists are simply dropped with the reader.)

    private readonly Stack<List<MapNode.EntrySlot>> _slotLists = new();
    private readonly Stack<List<Node>> _itemLists = new();

    private List<MapNode.EntrySlot> RentSlots() => _slotLists.TryPop(out var list) ? list : new List<MapNode.EntrySlot>(8);

    private void Return(List<MapNode.EntrySlot> list)
    {
        list.Clear();
        _slotLists.Push(list);
    }

    private List<Node> RentItems() => _itemLists.TryPop(out var list) ? list : new List<Node>(8);

    private void Return(List<Node> list)
    {
        list.Clear();
        _itemLists.Push(list);
    }

    // ---------------------------------------------------------------- positions

    private int Col => _pos - _lineStart + 1;

    private char Cur => _pos < _t.Length ? _t[_pos] : '\0';

    private char At(int i) => i < _t.Length ? _t[i] : '\0';

    private bool Eof => _pos >= _t.Length;

    private SourceSpan SpanHere() => new(_file, _line, Col, _line, Col);

    private SourceSpan Span(int line, int col, int endLine, int endCol) => new(_file, line, col, endLine, endCol);

    private static bool IsBlankOrEnd(char c) => c is ' ' or '\n' or '\0';

    private void NewLine()
    {
        // _pos is at a '\n'
        _pos++;
        _line++;
        _lineStart = _pos;
    }

    /// <summary>Skip spaces on this line, then a comment if one starts; stop at the line break (or end).</summary>
    private void SkipSpacesAndComment()
    {
        while (Cur == ' ') _pos++;
        if (Cur == '\t') throw Decline();
        if (Cur == '#')
        {
            if (_pos != _lineStart && _t[_pos - 1] != ' ') throw Decline(); // "a#b" is not a comment; let the general loader judge
            var nl = _t.IndexOf('\n', _pos);
            _pos = nl < 0 ? _t.Length : nl;
        }
    }

    /// <summary>After a node: the rest of the line must be spaces and an optional comment.</summary>
    private void ExpectLineEnd()
    {
        SkipSpacesAndComment();
        if (!Eof && Cur != '\n') throw Decline();
    }

    /// <summary>
    /// From a line end (or the start of a line), skip blank and comment-only lines; stop at the first character of the next
    /// content line (the cursor on it) and return its 0-based indent, or -1 at the end of the text.
    /// </summary>
    private int NextContentLine()
    {
        while (true)
        {
            if (Eof) return -1;
            if (Cur == '\n') { NewLine(); continue; }
            if (_pos != _lineStart && _t.AsSpan(_lineStart, _pos - _lineStart).ContainsAnyExcept(' '))
            {
                // Mid-line: the rest must be blank or a comment.
                ExpectLineEnd();
                continue;
            }
            var p = _pos;
            while (p < _t.Length && _t[p] == ' ') p++;
            var c = At(p);
            if (c == '\t') throw Decline();
            if (p >= _t.Length) { _pos = p; return -1; }
            if (c == '\n') { _pos = p; NewLine(); continue; }
            if (c == '#') { var nl = _t.IndexOf('\n', p); _pos = nl < 0 ? _t.Length : nl; continue; }
            _pos = p;
            return p - _lineStart;
        }
    }

    private bool AtDocumentMarker() => _pos == _lineStart && AtMarker(_pos);

    // ---------------------------------------------------------------- documents

    private List<LoadedDocument> ReadStream()
    {
        var documents = new List<LoadedDocument>();
        var index = 0;
        var first = true;
        while (true)
        {
            var indent = NextContentLine();
            if (indent < 0)
            {
                // "---" at the very end opens one more (empty) document: it only shifts the index of nothing.
                return documents;
            }
            if (indent == 0 && Cur == '%') throw Decline(); // directives
            var explicitStart = false;
            if (indent == 0 && AtDocumentMarker())
            {
                if (Cur == '.') throw Decline(); // "..." document end markers: rare, left to the general loader
                _pos += 3;
                ExpectLineEnd();
                explicitStart = true;
            }
            else if (!first)
            {
                throw Decline(); // content after a document without a separator
            }
            first = false;

            indent = NextContentLine();
            if (indent < 0 || (indent == 0 && AtDocumentMarker()))
            {
                // An empty document ("---" followed by another "---" or the end).
                if (explicitStart) index++;
                if (indent < 0) return documents;
                continue;
            }
            var root = ReadBlockNode(indent, parentIndent: -1);
            if (!(root is ScalarNode { IsNull: true })) documents.Add(new LoadedDocument(root, index));
            index++;
            var next = NextContentLine();
            if (next < 0) return documents;
            if (next != 0 || !AtDocumentMarker()) throw Decline();
            // A document that is one plain scalar, then a comment, then another document: YamlDotNet fails ("found a
            // comment between adjacent scalars"). Rare in manifests: every such stream goes to the general loader.
            if (root is ScalarNode { Kind: ScalarKind.Plain }) throw Decline();
        }
    }

    // ---------------------------------------------------------------- block structure

    /// <summary>A node whose first character is under the cursor, at 0-based column <paramref name="indent"/>.</summary>
    private Node ReadBlockNode(int indent, int parentIndent)
    {
        if (++_depth > MaxDepth) throw Decline();
        try
        {
            var c = Cur;
            if (c == '-' && IsBlankOrEnd(At(_pos + 1))) return ReadBlockSequence(indent, indentless: false);
            if (c is '[' or '{')
            {
                var flow = ReadFlowNode(parentIndent);
                SkipSpacesAndComment();
                if (Cur == ':') throw Decline(); // a flow collection as a key
                ExpectLineEnd();
                return flow;
            }
            if (c is '|' or '>') return ReadBlockScalar(parentIndent);
            // A scalar: a key (then this is a block map) or a value on its own.
            var scalarStart = (_pos, _line, _lineStart);
            var scalar = ReadInlineScalar(flow: false, parentIndent);
            var afterScalar = _pos;
            while (Cur == ' ') _pos++;
            if (Cur == ':' && IsBlankOrEnd(At(_pos + 1)))
            {
                (_pos, _line, _lineStart) = scalarStart;
                return ReadBlockMap(indent);
            }
            _pos = afterScalar;
            return FinishScalarValue(scalar, parentIndent);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>
    /// After a scalar value in block context: the rest of its line, and for a plain scalar the lines that continue it
    /// (indented beyond the parent; folded into the value: one break is a space, each empty line a line break).
    /// </summary>
    private ScalarNode FinishScalarValue(Scalar scalar, int parentIndent)
    {
        while (Cur == ' ') _pos++;
        var commented = Cur == '#';
        ExpectLineEnd();
        if (scalar.Kind != ScalarKind.Plain || commented) return scalar.ToNode(); // a comment ends a plain scalar
        StringBuilder? value = null;
        var (endLine, endCol) = (scalar.Span.EndLine, scalar.Span.EndColumn);
        while (true)
        {
            // Look ahead: empty lines, then a line indented beyond the parent continues the scalar.
            var p = _pos;
            var emptyLines = 0;
            int lineStart;
            while (true)
            {
                if (p >= _t.Length) return Finish();
                p++; // the '\n' ending the previous line
                lineStart = p;
                while (p < _t.Length && _t[p] == ' ') p++;
                if (p < _t.Length && _t[p] == '\n') { emptyLines++; continue; }
                break;
            }
            var indent = p - lineStart;
            if (p >= _t.Length || indent <= parentIndent || _t[p] == '#' || AtMarker(p) && indent == 0) return Finish();
            // A continuation line: read it as plain text (declining anything that makes it more than text).
            var c = _t[p];
            if (c is '\t' or '?' or ':' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or '[' or ']' or '{' or '}' or ',')
                throw Decline();
            // A '-' that is not "- " is text: kubectl folds long command lines so that a line starts with "--flag=...".
            if (c == '-' && IsBlankOrEnd(At(p + 1))) throw Decline();
            var nl = _t.IndexOf('\n', p);
            var lineEnd = nl < 0 ? _t.Length : nl;
            var end = lineEnd;
            while (end > p && _t[end - 1] == ' ') end--;
            var text = _t.AsSpan(p, end - p);
            if (text.Contains(": ", StringComparison.Ordinal) || text.EndsWith(':') || text.Contains(" #", StringComparison.Ordinal) || text.Contains('\t'))
                throw Decline();
            value ??= new StringBuilder(scalar.Value);
            if (emptyLines == 0) value.Append(' ');
            else value.Append('\n', emptyLines);
            value.Append(text);
            _line += emptyLines + 1;
            _lineStart = lineStart;
            _pos = lineEnd;
            (endLine, endCol) = (_line, end - lineStart + 1);
        }

        ScalarNode Finish() => value == null
            ? scalar.ToNode()
            : new ScalarNode
            {
                Value = value.ToString(), Kind = ScalarKind.Plain,
                Span = Span(scalar.Span.StartLine, scalar.Span.StartColumn, endLine, endCol),
            };
    }

    private MapNode ReadBlockMap(int indent)
    {
        var map = new MapNode { Span = SpanHere() };
        var entries = RentSlots();
        while (true)
        {
            // A key at column `indent`.
            if (Cur == '-' && IsBlankOrEnd(At(_pos + 1))) throw Decline(); // ReadInlineScalar declines the other indicators
            var keyLine = _line;
            var keyStart = _pos;
            var key = ReadInlineScalar(flow: false);
            if (key.Span.EndLine != keyLine) throw Decline();
            while (Cur == ' ') _pos++;
            if (_pos - keyStart > MaxKeyLength) throw Decline();
            if (Cur != ':' || !IsBlankOrEnd(At(_pos + 1))) throw Decline();
            if (key.Kind == ScalarKind.Plain && key.Value == "<<") throw Decline(); // merge keys: the general loader merges
            if (IsAliasLikeKey(key)) throw Decline();
            _pos++; // ':'
            var afterColon = SpanHere();
            var value = ReadMapValue(indent, afterColon);
            entries.Add(new MapNode.EntrySlot { Name = StringPool.MapKey(key.Value), KeyKind = key.Kind, KeySpan = key.Span, Value = value });

            var next = NextContentLine();
            if (next < 0 || next < indent) break;
            if (next > indent) throw Decline();
            if (indent == 0 && AtDocumentMarker()) break;
        }
        map.SetEntries(CollectionsMarshal.AsSpan(entries));
        Return(entries);
        return map;
    }

    private Node ReadMapValue(int keyIndent, SourceSpan afterColon)
    {
        while (Cur == ' ') _pos++;
        if (Cur == '\t') throw Decline();
        if (Eof || Cur == '\n' || Cur == '#')
        {
            // The value starts on a later line (more indented, or a "- " list at the key's own column), or is empty.
            ExpectLineEnd();
            var (pos, line, lineStart) = (_pos, _line, _lineStart);
            var next = NextContentLine();
            if (next > keyIndent) return ReadBlockNode(next, keyIndent);
            if (next == keyIndent && next >= 0 && Cur == '-' && IsBlankOrEnd(At(_pos + 1)) && !(keyIndent == 0 && AtDocumentMarker()))
                return ReadBlockSequence(keyIndent, indentless: true);
            (_pos, _line, _lineStart) = (pos, line, lineStart);
            return EmptyScalar(afterColon);
        }
        return ReadInlineValue(keyIndent);
    }

    /// <summary>A value that starts on the line of its key or its "- ".</summary>
    private Node ReadInlineValue(int parentIndent)
    {
        var c = Cur;
        if (c == '-' && IsBlankOrEnd(At(_pos + 1))) throw Decline(); // "key: - a" is an error
        if (c is '[' or '{')
        {
            if (++_depth > MaxDepth) throw Decline();
            try
            {
                var flow = ReadFlowNode(parentIndent);
                ExpectLineEnd();
                return flow;
            }
            finally { _depth--; }
        }
        if (c is '|' or '>') return ReadBlockScalar(parentIndent);
        var scalar = ReadInlineScalar(flow: false, parentIndent);
        var afterScalar = _pos;
        while (Cur == ' ') _pos++;
        if (Cur == ':' && IsBlankOrEnd(At(_pos + 1))) throw Decline(); // "a: b: c", or a compact map the caller handles
        _pos = afterScalar;
        return FinishScalarValue(scalar, parentIndent);
    }

    private SeqNode ReadBlockSequence(int indent, bool indentless)
    {
        var seq = new SeqNode { Span = indentless ? Span(_line, Col, _line, Col + 1) : SpanHere() };
        var items = RentItems();
        while (true)
        {
            // At a "-" in column `indent`.
            _pos++;
            var afterDash = SpanHere();
            while (Cur == ' ') _pos++;
            if (Cur == '\t') throw Decline();
            Node item;
            if (Eof || Cur == '\n' || Cur == '#')
            {
                ExpectLineEnd();
                var (pos, line, lineStart) = (_pos, _line, _lineStart);
                var next = NextContentLine();
                if (next > indent) item = ReadBlockNode(next, indent);
                else
                {
                    (_pos, _line, _lineStart) = (pos, line, lineStart);
                    item = EmptyScalar(afterDash);
                }
            }
            else
            {
                // The item starts on this line: a compact map or sequence takes this column as its indent.
                var col = Col - 1;
                item = IsCompactCollection() ? ReadCompact(col, indent) : ReadInlineValue(indent);
            }
            items.Add(item);

            var following = NextContentLine();
            if (following < 0 || following < indent) break;
            if (following > indent) throw Decline();
            if (indent == 0 && AtDocumentMarker()) break;
            if (!(Cur == '-' && IsBlankOrEnd(At(_pos + 1))))
            {
                if (indentless) break; // the next key of the map this sequence is the value of
                throw Decline();
            }
        }
        seq.SetItems(CollectionsMarshal.AsSpan(items));
        Return(items);
        return seq;
    }

    /// <summary>"- - x" or "- key: value": a block collection starting on the line of its dash.</summary>
    private bool IsCompactCollection()
    {
        if (Cur == '-' && IsBlankOrEnd(At(_pos + 1))) return true;
        if (Cur is '[' or '{' or '|' or '>') return false;
        // A key: scan the scalar without building it, then look for ": ".
        var (pos, line, lineStart) = (_pos, _line, _lineStart);
        try
        {
            ReadInlineScalar(flow: false);
            while (Cur == ' ') _pos++;
            return Cur == ':' && IsBlankOrEnd(At(_pos + 1));
        }
        finally
        {
            (_pos, _line, _lineStart) = (pos, line, lineStart);
        }
    }

    private Node ReadCompact(int col, int parentIndent)
    {
        if (++_depth > MaxDepth) throw Decline();
        try
        {
            // "- -1: x" is a map whose key is "-1": only "- " (dash and blank) starts a sequence.
            return Cur == '-' && IsBlankOrEnd(At(_pos + 1)) ? ReadBlockSequence(col, indentless: false) : ReadBlockMap(col);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>
    /// A plain key with " *" in it ("a *x: b"): YamlDotNet reads "a *x: b" as one scalar (it does not end a key at a
    /// ':' that follows what looks like an alias), so such keys are left to it.
    /// </summary>
    private static bool IsAliasLikeKey(Scalar key) =>
        key.Kind == ScalarKind.Plain && key.Value.Contains(" *", StringComparison.Ordinal);

    /// <summary>A scalar as read, before it is known to be a key (no node) or a value (a node).</summary>
    private readonly record struct Scalar(string Value, ScalarKind Kind, SourceSpan Span)
    {
        public ScalarNode ToNode() => new() { Value = Value, Kind = Kind, Span = Span };
    }

    private ScalarNode EmptyScalar(SourceSpan at) => new() { Value = "", Kind = ScalarKind.Plain, Span = at };

    // ---------------------------------------------------------------- scalars on one line

    /// <summary>A plain or quoted scalar that ends on this line (anything else declines).</summary>
    private Scalar ReadInlineScalar(bool flow, int parentIndent = int.MaxValue)
    {
        var c = Cur;
        if (c == '"') return ReadQuoted(parentIndent, '"');
        if (c == '\'') return ReadQuoted(parentIndent, '\'');
        // Indicators that cannot start a plain scalar, or start syntax this reader leaves to the general loader.
        if (c is '&' or '*' or '!' or '%' or '@' or '`' or '#' or '|' or '>' or ',' or '[' or ']' or '{' or '}' or '\t' or '\n' or '\0' or ' ')
            throw Decline();
        if (c is '-' or '?' or ':' && (IsBlankOrEnd(At(_pos + 1)) || flow && At(_pos + 1) is ',' or '[' or ']' or '{' or '}'))
            throw Decline();
        if (c == ':' && _colonMayBeIndicator) throw Decline();
        _colonMayBeIndicator = false;
        var line = _line;
        var col = Col;
        var start = _pos;
        var end = _pos; // after the last non-space character
        while (true)
        {
            var ch = Cur;
            if (ch is '\n' or '\0') break;
            if (ch == '\t') throw Decline();
            if (ch == ':')
            {
                var n = At(_pos + 1);
                if (IsBlankOrEnd(n) || flow && n is ',' or '[' or ']' or '{' or '}') break;
            }
            if (ch == '#' && _pos > start && _t[_pos - 1] == ' ') break;
            if (flow && ch is ',' or '[' or ']' or '{' or '}') break;
            _pos++;
            if (ch != ' ') end = _pos;
        }
        _pos = end;
        return new Scalar(StringPool.Get(_t.AsSpan(start, end - start)), ScalarKind.Plain, Span(line, col, line, col + (end - start)));
    }

    /// <summary>
    /// A single- or double-quoted scalar. One that continues on the next lines is folded as YAML specifies: a line break
    /// is a space, each empty line a line break, white space around breaks dropped, an escaped break joins the lines.
    /// Keys pass no <paramref name="parentIndent"/> (int.MaxValue): a key never spans lines.
    /// </summary>
    private Scalar ReadQuoted(int parentIndent, char quote)
    {
        var line = _line;
        var col = Col;
        _colonMayBeIndicator = true;
        _pos++;
        var start = _pos;
        StringBuilder? sb = null;
        while (true)
        {
            var ch = Cur;
            if (ch == '\0') throw Decline(); // unterminated
            if (ch == '\n' || ch == '\\' && quote == '"' && At(_pos + 1) == '\n')
            {
                sb ??= new StringBuilder();
                var escapedBreak = ch == '\\';
                // The text before the break, without its trailing white space (kept before an escaped break).
                var end = _pos;
                if (!escapedBreak) while (end > start && _t[end - 1] is ' ' or '\t') end--;
                sb.Append(_t, start, end - start);
                if (escapedBreak) _pos++;
                var breaks = 0;
                while (Cur == '\n')
                {
                    NewLine();
                    breaks++;
                    while (Cur is ' ' or '\t') _pos++;
                }
                if (Eof || Col - 1 <= parentIndent || Col == 1 && AtMarker(_pos)) throw Decline();
                if (escapedBreak) sb.Append('\n', breaks - 1);
                else if (breaks == 1) sb.Append(' ');
                else sb.Append('\n', breaks - 1);
                start = _pos;
                continue;
            }
            if (ch == quote)
            {
                if (quote == '\'' && At(_pos + 1) == '\'')
                {
                    (sb ??= new StringBuilder()).Append(_t, start, _pos - start + 1);
                    _pos += 2;
                    start = _pos;
                    continue;
                }
                break;
            }
            if (ch == '\\' && quote == '"')
            {
                sb ??= new StringBuilder();
                sb.Append(_t, start, _pos - start);
                _pos++;
                var e = Cur;
                _pos++;
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't' or '\t': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case '0': sb.Append('\0'); break;
                    case 'a': sb.Append('\a'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'e': sb.Append('\x1B'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'v': sb.Append('\v'); break;
                    case ' ': sb.Append(' '); break;
                    case 'x': sb.Append(Hex(2)); break;
                    case 'u': sb.Append(Hex(4)); break;
                    default: throw Decline(); // \N \_ \L \P \U and invalid escapes
                }
                start = _pos;
                continue;
            }
            _pos++;
        }
        string value;
        if (sb == null) value = StringPool.Get(_t.AsSpan(start, _pos - start));
        else value = sb.Append(_t, start, _pos - start).ToString();
        _pos++; // closing quote
        return new Scalar(value, ScalarKind.Quoted, Span(line, col, _line, Col));
    }

    private char Hex(int digits)
    {
        if (_pos + digits > _t.Length || !int.TryParse(_t.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            throw Decline();
        var c = (char)code;
        if (char.IsSurrogate(c)) throw Decline();
        _pos += digits;
        return c;
    }

    // ---------------------------------------------------------------- block scalars

    private ScalarNode ReadBlockScalar(int parentIndent)
    {
        var line = _line;
        var col = Col;
        var literal = Cur == '|';
        _pos++;
        var chomp = '\0';
        if (Cur is '-' or '+') { chomp = Cur; _pos++; }
        if (Cur is >= '0' and <= '9') throw Decline(); // explicit indentation indicators
        if (!IsBlankOrEnd(Cur) && Cur != '#') throw Decline();
        ExpectLineEnd();
        if (Eof) throw Decline();
        NewLine();

        // The first non-empty line sets the indentation; empty lines before it may not be longer (YamlDotNet rejects
        // that, and the leniency repair in YamlTreeLoader needs the general path).
        // A literal whose first line holds only spaces, two or more, is an error for YamlDotNet ("extra spaces in first
        // line"), which YamlTreeLoader repairs by emptying every whitespace-only line of the file: other block scalars'
        // values change too ("a\n   \n" loses its spaces), so such files are left to the general loader.
        if (literal)
        {
            var s = _pos;
            while (s < _t.Length && _t[s] == ' ') s++;
            if (s < _t.Length && _t[s] == '\n' && s - _pos >= 2) throw Decline();
        }
        var contentIndent = -1;
        var leadingEmpty = 0;
        var p = _pos;
        var maxEmptyIndent = 0;
        while (p < _t.Length)
        {
            var q = p;
            while (q < _t.Length && _t[q] == ' ') q++;
            if (q < _t.Length && _t[q] == '\t') throw Decline(); // a tab where the indentation is decided
            if (q >= _t.Length || _t[q] == '\n')
            {
                maxEmptyIndent = Math.Max(maxEmptyIndent, q - p);
                if (q >= _t.Length) break;
                leadingEmpty++;
                p = q + 1;
                continue;
            }
            contentIndent = q - p;
            break;
        }
        if (contentIndent <= parentIndent || contentIndent <= 0 || maxEmptyIndent > contentIndent) throw Decline();

        var text = new StringBuilder();
        var lines = new List<(int Start, int Length)>(); // content lines; Length -1 for an empty line
        var endLine = _line;
        var endCol = 1;
        while (!Eof)
        {
            var q = _pos;
            while (q < _t.Length && _t[q] == ' ' && q - _pos < contentIndent) q++;
            var indentHere = q - _pos;
            var nl = _t.IndexOf('\n', q);
            var lineEnd = nl < 0 ? _t.Length : nl;
            if (indentHere < contentIndent || q == lineEnd)
            {
                // Shorter than the content's indentation: an empty line (part of the scalar) or the end of it.
                if (q < lineEnd) break;
                // Spaces with no line break after them (the end of the text) are not a line: YamlDotNet ends the
                // scalar at the start of that line.
                if (nl < 0) break;
                lines.Add((q, -1));
            }
            else lines.Add((q, lineEnd > q ? lineEnd - q : -1));
            if (nl < 0)
            {
                _pos = _t.Length;
                endLine = _line;
                endCol = Col;
                break;
            }
            _pos = nl;
            NewLine();
            endLine = _line;
            endCol = 1;
        }

        // Trailing empty lines belong to the chomping, not the content.
        var last = lines.Count - 1;
        while (last >= 0 && lines[last].Length < 0) last--;
        var trailingBreaks = lines.Count - 1 - last;
        var endedWithBreak = endCol == 1;
        if (literal)
        {
            for (var i = 0; i <= last; i++)
            {
                if (i > 0) text.Append('\n');
                if (lines[i].Length > 0) text.Append(_t, lines[i].Start, lines[i].Length);
            }
        }
        else
        {
            var previousWasContent = false;
            var pendingEmpty = 0;
            for (var i = 0; i <= last; i++)
            {
                var (start, length) = lines[i];
                if (length < 0) { pendingEmpty++; continue; }
                if (_t[start] is ' ' or '\t') throw Decline(); // more-indented lines keep their breaks: not folded here
                if (previousWasContent) text.Append(pendingEmpty == 0 ? " " : new string('\n', pendingEmpty));
                else text.Append('\n', pendingEmpty);
                pendingEmpty = 0;
                text.Append(_t, start, length);
                previousWasContent = true;
            }
        }
        if (last < 0) throw Decline();
        // Chomping: clip keeps one final break, strip none, keep all (the content's own and the trailing empty lines).
        var finalBreak = endedWithBreak || trailingBreaks > 0;
        if (chomp == '\0' && finalBreak) text.Append('\n');
        else if (chomp == '+')
        {
            if (finalBreak) text.Append('\n');
            text.Append('\n', trailingBreaks);
        }

        // Back at the start of the line that ended the scalar (NextContentLine expects a line start).
        return new ScalarNode
        {
            Value = text.ToString(),
            Kind = ScalarKind.Block,
            Span = Span(line, col, endLine, endCol),
        };
    }

    // ---------------------------------------------------------------- flow collections

    /// <summary>[ ... ] or { ... }, possibly across lines (each continuation line indented beyond the parent).</summary>
    private Node ReadFlowNode(int parentIndent)
    {
        if (++_depth > MaxDepth) throw Decline();
        try
        {
            var at = SpanHere();
            if (Cur == '[')
            {
                _pos++;
                var seq = new SeqNode { Span = at };
                var items = RentItems();
                while (true)
                {
                    SkipFlowSpace(parentIndent);
                    if (Cur == ']') { _pos++; break; }
                    var item = ReadFlowItem(parentIndent);
                    SkipFlowSpace(parentIndent);
                    if (Cur == ':') throw Decline(); // [a: b]: single-pair maps
                    items.Add(item);
                    if (Cur == ',') { _pos++; continue; }
                    if (Cur == ']') { _pos++; break; }
                    throw Decline();
                }
                seq.SetItems(CollectionsMarshal.AsSpan(items));
                Return(items);
                _colonMayBeIndicator = true;
                return seq;
            }
            _pos++; // '{'
            var map = new MapNode { Span = at };
            var entries = RentSlots();
            while (true)
            {
                SkipFlowSpace(parentIndent);
                if (Cur == '}') { _pos++; break; }
                if (Cur is '[' or '{' or '?') throw Decline();
                var keyLine = _line;
                var keyStart = _pos;
                var key = ReadInlineScalar(flow: true);
                if (key.Span.EndLine != keyLine || IsAliasLikeKey(key)) throw Decline();
                SkipFlowSpace(parentIndent);
                if (Cur != ':') throw Decline(); // {a, b}: keys without values
                if (_line != keyLine) throw Decline(); // "{a\n: b}": a key's ':' on a later line is an error for YamlDotNet
                if (_pos - keyStart > MaxKeyLength) throw Decline();
                _pos++;
                // After a plain key, ':' must be followed by space; a quoted (JSON-like) key may be followed directly.
                if (key.Kind == ScalarKind.Plain && !IsBlankOrEnd(Cur)) throw Decline();
                SkipFlowSpace(parentIndent);
                if (Cur is ',' or '}') throw Decline(); // {a: }: empty values
                if (key.Kind == ScalarKind.Plain && key.Value == "<<") throw Decline();
                var value = ReadFlowItem(parentIndent);
                entries.Add(new MapNode.EntrySlot { Name = StringPool.MapKey(key.Value), KeyKind = key.Kind, KeySpan = key.Span, Value = value });
                SkipFlowSpace(parentIndent);
                if (Cur == ',') { _pos++; continue; }
                if (Cur == '}') { _pos++; break; }
                throw Decline();
            }
            map.SetEntries(CollectionsMarshal.AsSpan(entries));
            Return(entries);
            _colonMayBeIndicator = true;
            return map;
        }
        finally
        {
            _depth--;
        }
    }

    private Node ReadFlowItem(int parentIndent)
    {
        if (Cur is '[' or '{') return ReadFlowNode(parentIndent);
        var scalar = ReadInlineScalar(flow: true, parentIndent);
        if (scalar.Kind == ScalarKind.Plain)
        {
            // A plain scalar continued on the next line would be folded: not read here.
            var p = _pos;
            while (p < _t.Length && _t[p] == ' ') p++;
            if (p < _t.Length && _t[p] == '\n')
            {
                var (pos, l, ls) = (_pos, _line, _lineStart);
                SkipFlowSpace(parentIndent);
                var next = Cur;
                (_pos, _line, _lineStart) = (pos, l, ls);
                if (next is not (',' or ']' or '}' or ':')) throw Decline();
            }
        }
        return scalar.ToNode();
    }

    /// <summary>Spaces, line breaks and comments inside a flow collection.</summary>
    private void SkipFlowSpace(int parentIndent)
    {
        while (true)
        {
            var c = Cur;
            if (c == ' ') { _pos++; continue; }
            if (c == '\t') throw Decline();
            if (c == '\n')
            {
                NewLine();
                var p = _pos;
                while (p < _t.Length && _t[p] == ' ') p++;
                // Continuation lines of a flow collection must be indented beyond the block it sits in.
                if (p < _t.Length && _t[p] is not ('\n' or '#') && p - _lineStart <= parentIndent) throw Decline();
                if (p - _lineStart == 0 && (At(p) is '-' or '.') && AtMarker(p)) throw Decline();
                continue;
            }
            if (c == '#')
            {
                if (_pos > 0 && _t[_pos - 1] is not (' ' or '\n')) throw Decline();
                var nl = _t.IndexOf('\n', _pos);
                _pos = nl < 0 ? _t.Length : nl;
                continue;
            }
            if (c == '\0') throw Decline(); // unterminated
            return;
        }
    }

    // "---" or "..." followed by a space, tab, line break or the end (a tab too: "...\t" inside a quoted scalar ends it
    // for YamlDotNet).
    private bool AtMarker(int p) =>
        p + 3 <= _t.Length && (_t.AsSpan(p).StartsWith("---") || _t.AsSpan(p).StartsWith("...")) && (IsBlankOrEnd(At(p + 3)) || At(p + 3) == '\t');
}
