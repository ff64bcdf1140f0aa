using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// Go env reads: <c>os.Getenv("X")</c> (empty string when missing) and <c>os.LookupEnv("X")</c>.
/// A Getenv result that is checked for "" and given a value is optional; one whose empty check leads to
/// log.Fatal/panic/os.Exit/return is required (explicit); an unchecked Getenv is required (inferred).
/// LookupEnv is optional unless a <c>!ok</c> check fails hard.
/// </summary>
public static class GoExtractor
{
    public static List<EnvRead> Extract(string text, string file)
    {
        var reads = new List<EnvRead>();
        List<Token> t;
        try { t = CodeTokenizer.Tokenize(text ?? "", CodeDialect.Go); }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException) { return reads; }

        for (var i = 0; i + 4 < t.Count; i++)
        {
            if (!t.IsId(i, "os") || !t.Is(i + 1, ".") || !t.Is(i + 3, "(") || !t.IsStr(i + 4) || t.Is(i - 1, ".")) continue;
            var fn = t[i + 2].Text;
            if (fn is not ("Getenv" or "LookupEnv")) continue;
            var close = t.MatchClose(i + 3);
            if (close < 0) continue;
            var name = t[i + 4].Value;
            if (!TokenUtil.EnvName.IsMatch(name)) continue;
            var v = fn == "Getenv" ? ClassifyGetenv(t, i, close) : ClassifyLookup(t, i, close);
            var span = new SourceSpan(file, t[i + 4].Line, t[i + 4].Column, t[i + 4].Line, t[i + 4].Column + t[i + 4].Text.Length);
            reads.Add(new EnvRead(name, v.Required, span, AppLanguages.Go, $"os.{fn}(\"{name}\"): {v.Evidence}") { Certainty = v.Certainty });
        }
        return reads;
    }

    private static Verdict ClassifyGetenv(List<Token> t, int first, int close)
    {
        // Direct comparison: os.Getenv("X") == "true" / != "" -> only tested; if os.Getenv("X") == "" { log.Fatal } -> required
        if (t.Is(close + 1, "==") || t.Is(close + 1, "!="))
        {
            if (t.Is(close + 1, "==") && t.IsStr(close + 2) && t[close + 2].Value.Length == 0 && IfBodyFails(t, close + 3))
                return Verdict.RequiredExplicit("the code fails when it is empty");
            return Verdict.Optional("only compared");
        }
        var variable = AssignedVariable(t, first, out _);
        if (variable == null) return Verdict.RequiredInferred("read without a default");
        // Look ahead for: if variable == "" { ... }
        for (var k = close + 1; k < t.Count && k < close + 200; k++)
        {
            if (!t.IsId(k, "if")) continue;
            var j = k + 1;
            bool emptyCheck = (t.IsId(j, variable) && t.Is(j + 1, "==") && t.IsStr(j + 2) && t[j + 2].Value.Length == 0)
                              || (t.IsStr(j) && t[j].Value.Length == 0 && t.Is(j + 1, "==") && t.IsId(j + 2, variable))
                              || (t.IsId(j, "len") && t.Is(j + 1, "(") && t.IsId(j + 2, variable) && t.Is(j + 3, ")") && t.Is(j + 4, "=="));
            bool presentCheck = t.IsId(j, variable) && t.Is(j + 1, "!=");
            if (emptyCheck)
                return IfBodyFails(t, j) ? Verdict.RequiredExplicit("the code fails when it is empty") : Verdict.Optional("given a value when empty");
            if (presentCheck) return Verdict.Optional("only used when set");
        }
        return Verdict.RequiredInferred("read without a default");
    }

    private static Verdict ClassifyLookup(List<Token> t, int first, int close)
    {
        AssignedVariable(t, first, out var okName);
        if (okName != null)
            for (var k = close + 1; k < t.Count && k < close + 200; k++)
                if (t.IsId(k, "if") && t.Is(k + 1, "!") && t.IsId(k + 2, okName))
                    return IfBodyFails(t, k + 1) ? Verdict.RequiredExplicit("the code fails when it is not set") : Verdict.Optional("handles it not being set");
        return Verdict.Optional("LookupEnv: the code handles it not being set");
    }

    /// <summary>For "v := os.Getenv(...)" / "v, ok := os.LookupEnv(...)" / "var v = ...": the variable name (and the ok name).</summary>
    private static string? AssignedVariable(List<Token> t, int first, out string? second)
    {
        second = null;
        if (!(t.Is(first - 1, ":=") || t.Is(first - 1, "="))) return null;
        if (t.IsId(first - 2) && t.Is(first - 3, ",") && t.IsId(first - 4))
        {
            second = t[first - 2].Text;
            return t[first - 4].Text;
        }
        return t.IsId(first - 2) ? t[first - 2].Text : null;
    }

    /// <summary>From the condition start, find the block '{' and check it for log.Fatal*, panic, os.Exit or return with an error.</summary>
    private static bool IfBodyFails(List<Token> t, int from)
    {
        var k = from;
        while (k < t.Count && !t.Is(k, "{") && k - from < 30) k++;
        if (!t.Is(k, "{")) return false;
        var end = t.MatchClose(k);
        if (end < 0) return false;
        for (var x = k + 1; x < end; x++)
        {
            if (t.IsId(x, "panic")) return true;
            if (t[x].Kind == TokenKind.Identifier && t[x].Text.StartsWith("Fatal", StringComparison.Ordinal) && t.Is(x - 1, ".")) return true;
            if (t.IsId(x, "Exit") && t.IsId(x - 2, "os")) return true;
            if (t.IsId(x, "return") && (t.IsId(x + 1, "fmt") || t.IsId(x + 1, "errors") || t.IsId(x + 3, "fmt") || t.IsId(x + 3, "errors"))) return true;
        }
        return false;
    }
}
