namespace Groundcrew.Load.AppCode;

/// <summary>The verdict on one read: required or not, how sure, and why (in words, for the finding).</summary>
internal readonly record struct Verdict(bool Required, EnvCertainty Certainty, string Evidence)
{
    public static Verdict Optional(string why) => new(false, EnvCertainty.Explicit, why);
    public static Verdict RequiredExplicit(string why) => new(true, EnvCertainty.Explicit, why);
    public static Verdict RequiredInferred(string why) => new(true, EnvCertainty.Inferred, why);
}

/// <summary>
/// Decides required/optional for a read expression spanning tokens [first, last] in C-family code (JS/TS, C#).
/// Order of evidence:
/// 1. a default right after (<c>?? x</c>, <c>|| x</c>) -> optional; <c>?? throw</c> (C#) -> required;
/// 2. a non-null assertion <c>!</c> (TS) -> required;
/// 3. used as a test (<c>x ? a : b</c>, <c>x?.y</c>, <c>x &amp;&amp; ...</c>, compared with == / ===, <c>typeof</c>) -> optional,
///    unless it sits in an <c>if (...)</c> whose body throws or exits and the test is for absence -> required;
/// 4. the only argument of a conversion whose result gets a default (<c>Number(x) || 3000</c>) -> optional;
/// 5. anything else: a plain read with no default -> required, with certainty <see cref="EnvCertainty.Inferred"/>.
/// </summary>
internal static class ReadClassifier
{
    public static Verdict Classify(List<Token> t, int first, int last, bool csharp = false)
    {
        var next = t.At(last + 1);
        var prev = t.At(first - 1);
        var n = next?.Kind == TokenKind.Punct ? next.Value.Text : null;
        var p = prev?.Kind == TokenKind.Punct ? prev.Value.Text : null;

        if (n is "??" or "||")
        {
            if (t.IsId(last + 2, "throw")) return Verdict.RequiredExplicit("throws when missing (?? throw)");
            return Verdict.Optional($"has a default ({n} ...)");
        }
        if (n == "!" && !csharp) return Verdict.RequiredExplicit("non-null assertion (!)");
        if (p is "??" or "||") return Verdict.Optional($"a fallback after another source ({p})");

        var absenceTest = p == "!" || (n is "==" or "===" && IsNullish(t, last + 2)) || (p is "==" or "===" && IsNullish(t, first - 2))
                          || (csharp && t.IsId(last + 1, "is") && (t.IsId(last + 2, "null") || IsNullish(t, last + 2)))
                          || IsNullOrEmptyCall(t, first);
        var inTest = n is "?" or "?." or "&&" or "==" or "===" or "!=" or "!==" || p is "==" or "===" or "!=" or "!==" or "!" or "&&" or "||"
                     || (prev?.Kind == TokenKind.Identifier && prev.Value.Text == "typeof") || (csharp && t.IsId(last + 1, "is"));

        var ifOpen = EnclosingIfCondition(t, first);
        if (ifOpen >= 0)
        {
            if (absenceTest && BodyFails(t, ifOpen)) return Verdict.RequiredExplicit("the code throws or exits when it is missing");
            return Verdict.Optional("only tested (if ...)");
        }
        if (inTest) return Verdict.Optional("only tested, not required");

        // Number(process.env.PORT) || 3000, parseInt(process.env.X, 10) ?? 5
        if (n is ")" or ",")
        {
            var open = t.EnclosingOpen(first);
            if (open > 0 && t.IsId(open - 1))
            {
                var close = t.MatchClose(open);
                var after = t.At(close + 1);
                if (after?.Kind == TokenKind.Punct && after.Value.Text is "??" or "||")
                    return Verdict.Optional($"has a default after conversion ({after.Value.Text} ...)");
            }
        }
        return Verdict.RequiredInferred("read without a default");
    }

    private static bool IsNullish(List<Token> t, int i) =>
        t.IsId(i, "undefined") || t.IsId(i, "null") || (t.IsStr(i) && t[i].Value.Length == 0);

    private static bool IsNullOrEmptyCall(List<Token> t, int first)
    {
        // string.IsNullOrEmpty(x) / string.IsNullOrWhiteSpace(x)
        var open = t.EnclosingOpen(first);
        return open > 0 && (t.IsId(open - 1, "IsNullOrEmpty") || t.IsId(open - 1, "IsNullOrWhiteSpace"));
    }

    /// <summary>If the token sits inside the condition of an <c>if (...)</c>, the index of that '('; else -1.</summary>
    private static int EnclosingIfCondition(List<Token> t, int i)
    {
        var k = i;
        for (var hops = 0; hops < 8; hops++)
        {
            var open = t.EnclosingOpen(k);
            if (open < 0) return -1;
            if (t.IsId(open - 1, "if")) return open;
            k = open;
        }
        return -1;
    }

    /// <summary>Does the statement after the if-condition at <paramref name="open"/> throw or exit?</summary>
    private static bool BodyFails(List<Token> t, int open)
    {
        var close = t.MatchClose(open);
        if (close < 0) return false;
        var bodyStart = close + 1;
        int bodyEnd;
        if (t.Is(bodyStart, "{")) bodyEnd = t.MatchClose(bodyStart);
        else
        {
            bodyEnd = bodyStart;
            while (bodyEnd < t.Count && !t.Is(bodyEnd, ";") && bodyEnd - bodyStart < 80) bodyEnd++;
        }
        if (bodyEnd < 0) return false;
        for (var k = bodyStart; k <= bodyEnd && k < t.Count; k++)
        {
            if (t.IsId(k, "throw")) return true;
            if (t.IsId(k, "exit") && t.Is(k - 1, ".") && (t.IsId(k - 2, "process") || t.IsId(k - 2, "Environment"))) return true;
            if (t.IsId(k, "Exit") && t.Is(k - 1, ".") && t.IsId(k - 2, "Environment")) return true;
        }
        return false;
    }
}
