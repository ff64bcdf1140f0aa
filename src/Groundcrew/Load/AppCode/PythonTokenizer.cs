using System.Text;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// A small Python tokenizer: names, numbers, strings (prefixes, triple quotes, raw), operators; comments dropped.
/// Also gives, for each token, the indentation of its logical line and whether it starts one
/// (brackets and backslash continuations join physical lines), which is what class bodies need. Never throws.
/// </summary>
public static class PythonTokenizer
{
    public sealed record Result(List<Token> Tokens, List<int> Indent, List<bool> StartsLine);

    private static readonly string[] Ops = ["**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=", "**", "//", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "<<", ">>"];

    public static Result Tokenize(string src) => Tokenize(src, 0);

    private static Result Tokenize(string src, int depth0)
    {
        src ??= "";
        var tokens = new List<Token>();
        var indents = new List<int>();
        var starts = new List<bool>();
        int pos = 0, line = 1, lineStart = 0, depth = 0;
        var atLogicalStart = true;
        var currentIndent = 0;
        var continued = false;

        void Add(TokenKind kind, int start, int l, int c, string? value = null)
        {
            var text = src[start..pos];
            tokens.Add(new Token(kind, text, l, c, start, pos) { Value = value ?? text });
            indents.Add(currentIndent);
            starts.Add(atLogicalStart);
            atLogicalStart = false;
        }

        while (pos < src.Length)
        {
            var c = src[pos];
            if (c == '\n')
            {
                pos++; line++; lineStart = pos;
                if (depth == 0 && !continued) atLogicalStart = true;
                continued = false;
                continue;
            }
            if (c == '\\' && pos + 1 < src.Length && (src[pos + 1] == '\n' || src[pos + 1] == '\r')) { continued = true; pos++; continue; }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f') { pos++; continue; }
            if (c == '#') { while (pos < src.Length && src[pos] != '\n') pos++; continue; }
            if (atLogicalStart)
            {
                var ind = 0;
                for (var k = lineStart; k < pos; k++) ind += src[k] == '\t' ? 8 - ind % 8 : 1;
                currentIndent = ind;
            }
            var start = pos;
            var l0 = line;
            var col = pos - lineStart + 1;

            // String with optional prefix.
            var q = pos;
            while (q < src.Length && q - pos < 2 && "rRbBuUfF".IndexOf(src[q]) >= 0) q++;
            if (q < src.Length && (src[q] == '"' || src[q] == '\'') && (q == pos || !IsNamePart(src, pos - 1)))
            {
                var prefix = src[pos..q].ToLowerInvariant();
                var raw = prefix.Contains('r');
                var fstring = prefix.Contains('f') && depth0 < 3;
                List<Token>? holeTokens = null;
                var quote = src[q];
                var triple = q + 2 < src.Length && src[q + 1] == quote && src[q + 2] == quote;
                pos = q + (triple ? 3 : 1);
                var sb = new StringBuilder();
                while (pos < src.Length)
                {
                    var ch = src[pos];
                    if (triple)
                    {
                        if (ch == quote && pos + 2 < src.Length && src[pos + 1] == quote && src[pos + 2] == quote) { pos += 3; goto done; }
                    }
                    else
                    {
                        if (ch == quote) { pos++; goto done; }
                        if (ch == '\n') goto done; // unterminated
                    }
                    if (ch == '\\' && pos + 1 < src.Length)
                    {
                        var n = src[pos + 1];
                        if (n == '\n') { line++; lineStart = pos + 2; pos += 2; continue; }
                        if (raw) sb.Append(ch).Append(n);
                        else sb.Append(n switch { 'n' => '\n', 't' => '\t', _ => n });
                        pos += 2;
                        continue;
                    }
                    if (fstring && ch == '{')
                    {
                        if (pos + 1 < src.Length && src[pos + 1] == '{') { sb.Append('{'); pos += 2; continue; }
                        // An f-string hole: tokenize the expression so os.environ['X'] inside counts, with its position.
                        var (exprEnd, holeEnd) = FindHoleEnd(src, pos + 1, triple);
                        var inner = Tokenize(src[(pos + 1)..exprEnd], depth0 + 1).Tokens;
                        holeTokens ??= [];
                        var holeLine = line;
                        var holeCol = pos + 1 - lineStart + 1;
                        foreach (var it in inner)
                            holeTokens.Add(it with
                            {
                                Line = holeLine + it.Line - 1,
                                Column = it.Line == 1 ? holeCol + it.Column - 1 : it.Column,
                                Start = it.Start + pos + 1,
                                End = it.End + pos + 1,
                            });
                        for (var k = pos; k < holeEnd && k < src.Length; k++)
                            if (src[k] == '\n') { line++; lineStart = k + 1; }
                        sb.Append(src, pos, Math.Min(holeEnd, src.Length) - pos);
                        pos = holeEnd;
                        continue;
                    }
                    if (ch == '\n') { line++; lineStart = pos + 1; }
                    sb.Append(ch);
                    pos++;
                }
                done:
                Add(TokenKind.String, start, l0, col, sb.ToString());
                if (holeTokens != null)
                    foreach (var ht in holeTokens)
                    {
                        tokens.Add(ht);
                        indents.Add(currentIndent);
                        starts.Add(false);
                    }
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                while (pos < src.Length && IsNamePart(src, pos)) pos++;
                Add(TokenKind.Identifier, start, l0, col);
                continue;
            }
            if (char.IsDigit(c))
            {
                while (pos < src.Length && (char.IsLetterOrDigit(src[pos]) || src[pos] == '_' || src[pos] == '.')) pos++;
                Add(TokenKind.Number, start, l0, col);
                continue;
            }
            var len = 1;
            foreach (var op in Ops)
                if (string.CompareOrdinal(src, pos, op, 0, op.Length) == 0) { len = op.Length; break; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth = Math.Max(0, depth - 1);
            pos += len;
            Add(TokenKind.Punct, start, l0, col);
        }
        return new Result(tokens, indents, starts);
    }

    /// <summary>From just after an f-string '{': where the expression ends (at a top-level '}', ':' or '!') and the index after the closing '}'.</summary>
    private static (int ExprEnd, int HoleEnd) FindHoleEnd(string src, int from, bool triple)
    {
        var depth = 0;
        var exprEnd = -1;
        var k = from;
        while (k < src.Length)
        {
            var c = src[k];
            if (c == '\n' && !triple) break;
            if (c == '\'' || c == '"')
            {
                // A string inside the hole (Python 3.12 allows the outer quote too).
                var close = src.IndexOf(c, k + 1);
                var nl = src.IndexOf('\n', k + 1);
                if (close < 0 || (!triple && nl >= 0 && nl < close)) break;
                k = close + 1;
                continue;
            }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']') depth = Math.Max(0, depth - 1);
            else if (c == '}')
            {
                if (depth == 0) return (exprEnd < 0 ? k : exprEnd, k + 1);
                depth--;
            }
            else if (depth == 0 && exprEnd < 0 && (c == ':' || (c == '!' && k + 1 < src.Length && src[k + 1] != '='))) exprEnd = k;
            k++;
        }
        return (exprEnd < 0 ? k : exprEnd, k);
    }

    private static bool IsNamePart(string s, int i) => i >= 0 && i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_');
}
