using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// Python env reads:
/// <c>os.environ['X']</c> (KeyError when missing: required), <c>os.environ.get('X'[, d])</c> and <c>os.getenv('X'[, d])</c>
/// (return None or the default: optional), django-environ <c>env('X')</c> / python-decouple <c>config('X')</c>
/// (raise when missing unless <c>default=</c>), and pydantic <c>BaseSettings</c> fields (required without a default;
/// <c>env_prefix</c>, <c>Field(alias=/validation_alias=/env=)</c>; matched case-insensitively unless <c>case_sensitive=True</c>).
/// </summary>
public static class PythonExtractor
{
    public static List<EnvRead> Extract(string text, string file)
    {
        var reads = new List<EnvRead>();
        PythonTokenizer.Result r;
        try { r = PythonTokenizer.Tokenize(text ?? ""); }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException) { return reads; }
        var t = r.Tokens;
        var src = text ?? "";
        var bareEnviron = false;
        var bareGetenv = false;
        var decouple = false;
        var djangoEnvNames = new HashSet<string>(StringComparer.Ordinal);
        var presenceChecked = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < t.Count; i++)
        {
            if (t.IsId(i, "from") && t.IsId(i + 1, "os") && t.IsId(i + 2, "import"))
                for (var k = i + 3; k < t.Count && k < i + 20 && !r.StartsLine[k]; k++)
                {
                    if (t.IsId(k, "environ")) bareEnviron = true;
                    if (t.IsId(k, "getenv")) bareGetenv = true;
                }
            if (t.IsId(i, "from") && t.IsId(i + 1, "decouple") && t.IsId(i + 2, "import")) decouple = true;
            // 'X' in os.environ / 'X' not in os.environ: the file checks for X before using it.
            if (t.IsStr(i) && (t.IsId(i + 1, "in") || (t.IsId(i + 1, "not") && t.IsId(i + 2, "in"))))
            {
                var e = t.IsId(i + 1, "in") ? i + 2 : i + 3;
                if ((t.IsId(e, "os") && t.Is(e + 1, ".") && t.IsId(e + 2, "environ")) || t.IsId(e, "environ")) presenceChecked.Add(t[i].Value);
            }
            // env = environ.Env(...)
            if (t.IsId(i) && t.Is(i + 1, "=") && t.IsId(i + 2, "environ") && t.Is(i + 3, ".") && t.IsId(i + 4, "Env") && t.Is(i + 5, "("))
                djangoEnvNames.Add(t[i].Text);
        }

        SourceSpan Span(int i) => new(file, t[i].Line, t[i].Column, t[i].Line, t[i].Column + t[i].Text.Length);
        void Add(string name, int tok, Verdict v, string form, bool caseInsensitive = false)
        {
            if (!TokenUtil.EnvName.IsMatch(name)) return;
            reads.Add(new EnvRead(name, v.Required, Span(tok), AppLanguages.Python, $"{form}: {v.Evidence}") { Certainty = v.Certainty, CaseInsensitive = caseInsensitive });
        }

        for (var i = 0; i < t.Count; i++)
        {
            // os.environ / environ
            var environAt = -1;
            if (t.IsId(i, "os") && t.Is(i + 1, ".") && t.IsId(i + 2, "environ") && !t.Is(i - 1, ".")) environAt = i + 2;
            else if (bareEnviron && t.IsId(i, "environ") && !t.Is(i - 1, ".") && (i == 0 || !t.IsId(i - 1, "import"))) environAt = i;
            if (environAt >= 0)
            {
                var j = environAt + 1;
                if (t.Is(j, "[") && t.IsStr(j + 1) && t.Is(j + 2, "]"))
                {
                    var after = t.At(j + 3);
                    if (after?.Kind == TokenKind.Punct && after.Value.Text is "=" or "+=") { i = j + 2; continue; } // a write
                    if (t.IsId(i - 1, "del")) { i = j + 2; continue; }
                    var key = t[j + 1].Value;
                    var verdict = presenceChecked.Contains(key) ? Verdict.Optional("the file checks it is set ('X' in os.environ) before use")
                        : InsideTry(r, i) ? Verdict.Optional("read inside try/except")
                        : Verdict.RequiredExplicit("raises KeyError when missing");
                    Add(key, j + 1, verdict, $"os.environ['{key}']");
                    i = j + 2;
                    continue;
                }
                if (t.Is(j, ".") && t.IsId(j + 1, "get") && t.Is(j + 2, "("))
                {
                    GetCall(i, j + 2, "os.environ.get");
                    continue;
                }
                continue;
            }
            if ((t.IsId(i, "os") && t.Is(i + 1, ".") && t.IsId(i + 2, "getenv") && t.Is(i + 3, "(")))
            {
                GetCall(i, i + 3, "os.getenv");
                continue;
            }
            if (bareGetenv && t.IsId(i, "getenv") && t.Is(i + 1, "(") && !t.Is(i - 1, ".") && !t.IsId(i - 1, "def"))
            {
                GetCall(i, i + 1, "getenv");
                continue;
            }
            if (decouple && t.IsId(i, "config") && t.Is(i + 1, "(") && !t.Is(i - 1, ".") && !t.IsId(i - 1, "def"))
            {
                RaisingCall(i + 1, "decouple config");
                continue;
            }
            if (djangoEnvNames.Count > 0 && t.IsId(i) && djangoEnvNames.Contains(t[i].Text) && !t.Is(i - 1, "."))
            {
                if (t.Is(i + 1, "(")) RaisingCall(i + 1, "django-environ");
                else if (t.Is(i + 1, ".") && t.IsId(i + 2) && t.Is(i + 3, "(") && t[i + 2].Text is "str" or "bool" or "int" or "float" or "list" or "dict" or "json" or "url" or "db" or "db_url" or "cache" or "cache_url" or "email" or "email_url" or "path" or "tuple")
                    RaisingCall(i + 3, "django-environ");
            }
        }

        PydanticSettings(r, src, file, reads);
        return reads;

        void GetCall(int start, int open, string form)
        {
            var close = t.MatchClose(open);
            if (close < 0) return;
            var args = t.SplitArgs(open, close);
            if (args.Count == 0 || args[0].Start != args[0].End || !t.IsStr(args[0].Start)) return;
            var name = t[args[0].Start].Value;
            var hasDefault = args.Count >= 2;
            // A default of "" or None that the code then rejects is no default.
            var emptyDefault = args.Count == 2 && args[1].Start == args[1].End && (t.IsStr(args[1].Start) && t[args[1].Start].Value.Length == 0 || t.IsId(args[1].Start, "None"));
            var v = (!hasDefault || emptyDefault ? FailsWhenMissing(r, start, close) : null)
                    ?? (hasDefault ? Verdict.Optional("has a default (second argument)") : Verdict.Optional("returns None when missing"));
            Add(name, args[0].Start, v, $"{form}('{name}')");
        }

        void RaisingCall(int open, string form)
        {
            var close = t.MatchClose(open);
            if (close < 0) return;
            var args = t.SplitArgs(open, close);
            if (args.Count == 0 || args[0].Start != args[0].End || !t.IsStr(args[0].Start)) return;
            var name = t[args[0].Start].Value;
            var hasDefault = args.Skip(1).Any(a => t.IsId(a.Start, "default") && t.Is(a.Start + 1, "="));
            var v = hasDefault ? Verdict.Optional("has default=") : Verdict.RequiredExplicit("raises when missing (no default=)");
            Add(name, args[0].Start, v, $"{form}('{name}')");
        }
    }

    /// <summary>
    /// A get-style read (None when missing) that the code rejects: `os.getenv("X") or sys.exit(...)`, or
    /// `x = os.environ.get("X")` followed by the first `if` testing x, `if not x:` / `if x is None:` / `if x == "":`, whose
    /// body raises or exits (`assert x` counts too). A test that gives a value, or uses x only when set, is optional.
    /// Null when neither shape is there.
    /// </summary>
    private static Verdict? FailsWhenMissing(PythonTokenizer.Result r, int start, int close)
    {
        var t = r.Tokens;
        if (t.IsId(close + 1, "or") && ExitsAt(t, close + 2)) return Verdict.RequiredExplicit("`or` exits when it is missing");
        if (!t.Is(start - 1, "=") || !t.IsId(start - 2) || !r.StartsLine[start - 2]) return null;
        if (close + 1 < t.Count && !r.StartsLine[close + 1]) return null; // the read must be the whole value
        var name = t[start - 2].Text;
        var indent = r.Indent[start - 2];
        for (var k = close + 1; k < t.Count && k < close + 600; k++)
        {
            if (!r.StartsLine[k]) continue;
            if (r.Indent[k] < indent) return null; // the block that assigned it ended
            if (t.IsId(k, name) && t.Is(k + 1, "=")) return null;
            if (t.IsId(k, "assert") && (t.IsId(k + 1, name) && (k + 2 >= t.Count || r.StartsLine[k + 2] || t.Is(k + 2, ",")) || t.IsId(k + 1, name) && t.IsId(k + 2, "is") && t.IsId(k + 3, "not")))
                return Verdict.RequiredExplicit($"asserted through `{name}`");
            if (!t.IsId(k, "if") && !t.IsId(k, "elif")) continue;
            var colon = k + 1;
            var depth = 0;
            for (; colon < t.Count && !r.StartsLine[colon]; colon++)
            {
                if (t.Is(colon, "(") || t.Is(colon, "[") || t.Is(colon, "{")) depth++;
                else if (t.Is(colon, ")") || t.Is(colon, "]") || t.Is(colon, "}")) depth--;
                else if (depth == 0 && t.Is(colon, ":")) break;
            }
            if (!t.Is(colon, ":")) continue;
            var x0 = -1;
            for (var x = k + 1; x < colon; x++) if (t.IsId(x, name) && !t.Is(x - 1, ".")) { x0 = x; break; }
            if (x0 < 0) continue;
            var absence = t.IsId(x0 - 1, "not") && !t.Is(x0 + 1, ".")
                          || t.IsId(x0 + 1, "is") && t.IsId(x0 + 2, "None")
                          || t.Is(x0 + 1, "==") && (t.IsId(x0 + 2, "None") || t.IsStr(x0 + 2) && t[x0 + 2].Value.Length == 0);
            if (absence)
                return BodyExits(r, k, colon)
                    ? Verdict.RequiredExplicit($"checked through `{name}`: the code raises or exits when it is missing")
                    : Verdict.Optional($"checked through `{name}` and given a value when missing");
            if (t.Is(x0 + 1, ".") || t.Is(x0 + 1, "(") || t.Is(x0 + 1, "[")) continue;
            return Verdict.Optional($"only used when `{name}` is set");
        }
        return null;
    }

    /// <summary>The body of the `if` at <paramref name="ifTok"/> (on the same line after the colon, or the deeper-indented block) raises or exits.</summary>
    private static bool BodyExits(PythonTokenizer.Result r, int ifTok, int colon)
    {
        var t = r.Tokens;
        var sameLine = colon + 1 < t.Count && !r.StartsLine[colon + 1];
        for (var k = colon + 1; k < t.Count; k++)
        {
            if (r.StartsLine[k] && (sameLine || r.Indent[k] <= r.Indent[ifTok])) break;
            if (t.IsId(k, "raise") || ExitsAt(t, k)) return true;
        }
        return false;
    }

    /// <summary>sys.exit(...), exit(...), quit(...), os._exit(...).</summary>
    private static bool ExitsAt(List<Token> t, int k) =>
        t.IsId(k, "sys") && t.Is(k + 1, ".") && t.IsId(k + 2, "exit")
        || t.IsId(k, "os") && t.Is(k + 1, ".") && t.IsId(k + 2, "_exit")
        || (t.IsId(k, "exit") || t.IsId(k, "quit")) && t.Is(k + 1, "(") && !t.Is(k - 1, ".");

    /// <summary>Is the logical line holding token <paramref name="i"/> inside a <c>try:</c> block?</summary>
    private static bool InsideTry(PythonTokenizer.Result r, int i)
    {
        var t = r.Tokens;
        var indent = r.Indent[i];
        for (var k = i - 1; k >= 0 && i - k < 5000; k--)
        {
            if (!r.StartsLine[k] || r.Indent[k] >= indent) continue;
            if (t.IsId(k, "try") && t.Is(k + 1, ":")) return true;
            indent = r.Indent[k];
            if (indent == 0) return false;
        }
        return false;
    }

    private static readonly HashSet<string> SettingsBases = new(StringComparer.Ordinal) { "BaseSettings" };

    private static void PydanticSettings(PythonTokenizer.Result r, string src, string file, List<EnvRead> reads)
    {
        var t = r.Tokens;
        // Settings classes seen so far and their (env_prefix, case_sensitive), which subclasses inherit.
        var settingsClasses = SettingsBases.ToDictionary(b => b, _ => ("", false), StringComparer.Ordinal);
        for (var i = 0; i < t.Count; i++)
        {
            if (!r.StartsLine[i] || !t.IsId(i, "class") || !t.IsId(i + 1)) continue;
            var name = t[i + 1].Text;
            if (!t.Is(i + 2, "(")) continue;
            var close = t.MatchClose(i + 2);
            if (close < 0) continue;
            (string, bool)? inherited = null;
            for (var k = i + 3; k < close; k++)
                if (t.IsId(k) && settingsClasses.TryGetValue(t[k].Text, out var cfg) && !t.Is(k + 1, "=")) inherited ??= cfg;
            if (inherited == null) continue;
            settingsClasses[name] = ReadSettingsClass(r, src, file, i, close, inherited.Value, reads);
        }
    }

    private static (string Prefix, bool CaseSensitive) ReadSettingsClass(PythonTokenizer.Result r, string src, string file, int classTok, int headerClose,
        (string Prefix, bool CaseSensitive) inherited, List<EnvRead> reads)
    {
        var t = r.Tokens;
        var classIndent = r.Indent[classTok];
        // Body: logical lines after the header with a deeper indent.
        var bodyStart = headerClose + 1;
        if (t.Is(bodyStart, ":")) bodyStart++;
        var bodyEnd = bodyStart;
        while (bodyEnd < t.Count && !(r.StartsLine[bodyEnd] && r.Indent[bodyEnd] <= classIndent)) bodyEnd++;
        if (bodyStart >= bodyEnd) return inherited;
        var bodyIndent = r.Indent[bodyStart];

        var prefix = inherited.Prefix;
        var caseSensitive = inherited.CaseSensitive;
        // Options: model_config = SettingsConfigDict(env_prefix='APP_', case_sensitive=True) or class Config: env_prefix = 'APP_'
        for (var k = bodyStart; k < bodyEnd; k++)
        {
            if (t.IsId(k, "env_prefix") && (t.Is(k + 1, "=") || t.Is(k + 1, ":")))
            {
                var v = t.Is(k + 1, ":") && t.IsStr(k + 2) ? k + 2 : t.IsStr(k + 2) ? k + 2 : -1;
                if (v < 0 && t.Is(k + 1, ":")) v = FindValueAfterColon(t, k + 1);
                if (v >= 0 && t.IsStr(v)) prefix = t[v].Value;
            }
            if (t.IsId(k, "case_sensitive") && (t.Is(k + 1, "=") || t.Is(k + 1, ":")) && (t.IsId(k + 2, "True") || t.IsId(k + 4, "True"))) caseSensitive = true;
        }

        for (var k = bodyStart; k < bodyEnd; k++)
        {
            if (!r.StartsLine[k] || r.Indent[k] != bodyIndent || !t.IsId(k) || !t.Is(k + 1, ":")) continue;
            var field = t[k].Text;
            if (field is "model_config" or "Config" || field.StartsWith('_')) continue;
            // Annotation up to '=' or the end of the logical line.
            var end = k + 2;
            while (end < bodyEnd && !r.StartsLine[end] && !t.Is(end, "=")) end++;
            var annotation = t.Text(src, k + 2, end - 1);
            if (annotation.Contains("ClassVar", StringComparison.Ordinal)) continue;
            string? alias = null;
            Verdict verdict;
            if (t.Is(end, "="))
            {
                var valueStart = end + 1;
                if (t.IsId(valueStart, "Field") && t.Is(valueStart + 1, "("))
                {
                    var fclose = t.MatchClose(valueStart + 1);
                    var args = fclose > 0 ? t.SplitArgs(valueStart + 1, fclose) : [];
                    var hasDefault = false;
                    foreach (var (s, e) in args)
                    {
                        if (t.IsId(s) && t.Is(s + 1, "="))
                        {
                            var kw = t[s].Text;
                            if (kw is "default" or "default_factory") hasDefault = !(kw == "default" && t.Is(s + 2, "..."));
                            else if (kw is "alias" or "validation_alias" or "env")
                            {
                                if (t.IsStr(s + 2)) alias = t[s + 2].Value;
                                else if (t.IsId(s + 2, "AliasChoices") && t.IsStr(s + 4)) alias = t[s + 4].Value;
                            }
                        }
                        else if (s == args[0].Start)
                        {
                            hasDefault = !t.Is(s, "...");
                        }
                    }
                    verdict = hasDefault ? Verdict.Optional("pydantic field with a default") : Verdict.RequiredExplicit("pydantic settings field without a default: validation fails when missing");
                }
                else verdict = Verdict.Optional("pydantic field with a default");
            }
            else if (annotation.Contains("Optional", StringComparison.Ordinal) || annotation.Contains("None", StringComparison.Ordinal))
                verdict = Verdict.Optional("Optional pydantic field (pydantic v1 defaults it to None)");
            else
                verdict = Verdict.RequiredExplicit("pydantic settings field without a default: validation fails when missing");

            var envName = alias ?? prefix + field;
            if (!caseSensitive) envName = envName.ToUpperInvariant();
            if (!TokenUtil.EnvName.IsMatch(envName)) continue;
            var span = new SourceSpan(file, t[k].Line, t[k].Column, t[k].Line, t[k].Column + field.Length);
            reads.Add(new EnvRead(envName, verdict.Required, span, AppLanguages.Python, $"BaseSettings field '{field}': {verdict.Evidence}")
            {
                Certainty = verdict.Certainty,
                CaseInsensitive = !caseSensitive,
            });
        }
        return (prefix, caseSensitive);
    }

    private static int FindValueAfterColon(List<Token> t, int colon)
    {
        // env_prefix: str = 'APP_'
        for (var k = colon + 1; k < t.Count && k < colon + 8; k++)
            if (t.Is(k, "=")) return k + 1;
        return -1;
    }
}
