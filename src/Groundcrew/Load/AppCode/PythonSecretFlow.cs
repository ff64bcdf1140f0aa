using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// Follows secrets through Python code, one file at a time, in token order:
/// a name bound to an env read (<c>X = os.environ["X"]</c>, <c>os.getenv("X")</c>, <c>os.environ.get("X")</c>);
/// boto3 <c>.get_secret_value(SecretId=...)</c> with such a value (an <see cref="SecretIdFromEnv"/>) and its response;
/// <c>json.loads(...)</c> of an env value or of the response's <c>SecretString</c>; and the keys then read from that
/// JSON (<c>secret["host"]</c>, <c>secret.get("dbname")</c> without a default), as <see cref="SecretKeyRead"/>s.
/// Names are scoped to their function (a parameter hides an outer name); <c>self.x</c> to its class; a function that
/// returns such JSON passes it to its callers. Anything else is unknown and yields nothing.
/// </summary>
public static class PythonSecretFlow
{
    private static readonly HashSet<string> JsonModules = new(StringComparer.Ordinal) { "json", "orjson", "ujson", "simplejson", "rapidjson" };

    /// <summary>Cheap pre-check: files without these words cannot hold a flow.</summary>
    public static bool MayHold(string text) =>
        text.Contains("loads", StringComparison.Ordinal) || text.Contains("get_secret_value", StringComparison.Ordinal);

    /// <param name="imported">Names this module imports that another module of the app bound to secret JSON (see <see cref="SecretUses.JsonExports"/>).</param>
    public static SecretUses Extract(string text, string file, IReadOnlyDictionary<string, SecretSource>? imported = null)
    {
        var result = new SecretUses();
        if (string.IsNullOrEmpty(text) || imported == null && !MayHold(text)) return result;
        PythonTokenizer.Result r;
        try { r = PythonTokenizer.Tokenize(text); }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException) { return result; }
        var walker = new Walker(r, file, result);
        foreach (var (name, source) in imported ?? new Dictionary<string, SecretSource>()) walker.Preset(name, source);
        walker.Run();
        return result;
    }

    private enum K { Env, Response, SecretString, Json }

    private sealed record Val(K Kind, string Env, SecretOrigin Origin = SecretOrigin.EnvValue)
    {
        public SecretSource Source => new(Origin, Env);
    }

    private sealed class Scope(int indent, bool isClass, string? name, Scope? parent)
    {
        public int Indent { get; } = indent;
        public bool IsClass { get; } = isClass;
        public string? Name { get; } = name;
        public Scope? Parent { get; } = parent;
        public Dictionary<string, Val?> Names { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Walker(PythonTokenizer.Result r, string file, SecretUses result)
    {
        private readonly List<Token> t = r.Tokens;
        private readonly HashSet<(int, int)> _emitted = [];
        private readonly Dictionary<string, Val> _returns = new(StringComparer.Ordinal);
        private bool _bareLoads;
        private Scope _scope = new(-1, false, null, null);

        public void Preset(string name, SecretSource source) => _scope.Names[name] = new Val(K.Json, source.EnvName, source.Origin);

        public void Run()
        {
            for (var i = 0; i < t.Count; i++)
                if (t.IsId(i, "from") && t.IsId(i + 1) && JsonModules.Contains(t[i + 1].Text) && t.IsId(i + 2, "import"))
                    for (var k = i + 3; k < t.Count && !r.StartsLine[k]; k++)
                        if (t.IsId(k, "loads")) _bareLoads = true;

            for (var i = 0; i < t.Count; i++)
            {
                if (r.StartsLine[i]) StartLine(i);
                if (t.Is(i - 1, ".")) continue;
                Eval(i, out _);
            }
            var module = _scope;
            while (module.Parent != null) module = module.Parent;
            foreach (var (name, v) in module.Names)
                if (v is { Kind: K.Json }) result.JsonExports[name] = v.Source;
        }

        private int LineEnd(int i)
        {
            var k = i + 1;
            while (k < t.Count && !r.StartsLine[k]) k++;
            return k - 1;
        }

        private void StartLine(int i)
        {
            var indent = r.Indent[i];
            while (_scope.Parent != null && _scope.Indent >= indent) _scope = _scope.Parent;
            var d = t.IsId(i, "async") ? i + 1 : i;
            if ((t.IsId(d, "def") || t.IsId(d, "class")) && t.IsId(d + 1))
            {
                var isClass = t.IsId(d, "class");
                _scope = new Scope(indent, isClass, t[d + 1].Text, _scope);
                // Parameters hide outer names.
                if (!isClass && t.Is(d + 2, "(") && t.MatchClose(d + 2) is var close and > 0)
                    foreach (var (s, _) in t.SplitArgs(d + 2, close))
                    {
                        var p = s;
                        while (t.Is(p, "*") || t.Is(p, "**")) p++;
                        if (t.IsId(p)) _scope.Names[t[p].Text] = null;
                    }
                return;
            }
            if (t.IsId(i, "return") && _scope is { IsClass: false, Name: { } fn } && Eval(i + 1, out var rend) is { Kind: K.Json } ret && rend == LineEnd(i))
            {
                _returns[fn] = ret;
                return;
            }
            // NAME = ..., NAME: T = ..., self.NAME = ...
            string? target = null;
            var eq = -1;
            if (t.IsId(i) && t.Is(i + 1, "=")) { target = t[i].Text; eq = i + 1; }
            else if (t.IsId(i) && t.Is(i + 1, ":"))
            {
                var end = LineEnd(i);
                for (var k = i + 2; k <= end; k++)
                    if (t.Is(k, "=")) { target = t[i].Text; eq = k; break; }
            }
            else if (t.IsId(i, "self") && t.Is(i + 1, ".") && t.IsId(i + 2) && t.Is(i + 3, "=")) { target = "self." + t[i + 2].Text; eq = i + 3; }
            if (target == null) return;
            var v = Eval(eq + 1, out var vend);
            var lineEnd = LineEnd(i);
            if (vend != lineEnd && !t.IsId(vend + 1, "or")) v = null;
            Bind(target, v);
        }

        private void Bind(string name, Val? v)
        {
            if (name.StartsWith("self.", StringComparison.Ordinal))
            {
                var s = _scope;
                while (s.Parent != null && !s.IsClass) s = s.Parent;
                s.Names[name] = v;
                return;
            }
            _scope.Names[name] = v;
        }

        private Val? Lookup(string name)
        {
            if (name.StartsWith("self.", StringComparison.Ordinal))
            {
                for (var s = _scope; s != null; s = s.Parent)
                    if (s.IsClass) return s.Names.GetValueOrDefault(name);
                return null;
            }
            for (var s = _scope; s != null; s = s.Parent)
            {
                if (s.IsClass && s != _scope) continue; // a class body is not visible in its methods
                if (s.Names.TryGetValue(name, out var v)) return v;
            }
            return null;
        }

        private SourceSpan Span(int i) => new(file, t[i].Line, t[i].Column, t[i].Line, t[i].Column + t[i].Text.Length);

        /// <summary>The value of the postfix chain starting at <paramref name="i"/>; <paramref name="end"/> is its last token.</summary>
        private Val? Eval(int i, out int end)
        {
            end = i;
            if (i >= t.Count) return null;
            if (t.IsId(i, "await")) i++;
            Val? cur = null;
            int p;
            if (EnvAtom(i, out var envEnd) is { } env) { cur = new Val(K.Env, env); p = envEnd + 1; }
            else if (t.IsId(i) && JsonModules.Contains(t[i].Text) && t.Is(i + 1, ".") && t.IsId(i + 2, "loads") && t.Is(i + 3, "("))
            {
                cur = Loads(i + 3, out var close);
                p = close + 1;
                if (close < 0) { end = i; return null; }
            }
            else if (_bareLoads && t.IsId(i, "loads") && t.Is(i + 1, "("))
            {
                cur = Loads(i + 1, out var close);
                if (close < 0) { end = i; return null; }
                p = close + 1;
            }
            else if (t.IsId(i, "self") && t.Is(i + 1, ".") && t.IsId(i + 2))
            {
                cur = Lookup("self." + t[i + 2].Text);
                p = i + 3;
            }
            else if (t.IsId(i))
            {
                if (t.Is(i + 1, "(") && _returns.TryGetValue(t[i].Text, out var ret))
                {
                    var close = t.MatchClose(i + 1);
                    if (close < 0) return null;
                    cur = ret;
                    p = close + 1;
                }
                else
                {
                    cur = Lookup(t[i].Text);
                    p = i + 1;
                }
            }
            else return null;

            while (p < t.Count)
            {
                if (t.Is(p, ".") && t.IsId(p + 1) && t.Is(p + 2, "("))
                {
                    var close = t.MatchClose(p + 2);
                    if (close < 0) break;
                    var method = t[p + 1].Text;
                    if (method == "get_secret_value") cur = GetSecretValue(p + 1, p + 2, close);
                    else if (method == "get" && cur is { Kind: K.Json or K.Response } && t.SplitArgs(p + 2, close) is [var only] && only.Start == only.End && t.IsStr(only.Start))
                    {
                        var key = t[only.Start].Value;
                        if (cur.Kind == K.Response) cur = key == "SecretString" ? cur with { Kind = K.SecretString } : null;
                        else { EmitKey(cur, key, only.Start, $".get('{key}')", close + 1); cur = null; }
                    }
                    else cur = null;
                    end = close;
                    p = close + 1;
                    continue;
                }
                if (t.Is(p, ".") && t.IsId(p + 1)) { cur = null; end = p + 1; p += 2; continue; }
                if (t.Is(p, "["))
                {
                    var close = t.MatchClose(p);
                    if (close < 0) break;
                    if (cur != null && close == p + 2 && t.IsStr(p + 1))
                    {
                        var key = t[p + 1].Value;
                        var write = t.At(close + 1) is { Kind: TokenKind.Punct } a && a.Text is "=" or "+=" || t.IsId(i - 1, "del");
                        if (cur.Kind == K.Response) cur = key == "SecretString" ? cur with { Kind = K.SecretString } : null;
                        else if (cur.Kind == K.Json && !write) { EmitKey(cur, key, p + 1, $"['{key}']", close + 1); cur = null; }
                        else cur = null;
                    }
                    else cur = null;
                    end = close;
                    p = close + 1;
                    continue;
                }
                if (t.Is(p, "("))
                {
                    var close = t.MatchClose(p);
                    if (close < 0) break;
                    cur = null;
                    end = close;
                    p = close + 1;
                    continue;
                }
                break;
            }
            if (end < p - 1) end = p - 1;
            return cur;
        }

        /// <summary>os.environ["X"], os.environ.get("X"[, d]), os.getenv("X"[, d]), and bare environ[...] / getenv(...).</summary>
        private string? EnvAtom(int i, out int end)
        {
            end = i;
            var e = -1;
            if (t.IsId(i, "os") && t.Is(i + 1, ".") && t.IsId(i + 2, "environ")) e = i + 2;
            else if (t.IsId(i, "environ")) e = i;
            if (e >= 0)
            {
                if (t.Is(e + 1, "[") && t.IsStr(e + 2) && t.Is(e + 3, "]")) { end = e + 3; return t[e + 2].Value; }
                if (t.Is(e + 1, ".") && t.IsId(e + 2, "get") && t.Is(e + 3, "(") && t.IsStr(e + 4))
                {
                    var close = t.MatchClose(e + 3);
                    if (close < 0) return null;
                    end = close;
                    return t[e + 4].Value;
                }
                return null;
            }
            var g = t.IsId(i, "os") && t.Is(i + 1, ".") && t.IsId(i + 2, "getenv") ? i + 2 : t.IsId(i, "getenv") ? i : -1;
            if (g >= 0 && t.Is(g + 1, "(") && t.IsStr(g + 2))
            {
                var close = t.MatchClose(g + 1);
                if (close < 0) return null;
                end = close;
                return t[g + 2].Value;
            }
            return null;
        }

        private Val? Loads(int open, out int close)
        {
            close = t.MatchClose(open);
            if (close < 0) return null;
            var args = t.SplitArgs(open, close);
            if (args.Count == 0) return null;
            var v = Eval(args[0].Start, out var vend);
            if (v == null || (vend != args[0].End && !t.IsId(vend + 1, "or"))) return null;
            return v.Kind is K.Env or K.SecretString ? v with { Kind = K.Json } : null;
        }

        private Val? GetSecretValue(int nameTok, int open, int close)
        {
            foreach (var (s, e) in t.SplitArgs(open, close))
            {
                if (!t.IsId(s, "SecretId") || !t.Is(s + 1, "=")) continue;
                var v = Eval(s + 2, out var vend);
                if (v is not { Kind: K.Env } || (vend != e && !t.IsId(vend + 1, "or"))) return null;
                if (_emitted.Add((t[s].Line, t[s].Column)))
                    result.IdCalls.Add(new SecretIdFromEnv(v.Env, Span(s), "boto3 get_secret_value(SecretId=...)", AppLanguages.Python));
                return new Val(K.Response, v.Env, SecretOrigin.FetchedByEnvId);
            }
            return null;
        }

        /// <param name="after">The token after the read: a fallback (<c>or x</c>) or a test (<c>is None</c>, <c>if s.get("k"):</c>) there means the code copes without the key.</param>
        private void EmitKey(Val json, string key, int keyTok, string form, int after)
        {
            if (t.IsId(after, "or") || t.IsId(after, "is") || t.Is(after, ":")) return; // a fallback or a test: the code copes
            if (key.Length == 0 || !_emitted.Add((t[keyTok].Line, t[keyTok].Column))) return;
            result.KeyReads.Add(new SecretKeyRead(json.Source, key, Span(keyTok), form, AppLanguages.Python));
        }
    }
}
