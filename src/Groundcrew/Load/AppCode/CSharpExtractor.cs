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
                var key = SectionPrefixBefore(t, i - 1) + t[args[0].Start].Value;
                if (id == "GetConnectionString") key = "ConnectionStrings:" + key;
                // (the non-generic GetValue(typeof(T), "X") has the key second and is skipped above)
                var v = args.Count >= 2 && id == "GetValue"
                    ? Verdict.Optional("has a default (second argument)")
                    : ReadClassifier.Classify(t, i - 2, close, csharp: true);
                Add(EnvNameOf(key), args[0].Start, v, $"{id}(\"{t[args[0].Start].Value}\")", key);
            }
            else if ((id == "GetSection" || id == "GetRequiredSection") && t.Is(i - 1, ".") && t.Is(i + 1, "(") && t.IsStr(i + 2) && t.Is(i + 3, ")"))
            {
                var section = SectionPrefixBefore(t, i - 1) + t[i + 2].Value;
                var required = id == "GetRequiredSection";
                if (t.Is(i + 4, "[") && t.IsStr(i + 5) && t.Is(i + 6, "]") && !t.Is(i + 7, "="))
                {
                    var key = section + ":" + t[i + 5].Value;
                    Add(EnvNameOf(key), i + 5, ReadClassifier.Classify(t, i, i + 6, csharp: true), $"GetSection(\"{t[i + 2].Value}\")[\"{t[i + 5].Value}\"]", key);
                }
                else if (t.Is(i + 4, ".") && t.IsId(i + 5, "Value") && !t.Is(i + 6, "="))
                {
                    var v = required ? Verdict.RequiredExplicit("GetRequiredSection throws when it is missing") : ReadClassifier.Classify(t, i, i + 5, csharp: true);
                    Add(EnvNameOf(section), i + 2, v, $"{id}(\"{t[i + 2].Value}\").Value", section);
                }
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

    /// <summary>For a call at <paramref name="dot"/> on <c>GetSection("A")</c>: "A:" (nested sections joined); "" otherwise.</summary>
    private static string SectionPrefixBefore(List<Token> t, int dot)
    {
        var prefix = "";
        for (var guard = 0; guard < 8; guard++)
        {
            if (!t.Is(dot, ".") || !t.Is(dot - 1, ")") || !t.IsStr(dot - 2) || !t.Is(dot - 3, "(")) return prefix;
            if (!(t.IsId(dot - 4, "GetSection") || t.IsId(dot - 4, "GetRequiredSection"))) return prefix;
            prefix = t[dot - 2].Value + ":" + prefix;
            dot -= 5;
        }
        return prefix;
    }

    /// <summary>"A:B" -> "A__B": .NET maps the env var A__B to the configuration key A:B.</summary>
    public static string EnvNameOf(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static bool IsConfigurationName(string id) =>
        id.Contains("config", StringComparison.OrdinalIgnoreCase) || id is "Configuration";
}
