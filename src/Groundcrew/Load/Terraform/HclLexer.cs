using System.Text;

namespace Groundcrew.Load.Terraform;

public enum HclTokenKind
{
    Eof, Newline, Ident, Number,
    OQuote, CQuote, OHeredoc, CHeredoc, Literal, TemplateInterp, TemplateControl, TemplateSeqEnd,
    LBrace, RBrace, LBrack, RBrack, LParen, RParen,
    Comma, Dot, Ellipsis, Assign, Equal, NotEqual, Lt, Gt, Le, Ge,
    Plus, Minus, Star, Slash, Percent, And, Or, Bang, Question, Colon, FatArrow, Tilde,
}

/// <summary>One token. <see cref="Text"/> is the raw source text (for literals: undecoded).</summary>
public readonly record struct HclToken(HclTokenKind Kind, string Text, int Line, int Column, int EndLine, int EndColumn, bool AtLineStart = false, bool Flush = false)
{
    public override string ToString() => $"{Kind} '{Text}' at {Line}:{Column}";
}

/// <summary>
/// Turns HCL2 native syntax into tokens. HCL's lexical structure is modal: quoted strings and heredocs are
/// templates whose <c>${</c>/<c>%{</c> sequences switch back to expression mode until the matching <c>}</c>,
/// so the lexer keeps a stack of modes, like HCL's own scanner.
/// </summary>
public sealed class HclLexer
{
    private enum Mode { Normal, Quoted, Heredoc }

    private sealed class Frame
    {
        public Mode Mode;
        public int Depth;
        public string Marker = "";
        public bool LineStart;
        public int StartLine, StartColumn;
    }

    private readonly string _s;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _col = 1;
    private readonly List<HclToken> _tokens;
    private readonly Stack<Frame> _stack = new();
    /// <summary>Identifiers repeat (var, local, name, tags...): one string for each distinct identifier of the text.</summary>
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _identifiers =
        new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Punctuation has the same text every time: one string for each kind, not one for each token.</summary>
    private static readonly string?[] FixedTexts = new string?[(int)HclTokenKind.Tilde + 1];

    private HclLexer(string text, string file, int line, int column, List<HclToken>? into)
    {
        _s = text;
        _file = file;
        _line = Math.Max(1, line);
        _col = Math.Max(1, column);
        _tokens = into ?? new List<HclToken>();
    }

    /// <param name="line">The line of the first character (for text embedded in another file, such as a .tf.json string).</param>
    /// <param name="column">The column of the first character.</param>
    public static List<HclToken> Lex(string text, string file, int line = 1, int column = 1) => Lex(text, file, line, column, null);

    /// <param name="into">A list to fill (emptied first) instead of a new one, so that a parser can reuse its token buffer.</param>
    internal static List<HclToken> Lex(string text, string file, int line, int column, List<HclToken>? into)
    {
        into?.Clear();
        var lexer = new HclLexer(text, file, line, column, into);
        lexer.Run();
        return lexer._tokens;
    }

    /// <summary>Lex a whole text as a template (the contents of a templatefile() file): literal text until end of file.</summary>
    public static List<HclToken> LexTemplate(string text, string file, int line = 1, int column = 1)
    {
        var lexer = new HclLexer(text, file, line, column, null);
        lexer._stack.Push(new Frame { Mode = Mode.Normal });
        lexer._stack.Push(new Frame { Mode = Mode.Heredoc, Marker = "", LineStart = true });
        while (true)
        {
            var f = lexer._stack.Peek();
            if (f.Mode == Mode.Heredoc && f.Marker == "" && lexer.Eof)
            {
                lexer._tokens.Add(new HclToken(HclTokenKind.Eof, "", lexer._line, lexer._col, lexer._line, lexer._col));
                return lexer._tokens;
            }
            if (f.Mode == Mode.Normal && lexer._stack.Count == 1) throw lexer.Error("unexpected '}' in the template");
            var more = f.Mode switch
            {
                Mode.Normal => lexer.LexNormal(f),
                Mode.Quoted => lexer.LexQuoted(),
                _ => lexer.LexHeredoc(f),
            };
            if (!more) return lexer._tokens;
        }
    }

    private void Run()
    {
        // A UTF-8 byte order mark is allowed at the very start.
        if (_s.Length > 0 && _s[0] == '\uFEFF') _pos = 1;
        _stack.Push(new Frame { Mode = Mode.Normal });
        while (true)
        {
            var f = _stack.Peek();
            var more = f.Mode switch
            {
                Mode.Normal => LexNormal(f),
                Mode.Quoted => LexQuoted(),
                _ => LexHeredoc(f),
            };
            if (!more) return;
        }
    }

    private HclParseException Error(string message, int? line = null, int? col = null) => new(message, _file, line ?? _line, col ?? _col);

    private char Cur => _pos < _s.Length ? _s[_pos] : '\0';
    private char At(int offset) => _pos + offset < _s.Length ? _s[_pos + offset] : '\0';
    private bool Eof => _pos >= _s.Length;

    private void Advance(int n = 1)
    {
        for (var i = 0; i < n && _pos < _s.Length; i++)
        {
            if (_s[_pos] == '\n') { _line++; _col = 1; }
            else if (!char.IsLowSurrogate(_s[_pos])) _col++;
            _pos++;
        }
    }

    /// <summary>
    /// Move to <paramref name="end"/> within the current line (no newline before it): the column counts every character but
    /// the second half of a surrogate pair, as <see cref="Advance"/> does, in one loop instead of a call per character.
    /// </summary>
    private void AdvanceWithinLine(int end)
    {
        var col = _col;
        for (var i = _pos; i < end; i++)
            if (!char.IsLowSurrogate(_s[i])) col++;
        _col = col;
        _pos = end;
    }

    /// <summary>In quoted text, the characters that end a run of plain text.</summary>
    private static readonly System.Buffers.SearchValues<char> QuotedStops = System.Buffers.SearchValues.Create("\"\\$%\n");
    /// <summary>In heredoc text, the characters that end a run of plain text.</summary>
    private static readonly System.Buffers.SearchValues<char> HeredocStops = System.Buffers.SearchValues.Create("$%\n");

    private void Emit(HclTokenKind kind, int startPos, int line, int col, bool atLineStart = false, bool flush = false) =>
        _tokens.Add(new HclToken(kind, _s.Substring(startPos, _pos - startPos), line, col, _line, _col, atLineStart, flush));

    private void Simple(HclTokenKind kind, int length)
    {
        var (start, line, col) = (_pos, _line, _col);
        Advance(length);
        // Every call for a kind lexes the same characters (a newline is always "\n", "${" always opens an interpolation).
        var text = FixedTexts[(int)kind] ??= _s.Substring(start, _pos - start);
        _tokens.Add(new HclToken(kind, text, line, col, _line, _col));
    }

    // ASCII first (almost every identifier): the same answers as the Unicode tests below, without a category lookup per character.
    public static bool IsIdentStart(char c) => c < 128 ? char.IsAsciiLetter(c) || c == '_' : char.IsLetter(c) || c == '_' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.LetterNumber;
    public static bool IsIdentPart(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) || c is '_' or '-' : IsIdentStart(c) || char.IsDigit(c) || c == '-' ||
        char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.ConnectorPunctuation;

    private bool LexNormal(Frame f)
    {
        while (!Eof)
        {
            var c = Cur;
            if (c is ' ' or '\t' or '\r') { _pos++; _col++; continue; }
            if (c == '\n') { Simple(HclTokenKind.Newline, 1); return true; }
            if (c == '#' || (c == '/' && At(1) == '/'))
            {
                var end = _s.IndexOf('\n', _pos);
                AdvanceWithinLine(end < 0 ? _s.Length : end);
                continue;
            }
            if (c == '/' && At(1) == '*')
            {
                var (l, co) = (_line, _col);
                Advance(2);
                while (!Eof && !(Cur == '*' && At(1) == '/')) Advance();
                if (Eof) throw Error("unterminated comment: /* without */", l, co);
                Advance(2);
                continue;
            }
            break;
        }
        if (Eof)
        {
            if (_stack.Count > 1) throw Error("unexpected end of file inside a template interpolation (missing '}' or closing quote)");
            _tokens.Add(new HclToken(HclTokenKind.Eof, "", _line, _col, _line, _col));
            return false;
        }

        var ch = Cur;
        var (startPos, startLine, startCol) = (_pos, _line, _col);
        if (IsIdentStart(ch))
        {
            // An identifier holds no newline and no surrogate (neither is an identifier character): one column per character.
            var end = _pos + 1;
            while (end < _s.Length && IsIdentPart(_s[end])) end++;
            _col += end - _pos;
            _pos = end;
            var span = _s.AsSpan(startPos, _pos - startPos);
            if (!_identifiers.TryGetValue(span, out var name)) _identifiers[span] = name = span.ToString();
            _tokens.Add(new HclToken(HclTokenKind.Ident, name, startLine, startCol, _line, _col));
            return true;
        }
        if (char.IsAsciiDigit(ch))
        {
            while (char.IsAsciiDigit(Cur)) Advance();
            if (Cur == '.' && char.IsAsciiDigit(At(1)))
            {
                Advance();
                while (char.IsAsciiDigit(Cur)) Advance();
            }
            if (Cur is 'e' or 'E' && (char.IsAsciiDigit(At(1)) || (At(1) is '+' or '-' && char.IsAsciiDigit(At(2)))))
            {
                Advance(2);
                while (char.IsAsciiDigit(Cur)) Advance();
            }
            Emit(HclTokenKind.Number, startPos, startLine, startCol);
            return true;
        }
        switch (ch)
        {
            case '"':
                Simple(HclTokenKind.OQuote, 1);
                _stack.Push(new Frame { Mode = Mode.Quoted, StartLine = startLine, StartColumn = startCol });
                return true;
            case '<' when At(1) == '<':
            {
                Advance(2);
                var flush = false;
                if (Cur == '-') { flush = true; Advance(); }
                var markerStart = _pos;
                if (!IsIdentStart(Cur)) throw Error("invalid heredoc: '<<' must be followed by a marker name such as EOF", startLine, startCol);
                while (!Eof && IsIdentPart(Cur)) Advance();
                var marker = _s[markerStart.._pos];
                if (Cur == '\r') Advance();
                if (Cur != '\n') throw Error("invalid heredoc: the marker must be followed by a newline", _line, _col);
                _tokens.Add(new HclToken(HclTokenKind.OHeredoc, marker, startLine, startCol, _line, _col, false, flush));
                Advance();
                _stack.Push(new Frame { Mode = Mode.Heredoc, Marker = marker, LineStart = true });
                return true;
            }
            case '{':
                f.Depth++;
                Simple(HclTokenKind.LBrace, 1);
                return true;
            case '}':
                if (_stack.Count > 1 && f.Depth == 0)
                {
                    Simple(HclTokenKind.TemplateSeqEnd, 1);
                    _stack.Pop();
                    return true;
                }
                f.Depth--;
                Simple(HclTokenKind.RBrace, 1);
                return true;
            case '[': Simple(HclTokenKind.LBrack, 1); return true;
            case ']': Simple(HclTokenKind.RBrack, 1); return true;
            case '(': Simple(HclTokenKind.LParen, 1); return true;
            case ')': Simple(HclTokenKind.RParen, 1); return true;
            case ',': Simple(HclTokenKind.Comma, 1); return true;
            case '.':
                if (At(1) == '.' && At(2) == '.') Simple(HclTokenKind.Ellipsis, 3);
                else Simple(HclTokenKind.Dot, 1);
                return true;
            case '=':
                if (At(1) == '=') Simple(HclTokenKind.Equal, 2);
                else if (At(1) == '>') Simple(HclTokenKind.FatArrow, 2);
                else Simple(HclTokenKind.Assign, 1);
                return true;
            case '!':
                if (At(1) == '=') Simple(HclTokenKind.NotEqual, 2); else Simple(HclTokenKind.Bang, 1);
                return true;
            case '<':
                if (At(1) == '=') Simple(HclTokenKind.Le, 2); else Simple(HclTokenKind.Lt, 1);
                return true;
            case '>':
                if (At(1) == '=') Simple(HclTokenKind.Ge, 2); else Simple(HclTokenKind.Gt, 1);
                return true;
            case '&' when At(1) == '&': Simple(HclTokenKind.And, 2); return true;
            case '|' when At(1) == '|': Simple(HclTokenKind.Or, 2); return true;
            case '+': Simple(HclTokenKind.Plus, 1); return true;
            case '-': Simple(HclTokenKind.Minus, 1); return true;
            case '*': Simple(HclTokenKind.Star, 1); return true;
            case '/': Simple(HclTokenKind.Slash, 1); return true;
            case '%': Simple(HclTokenKind.Percent, 1); return true;
            case '?': Simple(HclTokenKind.Question, 1); return true;
            case ':': Simple(HclTokenKind.Colon, 1); return true;
            case '~': Simple(HclTokenKind.Tilde, 1); return true;
        }
        throw Error(ch < ' ' || ch == '\uFFFD' ? $"invalid character (code {(int)ch})" : $"invalid character '{ch}'");
    }

    private bool LexQuoted()
    {
        var (start, line, col) = (_pos, _line, _col);
        while (true)
        {
            if (Eof || Cur == '\n')
            {
                var f = _stack.Peek();
                throw Error("unterminated string: a quoted string must end with '\"' on the same line", f.StartLine, f.StartColumn);
            }
            var run = _s.AsSpan(_pos).IndexOfAny(QuotedStops);
            if (run != 0)
            {
                // Plain text up to the next quote, backslash, $, % or newline (or the end): skipped in one step.
                AdvanceWithinLine(run < 0 ? _s.Length : _pos + run);
                continue;
            }
            var c = Cur;
            if (c == '"')
            {
                if (_pos > start) Emit(HclTokenKind.Literal, start, line, col);
                Simple(HclTokenKind.CQuote, 1);
                _stack.Pop();
                return true;
            }
            if (c == '\\')
            {
                if (At(1) is '\n' or '\0') throw Error("unterminated string: backslash at the end of the line");
                Advance(2);
                continue;
            }
            if ((c == '$' || c == '%') && At(1) == c && At(2) == '{') { Advance(3); continue; }
            if ((c == '$' || c == '%') && At(1) == '{')
            {
                if (_pos > start) Emit(HclTokenKind.Literal, start, line, col);
                Simple(c == '$' ? HclTokenKind.TemplateInterp : HclTokenKind.TemplateControl, 2);
                _stack.Push(new Frame { Mode = Mode.Normal });
                return true;
            }
            Advance();
        }
    }

    private bool LexHeredoc(Frame f)
    {
        if (f.Marker == "")
        {
            // Template file: no closing marker; text runs to the end of the file.
            var (st, ln, cl) = (_pos, _line, _col);
            while (!Eof)
            {
                var ch = Cur;
                if ((ch == '$' || ch == '%') && At(1) == ch && At(2) == '{') { Advance(3); continue; }
                if ((ch == '$' || ch == '%') && At(1) == '{')
                {
                    if (_pos > st) Emit(HclTokenKind.Literal, st, ln, cl);
                    Simple(ch == '$' ? HclTokenKind.TemplateInterp : HclTokenKind.TemplateControl, 2);
                    _stack.Push(new Frame { Mode = Mode.Normal });
                    return true;
                }
                Advance();
            }
            if (_pos > st) Emit(HclTokenKind.Literal, st, ln, cl);
            return true;
        }
        if (f.LineStart)
        {
            if (Eof) throw Error($"unterminated heredoc: no closing '{f.Marker}' line");
            // Is this line the closing marker (optionally indented)?
            var i = _pos;
            while (i < _s.Length && _s[i] is ' ' or '\t') i++;
            if (string.CompareOrdinal(_s, i, f.Marker, 0, f.Marker.Length) == 0)
            {
                var j = i + f.Marker.Length;
                var k = j;
                while (k < _s.Length && _s[k] is ' ' or '\t' or '\r') k++;
                if (k >= _s.Length || _s[k] == '\n')
                {
                    Advance(i - _pos);
                    var (l, c) = (_line, _col);
                    var s = _pos;
                    Advance(j - i);
                    Emit(HclTokenKind.CHeredoc, s, l, c);
                    _stack.Pop();
                    return true;
                }
            }
        }
        var atLineStart = f.LineStart;
        var (start, line, col) = (_pos, _line, _col);
        while (true)
        {
            if (Eof)
            {
                if (_pos > start) Emit(HclTokenKind.Literal, start, line, col, atLineStart);
                throw Error($"unterminated heredoc: no closing '{f.Marker}' line");
            }
            var run = _s.AsSpan(_pos).IndexOfAny(HeredocStops);
            if (run != 0)
            {
                // Plain text up to the next newline, $ or % (or the end): skipped in one step.
                AdvanceWithinLine(run < 0 ? _s.Length : _pos + run);
                continue;
            }
            var c = Cur;
            if (c == '\n')
            {
                Advance();
                Emit(HclTokenKind.Literal, start, line, col, atLineStart);
                f.LineStart = true;
                return true;
            }
            if ((c == '$' || c == '%') && At(1) == c && At(2) == '{') { Advance(3); continue; }
            if ((c == '$' || c == '%') && At(1) == '{')
            {
                if (_pos > start || atLineStart) Emit(HclTokenKind.Literal, start, line, col, atLineStart);
                Simple(c == '$' ? HclTokenKind.TemplateInterp : HclTokenKind.TemplateControl, 2);
                f.LineStart = false;
                _stack.Push(new Frame { Mode = Mode.Normal });
                return true;
            }
            Advance();
        }
    }
}
