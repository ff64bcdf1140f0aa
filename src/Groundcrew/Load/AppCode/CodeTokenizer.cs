using System.Text;

namespace Groundcrew.Load.AppCode;

public enum TokenKind
{
    Identifier,
    Number,
    /// <summary>A string literal (JS '...'/"...", a template literal without substitutions, C# "..."/@"..."/$"..."/"""...""", Go "..."/`...`, char/rune literals).</summary>
    String,
    /// <summary>Part of a JS template literal with substitutions: the text between backtick/<c>${</c>/<c>}</c>. The expression tokens come in between.</summary>
    TemplatePart,
    Regex,
    Punct,
}

/// <summary>A token with its 1-based line and column and its offsets in the text.</summary>
public readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, int Start, int End)
{
    /// <summary>For strings: the decoded value (common escapes resolved); otherwise the text.</summary>
    public string Value { get; init; } = Text;
    public bool IsIdent(string name) => Kind == TokenKind.Identifier && Text == name;
    public bool IsPunct(string p) => Kind == TokenKind.Punct && Text == p;
    public override string ToString() => $"{Kind} {Text} @{Line}:{Column}";
}

public enum CodeDialect { JavaScript, CSharp, Go }

/// <summary>
/// A small tokenizer for C-family languages: JavaScript/TypeScript (template literals with nested
/// substitutions, regex literals told apart from division by the previous token, decorators, private names),
/// C# (verbatim, interpolated and raw strings, char literals) and Go (raw strings, runes).
/// Comments are dropped. Unterminated strings and regexes end at the line end, so one odd character
/// cannot swallow the rest of a file. Never throws.
/// </summary>
public static class CodeTokenizer
{
    private static readonly string[] Puncts =
    [
        ">>>=", "...", "===", "!==", "**=", "<<=", "&&=", "||=", "??=",
        "=>", "==", "!=", "<=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "::", ":=", "<-",
    ];

    private static readonly HashSet<string> RegexAfterKeywords = new(StringComparer.Ordinal)
    {
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await",
    };

    public static List<Token> Tokenize(string text, CodeDialect dialect)
    {
        var tokens = new List<Token>(Math.Max(16, text.Length / 4));
        var s = new Scanner(text ?? "", dialect, tokens);
        s.Run();
        return tokens;
    }

    private sealed class Scanner(string src, CodeDialect dialect, List<Token> tokens)
    {
        private int _pos;
        private int _line = 1;
        private int _lineStart;
        // For JS template literals: each entry is the brace depth at which a ${ was opened.
        private readonly Stack<int> _templateBraces = new();
        private int _braceDepth;

        public void Run()
        {
            if (dialect == CodeDialect.JavaScript && src.StartsWith("#!", StringComparison.Ordinal)) SkipToLineEnd();
            while (_pos < src.Length)
            {
                var c = src[_pos];
                if (c == '\n') { NewLine(_pos + 1); _pos++; continue; }
                if (char.IsWhiteSpace(c)) { _pos++; continue; }
                if (c == '/' && Peek(1) == '/') { SkipToLineEnd(); continue; }
                if (c == '/' && Peek(1) == '*') { SkipBlockComment(); continue; }
                var start = _pos;
                var line = _line;
                var col = _pos - _lineStart + 1;

                if ((IsIdentStart(c) && (c != '$' || dialect == CodeDialect.JavaScript)) || (c == '#' && dialect == CodeDialect.JavaScript && IsIdentStart(Peek(1))))
                {
                    _pos++;
                    while (_pos < src.Length && IsIdentPart(src[_pos])) _pos++;
                    Add(TokenKind.Identifier, start, line, col);
                    continue;
                }
                if (char.IsDigit(c) || (c == '.' && char.IsDigit(Peek(1))))
                {
                    _pos++;
                    while (_pos < src.Length && (char.IsLetterOrDigit(src[_pos]) || src[_pos] == '_' || src[_pos] == '.'
                           || ((src[_pos] == '+' || src[_pos] == '-') && (src[_pos - 1] == 'e' || src[_pos - 1] == 'E') && !IsHex(start))))
                        _pos++;
                    Add(TokenKind.Number, start, line, col);
                    continue;
                }

                switch (dialect)
                {
                    case CodeDialect.JavaScript when c is '"' or '\'':
                        QuotedString(c, start, line, col, escapes: true, multiline: false);
                        continue;
                    case CodeDialect.JavaScript when c == '`':
                        _pos++;
                        Template(start, line, col);
                        continue;
                    case CodeDialect.JavaScript when c == '}' && _templateBraces.Count > 0 && _templateBraces.Peek() == _braceDepth:
                        _templateBraces.Pop();
                        _braceDepth--;
                        _pos++;
                        Template(start, line, col);
                        continue;
                    case CodeDialect.JavaScript when c == '/' && RegexAllowed():
                        if (TryRegex(start, line, col)) continue;
                        break;
                    case CodeDialect.CSharp when c is '"' or '@' or '$' or '\'':
                        if (CSharpString(start, line, col)) continue;
                        break;
                    case CodeDialect.Go when c == '"' || c == '\'':
                        QuotedString(c, start, line, col, escapes: true, multiline: false);
                        continue;
                    case CodeDialect.Go when c == '`':
                        RawUntil("`", start, line, col, 1);
                        continue;
                }

                // Punctuation: longest match.
                var matched = 1;
                foreach (var p in Puncts)
                    if (string.CompareOrdinal(src, _pos, p, 0, p.Length) == 0) { matched = p.Length; break; }
                if (matched == 2 && src[_pos] == '?' && src[_pos + 1] == '.' && char.IsDigit(Peek(2))) matched = 1; // a?.5:b
                if (c == '{') _braceDepth++;
                else if (c == '}') _braceDepth = Math.Max(0, _braceDepth - 1);
                _pos += matched;
                Add(TokenKind.Punct, start, line, col);
            }
        }

        private bool IsHex(int start) => _pos - start >= 2 && src[start] == '0' && (src[start + 1] == 'x' || src[start + 1] == 'X');

        private char Peek(int ahead) => _pos + ahead < src.Length ? src[_pos + ahead] : '\0';

        private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_' || c == '$';
        private bool IsIdentPart(char c) => char.IsLetterOrDigit(c) || c == '_' || (c == '$' && dialect == CodeDialect.JavaScript);

        private void NewLine(int nextLineStart) { _line++; _lineStart = nextLineStart; }

        private void SkipToLineEnd()
        {
            while (_pos < src.Length && src[_pos] != '\n') _pos++;
        }

        private void SkipBlockComment()
        {
            _pos += 2;
            while (_pos < src.Length && !(src[_pos] == '*' && Peek(1) == '/'))
            {
                if (src[_pos] == '\n') NewLine(_pos + 1);
                _pos++;
            }
            _pos = Math.Min(src.Length, _pos + 2);
        }

        private void Add(TokenKind kind, int start, int line, int col, string? value = null)
        {
            var text = src[start.._pos];
            tokens.Add(new Token(kind, text, line, col, start, _pos) { Value = value ?? text });
        }

        private void QuotedString(char quote, int start, int line, int col, bool escapes, bool multiline)
        {
            _pos++;
            var sb = new StringBuilder();
            while (_pos < src.Length)
            {
                var ch = src[_pos];
                if (ch == quote) { _pos++; break; }
                if (ch == '\n' && !multiline) break; // unterminated: stop at the line end
                if (ch == '\\' && escapes && _pos + 1 < src.Length)
                {
                    var n = src[_pos + 1];
                    if (n == '\n') { NewLine(_pos + 2); _pos += 2; continue; }
                    sb.Append(Unescape(n));
                    _pos += 2;
                    continue;
                }
                if (ch == '\n') NewLine(_pos + 1);
                sb.Append(ch);
                _pos++;
            }
            Add(TokenKind.String, start, line, col, sb.ToString());
        }

        private static char Unescape(char n) => n switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => n };

        /// <summary>Scans template text from just after ` or }; stops after the closing ` or at ${ (pushing the brace depth).</summary>
        private void Template(int start, int line, int col)
        {
            var sb = new StringBuilder();
            var opening = src[start];
            while (_pos < src.Length)
            {
                var ch = src[_pos];
                if (ch == '`')
                {
                    _pos++;
                    Add(opening == '`' ? TokenKind.String : TokenKind.TemplatePart, start, line, col, sb.ToString());
                    return;
                }
                if (ch == '$' && Peek(1) == '{')
                {
                    _pos += 2;
                    Add(TokenKind.TemplatePart, start, line, col, sb.ToString());
                    _braceDepth++;
                    _templateBraces.Push(_braceDepth);
                    return;
                }
                if (ch == '\\' && _pos + 1 < src.Length)
                {
                    if (src[_pos + 1] == '\n') NewLine(_pos + 2);
                    sb.Append(Unescape(src[_pos + 1]));
                    _pos += 2;
                    continue;
                }
                if (ch == '\n') NewLine(_pos + 1);
                sb.Append(ch);
                _pos++;
            }
            Add(opening == '`' ? TokenKind.String : TokenKind.TemplatePart, start, line, col, sb.ToString());
        }

        private bool RegexAllowed()
        {
            if (tokens.Count == 0) return true;
            var prev = tokens[^1];
            return prev.Kind switch
            {
                TokenKind.Number or TokenKind.String or TokenKind.Regex => false,
                TokenKind.TemplatePart => prev.Text.EndsWith("${", StringComparison.Ordinal),
                TokenKind.Identifier => RegexAfterKeywords.Contains(prev.Text),
                // After ')' or ']' a '/' divides; after '}' (end of a block, more often than of an object literal) it starts a regex.
                _ => prev.Text is not (")" or "]" or "++" or "--"),
            };
        }

        private bool TryRegex(int start, int line, int col)
        {
            var p = _pos + 1;
            var inClass = false;
            while (p < src.Length)
            {
                var ch = src[p];
                if (ch == '\n') return false; // not a regex after all: treat '/' as division
                if (ch == '\\') { p += 2; continue; }
                if (ch == '[') inClass = true;
                else if (ch == ']') inClass = false;
                else if (ch == '/' && !inClass) break;
                p++;
            }
            if (p >= src.Length) return false;
            p++;
            while (p < src.Length && char.IsLetter(src[p])) p++; // flags
            _pos = p;
            Add(TokenKind.Regex, start, line, col);
            return true;
        }

        private bool CSharpString(int start, int line, int col)
        {
            var p = _pos;
            var interpolated = false;
            var verbatim = false;
            while (p < src.Length && (src[p] == '$' || src[p] == '@'))
            {
                if (src[p] == '$') interpolated = true; else verbatim = true;
                p++;
            }
            if (p >= src.Length) return false;
            if (src[p] == '\'' && p == _pos)
            {
                QuotedString('\'', start, line, col, escapes: true, multiline: false);
                return true;
            }
            if (src[p] != '"') return false; // '@' before an identifier (@class) or a lone '$'
            // Raw string literal: three or more quotes.
            var q = 0;
            while (p + q < src.Length && src[p + q] == '"') q++;
            if (q >= 3)
            {
                _pos = p;
                RawUntil(new string('"', q), start, line, col, q);
                return true;
            }
            _pos = p + 1;
            var sb = new StringBuilder();
            var depth = 0;
            while (_pos < src.Length)
            {
                var ch = src[_pos];
                if (interpolated && ch == '{')
                {
                    if (Peek(1) == '{' && depth == 0) { sb.Append('{'); _pos += 2; continue; }
                    depth++; _pos++; continue;
                }
                if (interpolated && ch == '}' && depth > 0) { depth--; _pos++; continue; }
                if (depth > 0)
                {
                    if (ch == '"' && !verbatim) { SkipSimpleString(); continue; }
                    if (ch == '\n') { if (!verbatim) break; NewLine(_pos + 1); }
                    _pos++;
                    continue;
                }
                if (ch == '"')
                {
                    if (verbatim && Peek(1) == '"') { sb.Append('"'); _pos += 2; continue; }
                    _pos++;
                    break;
                }
                if (ch == '\n')
                {
                    if (!verbatim) break;
                    NewLine(_pos + 1);
                }
                if (ch == '\\' && !verbatim && _pos + 1 < src.Length) { sb.Append(Unescape(src[_pos + 1])); _pos += 2; continue; }
                sb.Append(ch);
                _pos++;
            }
            Add(TokenKind.String, start, line, col, sb.ToString());
            return true;
        }

        private void SkipSimpleString()
        {
            _pos++;
            while (_pos < src.Length && src[_pos] != '"' && src[_pos] != '\n')
            {
                if (src[_pos] == '\\') _pos++;
                _pos++;
            }
            if (_pos < src.Length && src[_pos] == '"') _pos++;
        }

        private void RawUntil(string close, int start, int line, int col, int openLength)
        {
            _pos += openLength;
            var bodyStart = _pos;
            var end = src.IndexOf(close, _pos, StringComparison.Ordinal);
            var bodyEnd = end < 0 ? src.Length : end;
            for (var k = _pos; k < bodyEnd; k++) if (src[k] == '\n') NewLine(k + 1);
            _pos = end < 0 ? src.Length : end + close.Length;
            Add(TokenKind.String, start, line, col, src[bodyStart..bodyEnd]);
        }
    }
}
