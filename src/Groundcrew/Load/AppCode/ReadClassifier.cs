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
            if (FallbackFails(t, last + 2)) return Verdict.RequiredExplicit($"the fallback after {n} throws or exits");
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
        return CheckedThroughLocal(t, first, last) ?? Verdict.RequiredInferred("read without a default");
    }

    /// <summary>
    /// `const v = process.env.X;` (C#: `var v = ...;`, `string? v = ...;`) followed by the first `if` that tests v:
    /// an absence test whose body throws or exits makes the read required; one that gives a value, or a presence
    /// test, makes it optional. Null when the read is not assigned to a local or no later `if` tests it.
    /// </summary>
    private static Verdict? CheckedThroughLocal(List<Token> t, int first, int last)
    {
        if (!t.Is(first - 1, "=") || !t.IsId(first - 2) || t.Is(first - 3, ".")) return null;
        var name = t[first - 2].Text;
        var end = last + 1;
        if (!t.Is(end, ";") && !(t.At(end) is { } nx && nx.Line > t[last].Line)) return null; // the read must be the whole value
        for (var k = end; k < t.Count && k < end + 400; k++)
        {
            if (t.IsId(k, name) && t.Is(k + 1, "=") && !t.Is(k - 1, ".")) return null; // reassigned before any test
            if (!t.IsId(k, "if") || !t.Is(k + 1, "(")) continue;
            var close = t.MatchClose(k + 1);
            if (close < 0) return null;
            var mentions = Enumerable.Range(k + 2, close - k - 2).Where(x => t.IsId(x, name) && !t.Is(x - 1, ".")).ToList();
            if (mentions.Count == 0) continue;
            var x0 = mentions[0];
            var absence = t.Is(x0 - 1, "!") && !t.Is(x0 + 1, ".")
                          || (t.Is(x0 + 1, "==") || t.Is(x0 + 1, "===")) && IsNullish(t, x0 + 2)
                          || (t.Is(x0 - 1, "==") || t.Is(x0 - 1, "===")) && IsNullish(t, x0 - 2)
                          || t.IsId(x0 + 1, "is") && t.IsId(x0 + 2, "null")
                          || IsNullOrEmptyCall(t, x0)
                          || t.IsId(x0 - 1, "typeof") && t.Is(x0 + 1, "===") && t.IsStr(x0 + 2) && t[x0 + 2].Value == "undefined";
            if (absence)
                return BodyFails(t, k + 1)
                    ? Verdict.RequiredExplicit($"checked through `{name}`: the code throws or exits when it is missing")
                    : Verdict.Optional($"checked through `{name}` and given a value when missing");
            if (t.Is(x0 + 1, ".") || t.Is(x0 + 1, "(") || t.Is(x0 + 1, "[")) continue; // a use, not a test
            return Verdict.Optional($"only used when `{name}` is set");
        }
        return null;
    }

    /// <summary>
    /// The fallback expression starting at <paramref name="from"/> (after `||` / `??`) throws or exits: `throw`,
    /// `process.exit(...)`, an arrow function that throws, or a call to a function of the same file whose body throws.
    /// </summary>
    private static bool FallbackFails(List<Token> t, int from)
    {
        var depth = 0;
        for (var k = from; k < t.Count && k < from + 80; k++)
        {
            if (t[k].Kind == TokenKind.Punct)
            {
                var x = t[k].Text;
                if (x is "(" or "[" or "{") depth++;
                else if (x is ")" or "]" or "}") { if (--depth < 0) return false; }
                else if (depth == 0 && x is ";" or ",") return false;
            }
            if (t.IsId(k, "throw")) return true;
            if (t.IsId(k, "exit") && t.Is(k - 1, ".") && t.IsId(k - 2, "process")) return true;
            if (k == from && t.IsId(k) && t.Is(k + 1, "(") && LocalFunctionThrows(t, t[k].Text)) return true;
        }
        return false;
    }

    /// <summary>`function NAME(...) { ... throw ... }` or `const NAME = (...) => { ... throw ... }` in the same file.</summary>
    private static bool LocalFunctionThrows(List<Token> t, string name)
    {
        for (var k = 0; k + 2 < t.Count; k++)
        {
            int body = -1;
            if (t.IsId(k, "function") && t.IsId(k + 1, name) && t.Is(k + 2, "("))
            {
                var close = t.MatchClose(k + 2);
                for (var b = close + 1; close > 0 && b < t.Count && b < close + 8; b++) if (t.Is(b, "{")) { body = b; break; }
            }
            else if (t.IsId(k, name) && t.Is(k + 1, "=") && (t.IsId(k - 1, "const") || t.IsId(k - 1, "let")))
            {
                for (var b = k + 2; b < t.Count && b < k + 40; b++) if (t.Is(b, "=>") && t.Is(b + 1, "{")) { body = b + 1; break; }
            }
            if (body < 0) continue;
            var end = t.MatchClose(body);
            for (var b = body + 1; b < end; b++)
                if (t.IsId(b, "throw") || t.IsId(b, "exit") && t.Is(b - 1, ".") && t.IsId(b - 2, "process")) return true;
        }
        return false;
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
