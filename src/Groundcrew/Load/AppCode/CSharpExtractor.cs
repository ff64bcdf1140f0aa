using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// C# env reads: <c>Environment.GetEnvironmentVariable("X")</c>; IConfiguration reads <c>configuration["A:B"]</c>
/// (env var <c>A__B</c>), <c>GetValue&lt;T&gt;("X"[, default])</c>, <c>GetConnectionString("X")</c> (env var
/// <c>ConnectionStrings__X</c>). IConfiguration reads carry <see cref="EnvRead.ConfigKey"/> because appsettings*.json
/// may provide the value instead of the environment.
/// </summary>
public static class CSharpExtractor
{
    public static List<EnvRead> Extract(string text, string file)
    {
        var reads = new List<EnvRead>();
        List<Token> t;
        try { t = CodeTokenizer.Tokenize(text ?? "", CodeDialect.CSharp); }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException) { return reads; }

        SourceSpan Span(int i) => new(file, t[i].Line, t[i].Column, t[i].Line, t[i].Column + t[i].Text.Length);
        void Add(string name, int tok, Verdict v, string form, string? configKey)
        {
            if (!TokenUtil.EnvName.IsMatch(name)) return;
            var evidence = $"{form}: {v.Evidence}" + (configKey != null ? " (appsettings*.json may also provide it)" : "");
            reads.Add(new EnvRead(name, v.Required, Span(tok), AppLanguages.CSharp, evidence) { Certainty = v.Certainty, ConfigKey = configKey });
        }

        for (var i = 0; i < t.Count; i++)
        {
            if (t[i].Kind != TokenKind.Identifier) continue;
            var id = t[i].Text;
            if (id == "GetEnvironmentVariable" && t.Is(i - 1, ".") && t.IsId(i - 2, "Environment") && t.Is(i + 1, "("))
            {
                var close = t.MatchClose(i + 1);
                if (close < 0 || !t.IsStr(i + 2)) continue;
                var name = t[i + 2].Value;
                Add(name, i + 2, ReadClassifier.Classify(t, i - 2, close, csharp: true), $"Environment.GetEnvironmentVariable(\"{name}\")", null);
            }
            else if ((id == "GetValue" || id == "GetConnectionString") && t.Is(i - 1, "."))
            {
                var open = t.SkipGeneric(i + 1);
                if (!t.Is(open, "(")) continue;
                var close = t.MatchClose(open);
                if (close < 0) continue;
                var args = t.SplitArgs(open, close);
                if (args.Count == 0 || args[0].Start != args[0].End || !t.IsStr(args[0].Start)) continue;
                var key = t[args[0].Start].Value;
                if (id == "GetConnectionString") key = "ConnectionStrings:" + key;
                // (the non-generic GetValue(typeof(T), "X") has the key second and is skipped above)
                var v = args.Count >= 2 && id == "GetValue"
                    ? Verdict.Optional("has a default (second argument)")
                    : ReadClassifier.Classify(t, i - 2, close, csharp: true);
                Add(EnvNameOf(key), args[0].Start, v, $"{id}(\"{t[args[0].Start].Value}\")", key);
            }
            else if (t.Is(i + 1, "[") && t.IsStr(i + 2) && t.Is(i + 3, "]") && IsConfigurationName(id))
            {
                if (t.Is(i + 4, "=")) continue; // a write
                var key = t[i + 2].Value;
                Add(EnvNameOf(key), i + 2, ReadClassifier.Classify(t, i, i + 3, csharp: true), $"{id}[\"{key}\"]", key);
            }
        }
        return reads;
    }

    /// <summary>"A:B" -> "A__B": .NET maps the env var A__B to the configuration key A:B.</summary>
    public static string EnvNameOf(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static bool IsConfigurationName(string id) =>
        id.Contains("config", StringComparison.OrdinalIgnoreCase) || id is "Configuration";
}
