using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// GetSecretValue calls in C# and Go whose SecretId is an environment variable's value (<see cref="SecretIdFromEnv"/>):
/// C# <c>new GetSecretValueRequest { SecretId = Environment.GetEnvironmentVariable("X") }</c>, Go
/// <c>&amp;secretsmanager.GetSecretValueInput{ SecretId: aws.String(os.Getenv("X")) }</c>, directly or through a name
/// assigned from the read (<c>var id = Environment.GetEnvironmentVariable("X");</c>, <c>id := os.Getenv("X")</c>; the last
/// assignment before the call in the file wins). Keys read from the secret are not followed in these languages.
/// </summary>
public static class CFamilySecretIds
{
    public static bool MayHold(string text) => text.Contains("SecretId", StringComparison.Ordinal);

    public static SecretUses Extract(string text, string file, CodeDialect dialect)
    {
        var result = new SecretUses();
        if (string.IsNullOrEmpty(text) || !MayHold(text) || dialect == CodeDialect.JavaScript) return result;
        List<Token> t;
        try { t = CodeTokenizer.Tokenize(text, dialect); }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException) { return result; }
        var csharp = dialect == CodeDialect.CSharp;
        var lang = csharp ? AppLanguages.CSharp : AppLanguages.Go;
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        var requestType = csharp ? "GetSecretValueRequest" : "GetSecretValueInput";
        var assign = csharp ? "=" : ":";

        for (var i = 0; i < t.Count; i++)
        {
            // NAME = <env read> (C# also `var NAME =`, `string NAME =`), Go NAME := / var NAME =
            if (t.IsId(i) && (t.Is(i + 1, "=") || (!csharp && t.Is(i + 1, ":="))) && !t.Is(i - 1, "."))
            {
                names[t[i].Text] = EnvRead(i + 2, out var end) is { } env && Ends(end) ? env : null;
                continue;
            }
            if (!t.IsId(i, requestType)) continue;
            var open = t.Is(i + 1, "{") ? i + 1 : t.Is(i + 1, "(") && t.Is(t.MatchClose(i + 1) + 1, "{") ? t.MatchClose(i + 1) + 1 : -1;
            if (open < 0) continue;
            var close = t.MatchClose(open);
            if (close < 0) continue;
            foreach (var (s, e) in t.SplitArgs(open, close))
            {
                if (!t.IsId(s, "SecretId") || !t.Is(s + 1, assign)) continue;
                var v = s + 2;
                // Go: aws.String(x) / &x
                if (!csharp && t.IsId(v, "aws") && t.Is(v + 1, ".") && t.IsId(v + 2, "String") && t.Is(v + 3, "(") && t.MatchClose(v + 3) == e) v += 4;
                else if (!csharp && t.Is(v, "&")) v++;
                var last = !csharp && v != s + 2 && t.Is(e, ")") && v > s + 3 ? e - 1 : e;
                string? envName = null;
                if (EnvRead(v, out var vend) is { } direct && vend == last) envName = direct;
                else if (v == last && t.IsId(v) && names.TryGetValue(t[v].Text, out var aliased)) envName = aliased;
                if (envName == null) break;
                var api = csharp ? "AWS SDK for .NET GetSecretValueRequest { SecretId }" : "AWS SDK for Go GetSecretValueInput{SecretId}";
                result.IdCalls.Add(new SecretIdFromEnv(envName, new SourceSpan(file, t[s].Line, t[s].Column, t[s].Line, t[s].Column + t[s].Text.Length), api, lang));
                break;
            }
        }
        return result;

        bool Ends(int end) => t.At(end + 1) is not { } n || n.Line > t[end].Line || (n.Kind == TokenKind.Punct && n.Text is ";" or "," or ")" or "}" or "??");

        // Environment.GetEnvironmentVariable("X") (optionally `!`) / os.Getenv("X")
        string? EnvRead(int i, out int end)
        {
            end = i;
            var fn = csharp ? (t.IsId(i, "Environment") && t.Is(i + 1, ".") && t.IsId(i + 2, "GetEnvironmentVariable"))
                : (t.IsId(i, "os") && t.Is(i + 1, ".") && t.IsId(i + 2, "Getenv"));
            if (!fn || !t.Is(i + 3, "(") || !t.IsStr(i + 4) || !t.Is(i + 5, ")")) return null;
            end = t.Is(i + 6, "!") && csharp ? i + 6 : i + 5;
            return t[i + 4].Value;
        }
    }
}
