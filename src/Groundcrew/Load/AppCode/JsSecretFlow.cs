using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// Follows secrets through JavaScript/TypeScript code, one file at a time, in token order:
/// names bound to <c>process.env.X</c> / <c>process.env["X"]</c>; AWS SDK v3 <c>new GetSecretValueCommand({ SecretId })</c>
/// sent with <c>.send(...)</c> and v2 <c>.getSecretValue({ SecretId })</c> (<c>.promise()</c>) with such a value
/// (an <see cref="SecretIdFromEnv"/>) and their response; <c>JSON.parse(...)</c> of an env value or of the response's
/// <c>SecretString</c>; and the keys then read (<c>secret.host</c>, <c>secret["host"]</c>, <c>const { host } = secret</c>
/// without a default) as <see cref="SecretKeyRead"/>s. Names are scoped to their block; <c>this.x</c> to the file;
/// a <c>function NAME</c> or <c>const NAME = () =&gt;</c> returning such JSON passes it to its callers.
/// </summary>
public static class JsSecretFlow
{
    public static bool MayHold(string text) =>
        text.Contains("JSON.parse", StringComparison.Ordinal) || text.Contains("SecretId", StringComparison.Ordinal);

    /// <param name="imported">Names this module imports that another module of the app bound to secret JSON (see <see cref="SecretUses.JsonExports"/>).</param>
    public static SecretUses Extract(string text, string file, bool typeScript = true, IReadOnlyDictionary<string, SecretSource>? imported = null)
    {
        var result = new SecretUses();
        if (string.IsNullOrEmpty(text) || imported == null && !MayHold(text)) return result;
        List<Token> t;
        try { t = CodeTokenizer.Tokenize(text, CodeDialect.JavaScript); }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException) { return result; }
        var walker = new Walker(t, file, typeScript ? AppLanguages.TypeScript : AppLanguages.JavaScript, result);
        foreach (var (name, source) in imported ?? new Dictionary<string, SecretSource>()) walker.Preset(name, source);
        walker.Run();
        return result;
    }

    private enum K { Env, Command, Response, SecretString, Json }

    private sealed record Val(K Kind, string Env, SecretOrigin Origin = SecretOrigin.EnvValue)
    {
        public SecretSource Source => new(Origin, Env);
    }

    private static readonly HashSet<string> Declarators = new(StringComparer.Ordinal) { "const", "let", "var" };

    private sealed class Walker(List<Token> t, string file, string lang, SecretUses result)
    {
        private readonly HashSet<(int, int)> _emitted = [];
        private readonly List<(int Close, Dictionary<string, Val?> Names)> _blocks = [(int.MaxValue, new(StringComparer.Ordinal))];
        private readonly Dictionary<string, Val?> _this = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Val> _returns = new(StringComparer.Ordinal);
        // Function bodies: the '{' index of each body and the function's name.
        private readonly Dictionary<int, string> _functionBodies = [];
        private readonly List<(int Close, string Name)> _functions = [];

        public void Preset(string name, SecretSource source) => _blocks[0].Names[name] = new Val(K.Json, source.EnvName, source.Origin);

        public void Run()
        {
            for (var i = 0; i < t.Count; i++)
            {
                while (_blocks.Count > 1 && i > _blocks[^1].Close) _blocks.RemoveAt(_blocks.Count - 1);
                while (_functions.Count > 0 && i > _functions[^1].Close) _functions.RemoveAt(_functions.Count - 1);
                if (t.Is(i, "{"))
                {
                    var close = t.MatchClose(i, 200_000);
                    if (close > 0)
                    {
                        _blocks.Add((close, new(StringComparer.Ordinal)));
                        if (_functionBodies.TryGetValue(i, out var fn)) _functions.Add((close, fn));
                    }
                    continue;
                }
                if (t.IsId(i, "function") && t.IsId(i + 1) && t.Is(i + 2, "(")) MarkBody(t.MatchClose(i + 2), t[i + 1].Text);
                if (t.IsId(i, "return") && _functions.Count > 0 && Eval(i + 1, out var rend) is { Kind: K.Json } ret && Ends(rend))
                    _returns[_functions[^1].Name] = ret;
                if (t.IsId(i) && Declarators.Contains(t[i].Text)) Declaration(i);
                else if (t.IsId(i) && t.Is(i + 1, "=") && !t.Is(i - 1, ".") && !t.Is(i - 1, "?.") && !Declarators.Contains(t.At(i - 1)?.Text ?? ""))
                    Reassign(t[i].Text, i + 2);
                else if (t.IsId(i, "this") && t.Is(i + 1, ".") && t.IsId(i + 2) && t.Is(i + 3, "="))
                    _this[t[i + 2].Text] = Value(i + 4);
                if (t.Is(i - 1, ".") || t.Is(i - 1, "?.")) continue;
                Eval(i, out _);
            }
            foreach (var (name, v) in _blocks[0].Names)
                if (v is { Kind: K.Json }) result.JsonExports[name] = v.Source;
        }

        /// <summary>After a parameter list's ')' (and an optional return type): the body '{' belongs to function <paramref name="name"/>.</summary>
        private void MarkBody(int paramClose, string name)
        {
            if (paramClose < 0) return;
            for (var k = paramClose + 1; k < t.Count && k < paramClose + 40; k++)
            {
                if (t.Is(k, "{")) { _functionBodies[k] = name; return; }
                if (t.Is(k, ";") || t.Is(k, "}")) return;
            }
        }

        /// <summary>Does the expression that ended at <paramref name="end"/> end the statement (allowing a fallback <c>?? x</c> / <c>|| x</c>)?</summary>
        private bool Ends(int end)
        {
            var n = t.At(end + 1);
            if (n == null) return true;
            if (n.Value.Kind == TokenKind.Punct && n.Value.Text is ";" or "," or ")" or "}" or "??" or "||") return true;
            return n.Value.Line > t[end].Line;
        }

        private Val? Value(int start)
        {
            var v = Eval(start, out var end);
            return v != null && Ends(end) ? v : null;
        }

        private void Declaration(int d)
        {
            var n = d + 1;
            if (t.IsId(n))
            {
                var name = t[n].Text;
                var eq = n + 1;
                if (t.Is(eq, ":"))
                {
                    // A type annotation: the '=' at bracket depth 0.
                    var depth = 0;
                    for (eq = n + 2; eq < t.Count && eq < n + 60; eq++)
                    {
                        if (t[eq].Kind != TokenKind.Punct) continue;
                        var x = t[eq].Text;
                        if (x is "(" or "[" or "{" or "<") depth++;
                        else if (x is ")" or "]" or "}" or ">") depth--;
                        else if (depth == 0 && x is "=" or ";") break;
                    }
                }
                if (!t.Is(eq, "=")) { _blocks[^1].Names[name] = null; return; }
                // const f = async (...) => { ... } / function (...) { ... }: the body belongs to f.
                var a = t.IsId(eq + 1, "async") ? eq + 2 : eq + 1;
                if (t.Is(a, "(") && t.MatchClose(a) is var pc and > 0 && t.Is(pc + 1, "=>") && t.Is(pc + 2, "{")) _functionBodies[pc + 2] = name;
                else if (t.IsId(a, "function") && t.Is(a + 1, "(")) MarkBody(t.MatchClose(a + 1), name);
                _blocks[^1].Names[name] = Value(eq + 1);
                return;
            }
            if (t.Is(n, "{") && t.MatchClose(n) is var close and > 0 && t.Is(close + 1, "="))
            {
                var v = Value(close + 2);
                foreach (var (s, e) in t.SplitArgs(n, close))
                {
                    if (t.Is(s, "...")) continue;
                    string? key = t.IsId(s) ? t[s].Text : t.IsStr(s) ? t[s].Value : null;
                    if (key == null) continue;
                    var local = t.Is(s + 1, ":") && t.IsId(s + 2) ? t[s + 2].Text : t.IsId(s) ? key : null;
                    var hasDefault = false;
                    for (var k = s + 1; k <= e; k++) if (t.Is(k, "=")) hasDefault = true;
                    Val? bound = null;
                    if (v is { Kind: K.Json } && !hasDefault) EmitKey(v, key, s, $"const {{ {key} }} = ...", -1);
                    else if (v is { Kind: K.Response } && key == "SecretString") bound = v with { Kind = K.SecretString };
                    if (local != null) _blocks[^1].Names[local] = bound;
                }
            }
        }

        private void Reassign(string name, int start)
        {
            var v = Value(start);
            for (var b = _blocks.Count - 1; b >= 0; b--)
                if (_blocks[b].Names.ContainsKey(name)) { _blocks[b].Names[name] = v; return; }
        }

        private Val? Lookup(string name)
        {
            for (var b = _blocks.Count - 1; b >= 0; b--)
                if (_blocks[b].Names.TryGetValue(name, out var v)) return v;
            return null;
        }

        private SourceSpan Span(int i) => new(file, t[i].Line, t[i].Column, t[i].Line, t[i].Column + t[i].Text.Length);

        private Val? Eval(int i, out int end)
        {
            end = i;
            if (i >= t.Count) return null;
            if (t.IsId(i, "await")) i++;
            Val? cur;
            int p;
            if (EnvAtom(i, out var envEnd) is { } env) { cur = new Val(K.Env, env); p = envEnd + 1; }
            else if (t.IsId(i, "JSON") && t.Is(i + 1, ".") && t.IsId(i + 2, "parse") && t.Is(i + 3, "("))
            {
                var close = t.MatchClose(i + 3);
                if (close < 0) return null;
                var args = t.SplitArgs(i + 3, close);
                var iend = -1;
                var inner = args.Count > 0 ? Eval(args[0].Start, out iend) : null;
                cur = inner is { Kind: K.Env or K.SecretString } && args.Count > 0 && (iend == args[0].End || t.Is(iend + 1, "??") || t.Is(iend + 1, "||"))
                    ? inner with { Kind = K.Json } : null;
                p = close + 1;
            }
            else if (t.IsId(i, "new") && t.IsId(i + 1, "GetSecretValueCommand") && t.Is(i + 2, "("))
            {
                var close = t.MatchClose(i + 2);
                if (close < 0) return null;
                cur = SecretIdArg(i + 2, close, "AWS SDK v3 GetSecretValueCommand({ SecretId })", K.Command);
                p = close + 1;
            }
            else if (t.IsId(i, "this") && t.Is(i + 1, ".") && t.IsId(i + 2))
            {
                cur = _this.GetValueOrDefault(t[i + 2].Text);
                p = i + 3;
            }
            else if (t.Is(i, "("))
            {
                var close = t.MatchClose(i);
                if (close < 0) return null;
                var inner = Eval(i + 1, out var iend);
                cur = iend == close - 1 ? inner : null;
                p = close + 1;
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
                else { cur = Lookup(t[i].Text); p = i + 1; }
            }
            else return null;

            while (p < t.Count)
            {
                if (t.Is(p, "!")) { end = p; p++; continue; } // TypeScript non-null assertion
                if (t.IsId(p, "as") && t.IsId(p + 1)) { p = t.SkipGeneric(p + 2); end = p - 1; continue; }
                var dot = t.Is(p, ".") || t.Is(p, "?.");
                if (dot && t.IsId(p + 1) && t.Is(p + 2, "("))
                {
                    var close = t.MatchClose(p + 2);
                    if (close < 0) break;
                    var method = t[p + 1].Text;
                    if (method == "getSecretValue") cur = SecretIdArg(p + 2, close, "AWS SDK v2 getSecretValue({ SecretId })", K.Response);
                    else if (method == "send" && t.SplitArgs(p + 2, close) is [var arg] && Eval(arg.Start, out var aend) is { Kind: K.Command } cmd && aend == arg.End)
                        cur = cmd with { Kind = K.Response };
                    else if (method == "promise" && cur is { Kind: K.Response }) { }
                    else cur = null;
                    end = close;
                    p = close + 1;
                    continue;
                }
                if (dot && t.IsId(p + 1))
                {
                    var name = t[p + 1].Text;
                    if (cur is { Kind: K.Response } && name == "SecretString") cur = cur with { Kind = K.SecretString };
                    else if (cur is { Kind: K.Json } && !IsWrite(p + 2)) { EmitKey(cur, name, p + 1, $".{name}", p + 2); cur = null; }
                    else cur = null;
                    end = p + 1;
                    p += 2;
                    continue;
                }
                var bracket = t.Is(p, "[") ? p : t.Is(p, "?.") && t.Is(p + 1, "[") ? p + 1 : -1;
                if (bracket >= 0)
                {
                    var close = t.MatchClose(bracket);
                    if (close < 0) break;
                    if (cur != null && close == bracket + 2 && t.IsStr(bracket + 1))
                    {
                        var key = t[bracket + 1].Value;
                        if (cur.Kind == K.Response && key == "SecretString") cur = cur with { Kind = K.SecretString };
                        else if (cur.Kind == K.Json && !IsWrite(close + 1)) { EmitKey(cur, key, bracket + 1, $"['{key}']", close + 1); cur = null; }
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

        private bool IsWrite(int after) => t.At(after) is { Kind: TokenKind.Punct } a && a.Text is "=" or "+=" or "??=" or "||=";

        /// <summary>process.env.X, process.env["X"], process?.env?.X, and a name bound to one.</summary>
        private string? EnvAtom(int i, out int end)
        {
            end = i;
            if (!t.IsId(i, "process") || !(t.Is(i + 1, ".") || t.Is(i + 1, "?.")) || !t.IsId(i + 2, "env")) return null;
            var k = i + 3;
            if ((t.Is(k, ".") || t.Is(k, "?.")) && t.IsId(k + 1) && !t.Is(k + 2, "(")) { end = k + 1; return t[k + 1].Text; }
            var b = t.Is(k, "[") ? k : t.Is(k, "?.") && t.Is(k + 1, "[") ? k + 1 : -1;
            if (b >= 0 && t.IsStr(b + 1) && t.Is(b + 2, "]")) { end = b + 2; return t[b + 1].Value; }
            return null;
        }

        /// <summary>The <c>SecretId</c> of the object literal argument, when it is an env value: emits the call and returns <paramref name="kind"/>.</summary>
        private Val? SecretIdArg(int open, int close, string api, K kind)
        {
            if (!t.Is(open + 1, "{")) return null;
            var oclose = t.MatchClose(open + 1);
            if (oclose < 0 || oclose > close) return null;
            foreach (var (s, e) in t.SplitArgs(open + 1, oclose))
            {
                var keyTok = t.IsId(s, "SecretId") || (t.IsStr(s) && t[s].Value == "SecretId") ? s : -1;
                if (keyTok < 0) continue;
                Val? v;
                if (s == e) v = Lookup("SecretId"); // shorthand { SecretId }
                else if (t.Is(s + 1, ":")) { v = Eval(s + 2, out var vend); if (vend != e && !t.Is(vend + 1, "??") && !t.Is(vend + 1, "||")) v = null; }
                else v = null;
                if (v is not { Kind: K.Env }) return null;
                if (_emitted.Add((t[keyTok].Line, t[keyTok].Column)))
                    result.IdCalls.Add(new SecretIdFromEnv(v.Env, Span(keyTok), api, lang));
                return new Val(kind, v.Env, SecretOrigin.FetchedByEnvId);
            }
            return null;
        }

        /// <param name="after">The token after the read: a fallback there (<c>?? x</c>, <c>|| x</c>) or a test (<c>if (s.host)</c>) means the code copes without the key.</param>
        private void EmitKey(Val json, string key, int keyTok, string form, int after)
        {
            if (t.At(after) is { Kind: TokenKind.Punct } a && a.Text is "??" or "||" or "?" or "&&") return;
            if (key.Length == 0 || !_emitted.Add((t[keyTok].Line, t[keyTok].Column))) return;
            result.KeyReads.Add(new SecretKeyRead(json.Source, key, Span(keyTok), form, lang));
        }
    }
}
