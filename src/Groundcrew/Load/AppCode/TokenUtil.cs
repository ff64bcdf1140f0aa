using System.Text.RegularExpressions;

namespace Groundcrew.Load.AppCode;

/// <summary>Bracket matching and small helpers over a token list. All indexes are bounds-checked.</summary>
internal static class TokenUtil
{
    public static readonly Regex EnvName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public static bool Is(this List<Token> t, int i, string punct) => i >= 0 && i < t.Count && t[i].Kind == TokenKind.Punct && t[i].Text == punct;
    public static bool IsId(this List<Token> t, int i, string name) => i >= 0 && i < t.Count && t[i].Kind == TokenKind.Identifier && t[i].Text == name;
    public static bool IsId(this List<Token> t, int i) => i >= 0 && i < t.Count && t[i].Kind == TokenKind.Identifier;
    public static bool IsStr(this List<Token> t, int i) => i >= 0 && i < t.Count && t[i].Kind == TokenKind.String;
    public static Token? At(this List<Token> t, int i) => i >= 0 && i < t.Count ? t[i] : null;

    private static string? CloseOf(string open) => open switch { "(" => ")", "[" => "]", "{" => "}", _ => null };
    private static string? OpenOf(string close) => close switch { ")" => "(", "]" => "[", "}" => "{", _ => null };

    /// <summary>Index of the bracket closing the one at <paramref name="open"/>, or -1.</summary>
    public static int MatchClose(this List<Token> t, int open, int limit = 20000)
    {
        if (open < 0 || open >= t.Count || t[open].Kind != TokenKind.Punct) return -1;
        var o = t[open].Text;
        var c = CloseOf(o);
        if (c == null) return -1;
        var depth = 0;
        for (var i = open; i < t.Count && i - open < limit; i++)
        {
            if (t[i].Kind != TokenKind.Punct) continue;
            var x = t[i].Text;
            if (x is "(" or "[" or "{") depth++;
            else if (x is ")" or "]" or "}")
            {
                depth--;
                if (depth == 0) return x == c ? i : -1;
                if (depth < 0) return -1;
            }
        }
        return -1;
    }

    /// <summary>Index of the bracket opening the one at <paramref name="close"/>, or -1.</summary>
    public static int MatchOpen(this List<Token> t, int close, int limit = 20000)
    {
        if (close < 0 || close >= t.Count || t[close].Kind != TokenKind.Punct) return -1;
        var o = OpenOf(t[close].Text);
        if (o == null) return -1;
        var depth = 0;
        for (var i = close; i >= 0 && close - i < limit; i--)
        {
            if (t[i].Kind != TokenKind.Punct) continue;
            var x = t[i].Text;
            if (x is ")" or "]" or "}") depth++;
            else if (x is "(" or "[" or "{")
            {
                depth--;
                if (depth == 0) return x == o ? i : -1;
                if (depth < 0) return -1;
            }
        }
        return -1;
    }

    /// <summary>The nearest unclosed bracket of kind <paramref name="open"/> before <paramref name="i"/>, stopping at other unclosed brackets; -1 if none.</summary>
    public static int EnclosingOpen(this List<Token> t, int i, string open = "(", int limit = 400)
    {
        var depth = 0;
        for (var k = i - 1; k >= 0 && i - k < limit; k--)
        {
            if (t[k].Kind != TokenKind.Punct) continue;
            var x = t[k].Text;
            if (x is ")" or "]" or "}") depth++;
            else if (x is "(" or "[" or "{")
            {
                if (depth == 0) return x == open ? k : -1;
                depth--;
            }
            else if (depth == 0 && x == ";") return -1;
        }
        return -1;
    }

    /// <summary>Skips a generic argument list starting at a '&lt;' token; returns the index after the matching '&gt;' or <paramref name="i"/> if none.</summary>
    public static int SkipGeneric(this List<Token> t, int i)
    {
        if (!t.Is(i, "<")) return i;
        var depth = 0;
        for (var k = i; k < t.Count && k - i < 60; k++)
        {
            if (t[k].Kind != TokenKind.Punct) continue;
            if (t[k].Text == "<") depth++;
            else if (t[k].Text == ">") { depth--; if (depth == 0) return k + 1; }
            else if (t[k].Text is ";" or "{" or "}" or "(" or ")") return i;
        }
        return i;
    }

    /// <summary>Source text between two token indexes (inclusive).</summary>
    public static string Text(this List<Token> t, string src, int from, int to)
    {
        if (from < 0 || to >= t.Count || from > to) return "";
        return src[t[from].Start..t[to].End];
    }

    /// <summary>Splits the tokens between brackets at depth-0 commas: (start, end) inclusive ranges.</summary>
    /// <param name="angles">Also treat &lt; &gt; as brackets (TypeScript type arguments in parameter lists).</param>
    public static List<(int Start, int End)> SplitArgs(this List<Token> t, int open, int close, bool angles = false)
    {
        var result = new List<(int, int)>();
        if (open < 0 || close <= open) return result;
        var depth = 0;
        var start = open + 1;
        for (var k = open + 1; k < close; k++)
        {
            var x = t[k];
            if (x.Kind != TokenKind.Punct) continue;
            if (x.Text is "(" or "[" or "{" || (angles && x.Text == "<")) depth++;
            else if (x.Text is ")" or "]" or "}" || (angles && x.Text == ">" && depth > 0)) depth--;
            else if (x.Text == "," && depth == 0)
            {
                if (k > start) result.Add((start, k - 1));
                start = k + 1;
            }
        }
        if (close > start) result.Add((start, close - 1));
        return result;
    }
}
