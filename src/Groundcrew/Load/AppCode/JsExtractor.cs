using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>
/// Reads JavaScript/TypeScript through <see cref="CodeTokenizer"/> (so comments and strings never count) and finds:
/// env reads (<c>process.env.X</c>, <c>process.env['X']</c>, destructuring from <c>process.env</c>, aliases such as
/// <c>const env = process.env</c>, NestJS <c>ConfigService.get/getOrThrow</c>, Joi <c>validationSchema</c> keys),
/// NestJS providers with custom tokens, constructor parameters and Mongoose <c>@Prop</c> options.
/// </summary>
public static class JsExtractor
{
    private static readonly Regex ConfigKeyName = new("^[A-Z][A-Z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> ParamModifiers = new(StringComparer.Ordinal) { "public", "private", "protected", "readonly", "override" };

    public static JsFileFacts Extract(string text, string file, bool typeScript = true)
    {
        var facts = new JsFileFacts();
        text ??= "";
        List<Token> t;
        try { t = CodeTokenizer.Tokenize(text, CodeDialect.JavaScript); }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException) { return facts; }
        var lang = typeScript ? AppLanguages.TypeScript : AppLanguages.JavaScript;
        var ctx = new Ctx(t, text, file, lang, facts);
        ctx.Run();
        return facts;
    }

    private sealed class Ctx(List<Token> t, string src, string file, string lang, JsFileFacts facts)
    {
        private readonly HashSet<string> _envAliases = new(StringComparer.Ordinal);
        private readonly HashSet<string> _configServiceNames = new(StringComparer.Ordinal);
        private bool _usesNestConfig;

        public void Run()
        {
            // Pre-pass: does this file use @nestjs/config, and which names are typed ConfigService?
            for (var i = 0; i < t.Count; i++)
            {
                if (t[i].Kind == TokenKind.String && t[i].Value == "@nestjs/config") _usesNestConfig = true;
                if (t.IsId(i, "ConfigService"))
                {
                    _usesNestConfig = true;
                    if (t.Is(i - 1, ":") && t.IsId(i - 2)) _configServiceNames.Add(t[i - 2].Text);
                }
            }

            ZodEnvSchemas();

            for (var i = 0; i < t.Count; i++)
            {
                var tok = t[i];
                if (tok.Kind == TokenKind.Identifier && tok.Text is "class" or "interface" or "type" or "enum" && t.IsId(i + 1) && !t.Is(i - 1, ".") && !t.Is(i - 1, "?."))
                    Declaration(i);
                if (tok.Kind == TokenKind.Identifier)
                {
                    if (tok.Text == "process" && t.Is(i + 1, ".") && t.IsId(i + 2, "env") && !t.Is(i - 1, ".")) ProcessEnv(i, i + 2);
                    else if (tok.Text == "process" && t.Is(i - 1, "=") && t.Is(i - 2, "}") && !t.Is(i + 1, ".")) EnvFromProcess(t.MatchOpen(i - 2), i - 2);
                    else if (tok.Text == "process" && t.Is(i + 1, "?.") && t.IsId(i + 2, "env")) ProcessEnv(i, i + 2);
                    else if (_envAliases.Contains(tok.Text) && !t.Is(i - 1, ".") && !t.Is(i - 1, "?.") && !IsDeclarationName(i)) MemberRead(i, i, "alias of process.env");
                    else if (tok.Text is "get" or "getOrThrow" && _usesNestConfig) ConfigGet(i);
                    else if (tok.Text == "provide" && t.Is(i + 1, ":")) Provider(i);
                    else if (tok.Text == "constructor" && t.Is(i + 1, "(")) Constructor(i);
                    else if (tok.Text == "validationSchema" && t.Is(i + 1, ":")) JoiSchema(i + 2);
                    else if (tok.Text == "class" && t.IsId(i + 1) && t[i + 1].Text.Contains("env", StringComparison.OrdinalIgnoreCase)) EnvValidationClass(i + 1);
                }
                else if (tok.IsPunct("@") && t.IsId(i + 1, "Prop") && t.Is(i + 2, "(")) Prop(i);
            }
        }

        private SourceSpan Span(int i) => new(file, t[i].Line, t[i].Column, t[i].Line, t[i].Column + t[i].Text.Length);

        private void Add(string name, int spanToken, Verdict v, string form)
        {
            if (!TokenUtil.EnvName.IsMatch(name)) return;
            facts.EnvReads.Add(new EnvRead(name, v.Required, Span(spanToken), lang, $"{form}: {v.Evidence}") { Certainty = v.Certainty });
        }

        private bool IsDeclarationName(int i) => t.IsId(i - 1, "const") || t.IsId(i - 1, "let") || t.IsId(i - 1, "var") || t.Is(i + 1, ":") && t.Is(i - 1, "(");

        /// <summary>process.env at tokens [start, envIdx].</summary>
        private void ProcessEnv(int start, int envIdx)
        {
            if (MemberRead(start, envIdx, "process.env")) return;
            // Bare process.env: destructuring or an alias.
            if (t.Is(start - 1, "=") && t.Is(start - 2, "}"))
            {
                var open = t.MatchOpen(start - 2);
                if (open >= 0) Destructure(open, start - 2);
                return;
            }
            if (t.Is(start - 1, "=") && t.IsId(start - 2) && (t.IsId(start - 3, "const") || t.IsId(start - 3, "let") || t.IsId(start - 3, "var")))
                _envAliases.Add(t[start - 2].Text);
        }

        /// <summary>A member read off an env object ending at <paramref name="objEnd"/>: .X, ?.X, ['X']. False when there is none.</summary>
        private bool MemberRead(int first, int objEnd, string form)
        {
            var j = objEnd + 1;
            string? name = null;
            int last = -1;
            int nameTok = -1;
            if ((t.Is(j, ".") || t.Is(j, "?.")) && t.IsId(j + 1))
            {
                name = t[j + 1].Text;
                last = nameTok = j + 1;
            }
            else if (t.Is(j, "?.") && t.Is(j + 1, "[")) j++;
            if (name == null)
            {
                if (!t.Is(j, "[")) return false;
                if (!(t.IsStr(j + 1) && t.Is(j + 2, "]"))) return true; // dynamic key: a read we cannot name
                name = t[j + 1].Value;
                nameTok = j + 1;
                last = j + 2;
            }
            else if (t.Is(last + 1, "(")) return true; // process.env.hasOwnProperty(...): a method call, not a read

            // Writes and deletes are not reads.
            var after = t.At(last + 1);
            if (after?.Kind == TokenKind.Punct && after.Value.Text is "=" or "??=" or "||=" or "&&=" or "+=") return true;
            if (t.IsId(first - 1, "delete")) return true;
            if (t.IsId(first - 1, "in")) return true;
            Add(name, nameTok, ReadClassifier.Classify(t, first, last), form + "." + name);
            return true;
        }

        /// <summary>const { env } = process; then env.X reads.</summary>
        private void EnvFromProcess(int open, int close)
        {
            if (open < 0) return;
            foreach (var (s, e) in t.SplitArgs(open, close))
                if (s == e && t.IsId(s, "env")) _envAliases.Add("env");
        }

        private void Destructure(int open, int close)
        {
            foreach (var (s, e) in t.SplitArgs(open, close))
            {
                if (t.Is(s, "...")) continue;
                string? key = null;
                if (t.IsId(s)) key = t[s].Text;
                else if (t.IsStr(s)) key = t[s].Value;
                if (key == null) continue;
                var hasDefault = false;
                for (var k = s + 1; k <= e; k++)
                {
                    if (t.Is(k, "=")) { hasDefault = true; break; }
                    if (t.Is(k, "{") || t.Is(k, "[")) break;
                }
                var v = hasDefault ? Verdict.Optional("has a default in the destructuring pattern") : Verdict.RequiredInferred("read without a default");
                Add(key, s, v, "const { " + key + " } = process.env");
            }
        }

        /// <summary>configService.get('X'), this.config.get&lt;string&gt;('X', 'd'), configService.getOrThrow('X').</summary>
        private void ConfigGet(int i)
        {
            if (!(t.Is(i - 1, ".") || t.Is(i - 1, "?.")) || !t.IsId(i - 2)) return;
            var receiver = t[i - 2].Text;
            if (!_configServiceNames.Contains(receiver) && !receiver.Contains("config", StringComparison.OrdinalIgnoreCase)) return;
            var open = t.SkipGeneric(i + 1);
            if (!t.Is(open, "(")) return;
            var close = t.MatchClose(open);
            if (close < 0) return;
            var args = t.SplitArgs(open, close);
            if (args.Count == 0 || args[0].Start != args[0].End || !t.IsStr(args[0].Start)) return;
            var key = t[args[0].Start].Value;
            if (!ConfigKeyName.IsMatch(key)) return; // 'database.host' and lower-case keys are config namespaces, not env vars
            var method = t[i].Text;
            var form = $"{receiver}.{method}('{key}')";
            Verdict v;
            if (method == "getOrThrow") v = Verdict.RequiredExplicit("getOrThrow throws when it is missing");
            else if (args.Count >= 2 && !IsOptionsObject(args[1])) v = Verdict.Optional("has a default (second argument)");
            else v = ReadClassifier.Classify(t, i - 2, close);
            Add(key, args[0].Start, v, form);
        }

        private bool IsOptionsObject((int Start, int End) arg)
        {
            if (!t.Is(arg.Start, "{")) return false;
            for (var k = arg.Start; k <= arg.End; k++) if (t.IsId(k, "infer")) return true;
            return false;
        }

        /// <summary>validationSchema: Joi.object({ X: Joi.string().required(), Y: Joi.number().default(3) })</summary>
        private void JoiSchema(int start)
        {
            // Find "object" "(" "{" within a few tokens.
            var k = start;
            for (; k < t.Count && k - start < 8; k++) if (t.IsId(k, "object") && t.Is(k + 1, "(") && t.Is(k + 2, "{")) break;
            if (k >= t.Count || k - start >= 8) return;
            var open = k + 2;
            var close = t.MatchClose(open);
            if (close < 0) return;
            foreach (var (s, e) in t.SplitArgs(open, close))
            {
                string? key = t.IsId(s) ? t[s].Text : t.IsStr(s) ? t[s].Value : null;
                if (key == null || !t.Is(s + 1, ":")) continue;
                bool required = false, hasDefault = false, optional = false;
                for (var x = s + 2; x <= e; x++)
                {
                    if (!t.Is(x - 1, ".")) continue;
                    if (t.IsId(x, "required")) required = true;
                    else if (t.IsId(x, "default")) hasDefault = true;
                    else if (t.IsId(x, "optional") || t.IsId(x, "allow")) optional = true;
                }
                if (!required && !hasDefault && !optional) continue; // Joi keys are optional by default; nothing to say
                var v = required && !hasDefault
                    ? Verdict.RequiredExplicit("the Joi validationSchema marks it .required(): the app refuses to start without it")
                    : Verdict.Optional(hasDefault ? "the Joi validationSchema gives a .default()" : "optional in the Joi validationSchema");
                Add(key, s, v, "Joi validationSchema");
            }
        }

        private static readonly HashSet<string> ClassValidatorOptional = new(StringComparer.Ordinal) { "IsOptional", "ValidateIf" };

        /// <summary>
        /// NestJS env validation with class-validator: <c>class EnvironmentVariables { @IsString() DATABASE_URL: string; @IsOptional() @IsNumber() PORT?: number; }</c>.
        /// Only classes whose name mentions "env" and whose UPPER_CASE fields carry class-validator decorators (Is*, Min, Max, Matches...).
        /// </summary>
        private void EnvValidationClass(int nameIdx)
        {
            var open = nameIdx + 1;
            while (open < t.Count && !t.Is(open, "{") && open - nameIdx < 20) open++;
            if (!t.Is(open, "{")) return;
            var close = t.MatchClose(open);
            if (close < 0) return;
            var k = open + 1;
            while (k < close)
            {
                var decorators = new List<string>();
                while (t.Is(k, "@") && t.IsId(k + 1))
                {
                    decorators.Add(t[k + 1].Text);
                    k += 2;
                    if (t.Is(k, "(")) { var c = t.MatchClose(k); if (c < 0 || c > close) return; k = c + 1; }
                }
                while (t.IsId(k) && ParamModifiers.Contains(t[k].Text) && t.IsId(k + 1)) k++;
                if (!t.IsId(k)) { k = SkipMember(k, close); continue; }
                var nameTok = k;
                var optionalMark = t.Is(k + 1, "?");
                var j = optionalMark || t.Is(k + 1, "!") ? k + 2 : k + 1;
                if (!t.Is(j, ":") && !t.Is(j, "=") && !t.Is(j, ";")) { k = SkipMember(k, close); continue; } // a method
                var end = j;
                var hasInit = false;
                while (end < close && !t.Is(end, ";") && !(t.Is(end, "@") && end > j))
                {
                    if (t.Is(end, "=")) hasInit = true;
                    if (t.Is(end, "{") || t.Is(end, "(") || t.Is(end, "[")) { var c = t.MatchClose(end); if (c < 0) return; end = c; }
                    end++;
                    if (end < t.Count && t[end].Line != t[end - 1].Line && !t.Is(end, "|") && !t.Is(end - 1, "|") && !t.Is(end - 1, "=")) break;
                }
                var name = t[nameTok].Text;
                var validated = decorators.Any(d => d.StartsWith("Is", StringComparison.Ordinal) || d is "Min" or "Max" or "Matches" or "Length" or "MinLength" or "MaxLength" or "ValidateNested");
                if (validated && ConfigKeyName.IsMatch(name))
                {
                    var v = decorators.Any(ClassValidatorOptional.Contains) || optionalMark || hasInit
                        ? Verdict.Optional(hasInit ? "env validation class gives a default" : "marked optional in the env validation class")
                        : Verdict.RequiredExplicit("validated by class-validator without @IsOptional: the app refuses to start without it");
                    Add(name, nameTok, v, "env validation class");
                }
                k = end > k ? end : k + 1;
                if (t.Is(k, ";")) k++;
            }
        }

        private int SkipMember(int k, int close)
        {
            // Skip to after the next top-level ';' or '}' closing a method body.
            while (k < close)
            {
                if (t.Is(k, ";")) return k + 1;
                if (t.Is(k, "{")) { var c = t.MatchClose(k); return c < 0 ? close : c + 1; }
                if (t.Is(k, "(") || t.Is(k, "[")) { var c = t.MatchClose(k); if (c < 0) return close; k = c; }
                k++;
            }
            return close;
        }

        /// <summary>
        /// zod env schemas: <c>z.object({ DATABASE_URL: z.string(), PORT: z.coerce.number().default(3000) }).parse(process.env)</c>
        /// and t3-env <c>createEnv({ server: { ... }, client: { ... } })</c>. Only in files that parse process.env
        /// (<c>parse(process.env)</c>/<c>safeParse(process.env)</c>) or call createEnv.
        /// </summary>
        private void ZodEnvSchemas()
        {
            var parsesEnv = false;
            var createEnv = false;
            for (var i = 0; i + 3 < t.Count; i++)
            {
                if (t.IsId(i) && t[i].Text is "parse" or "safeParse" or "parseAsync" or "safeParseAsync" && t.Is(i + 1, "(") && t.IsId(i + 2, "process") && t.Is(i + 3, ".") && t.IsId(i + 4, "env"))
                    parsesEnv = true;
                if (t.IsId(i, "createEnv") && t.Is(i + 1, "(")) createEnv = true;
            }
            if (!parsesEnv && !createEnv) return;
            for (var i = 0; i + 3 < t.Count; i++)
            {
                int open = -1;
                if (t.IsId(i, "object") && t.Is(i - 1, ".") && t.IsId(i - 2, "z") && t.Is(i + 1, "(") && t.Is(i + 2, "{")) open = i + 2;
                else if (createEnv && t.IsId(i) && t[i].Text is "server" or "client" or "shared" && t.Is(i + 1, ":") && t.Is(i + 2, "{")) open = i + 2;
                if (open < 0) continue;
                var close = t.MatchClose(open);
                if (close < 0) continue;
                foreach (var (s, e) in t.SplitArgs(open, close))
                {
                    string? key = t.IsId(s) ? t[s].Text : t.IsStr(s) ? t[s].Value : null;
                    if (key == null || !t.Is(s + 1, ":") || !ConfigKeyName.IsMatch(key)) continue;
                    if (!(t.IsId(s + 2, "z") && t.Is(s + 3, "."))) continue; // only zod schemas
                    var optional = false;
                    for (var x = s + 2; x <= e; x++)
                        if (t.Is(x - 1, ".") && t.IsId(x) && t[x].Text is "optional" or "default" or "nullish" or "catch") optional = true;
                    var v = optional ? Verdict.Optional("optional or defaulted in the zod env schema")
                        : Verdict.RequiredExplicit("the zod env schema requires it: parsing process.env fails without it");
                    Add(key, s, v, "zod env schema");
                }
            }
        }

        private void Provider(int i)
        {
            var open = t.EnclosingOpen(i, "{");
            if (open < 0) return;
            var close = t.MatchClose(open);
            if (close < 0) return;
            var tokIdx = i + 2;
            if (tokIdx >= close) return;
            string token;
            bool isString;
            if (t.IsStr(tokIdx)) { token = t[tokIdx].Value; isString = true; }
            else if (t.IsId(tokIdx))
            {
                var end = tokIdx;
                while (t.Is(end + 1, ".") && t.IsId(end + 2)) end += 2;
                token = t.Text(src, tokIdx, end);
                isString = false;
            }
            else return;
            string kind = "";
            string? target = null;
            foreach (var (s, e) in t.SplitArgs(open, close))
            {
                if (t.IsId(s) && t[s].Text is "useClass" or "useValue" or "useFactory" or "useExisting" && t.Is(s + 1, ":"))
                {
                    kind = t[s].Text;
                    if (s + 2 <= e) target = t[s + 2].Kind == TokenKind.Identifier ? t.Text(src, s + 2, s + 2) : null;
                }
            }
            facts.Providers.Add(new NestProvider(token, isString, kind, target, Span(tokIdx)));
        }

        private int[]? _classBefore;

        /// <summary>Name of the nearest class declared before token <paramref name="i"/> (one forward pass, then lookups).</summary>
        private string ClassNameBefore(int i)
        {
            if (_classBefore == null)
            {
                _classBefore = new int[t.Count];
                var last = -1;
                for (var k = 0; k < t.Count; k++)
                {
                    _classBefore[k] = last;
                    if (t.IsId(k, "class") && t.IsId(k + 1)) last = k + 1;
                }
            }
            var idx = i >= 0 && i < _classBefore.Length ? _classBefore[i] : -1;
            return idx >= 0 ? t[idx].Text : "";
        }

        private void Constructor(int i)
        {
            var open = i + 1;
            var close = t.MatchClose(open);
            if (close < 0) return;
            // A call "super.constructor(" or "x.constructor(" is not a declaration.
            if (t.Is(i - 1, ".")) return;
            var cls = ClassNameBefore(i);
            foreach (var (s, e) in t.SplitArgs(open, close, angles: true))
            {
                var k = s;
                var decorators = new List<string>();
                string? inject = null;
                var injectIsString = false;
                var optional = false;
                while (k <= e && t.Is(k, "@") && t.IsId(k + 1))
                {
                    var dname = t[k + 1].Text;
                    decorators.Add(dname);
                    if (dname == "Optional") optional = true;
                    k += 2;
                    if (t.Is(k, "("))
                    {
                        var dclose = t.MatchClose(k);
                        if (dclose < 0 || dclose > e) break;
                        if (dname == "Inject" && dclose > k + 1)
                        {
                            if (t.IsStr(k + 1) && dclose == k + 2) { inject = t[k + 1].Value; injectIsString = true; }
                            else inject = t.Text(src, k + 1, dclose - 1);
                        }
                        k = dclose + 1;
                    }
                }
                while (k <= e && t.IsId(k) && ParamModifiers.Contains(t[k].Text) && t.IsId(k + 1)) k++;
                if (k > e || !t.IsId(k)) continue;
                var nameIdx = k;
                k++;
                if (t.Is(k, "?")) { optional = true; k++; }
                string? type = null;
                if (t.Is(k, ":"))
                {
                    var typeEnd = k + 1;
                    while (typeEnd <= e && !t.Is(typeEnd, "=")) typeEnd++;
                    type = t.Text(src, k + 1, typeEnd - 1);
                    k = typeEnd;
                }
                if (t.Is(k, "=")) optional = true; // a default value
                facts.ConstructorParameters.Add(new NestConstructorParameter(cls, t[nameIdx].Text, type, inject, injectIsString, decorators, optional, Span(nameIdx)));
            }
        }

        private static readonly HashSet<string> DeclarationPrefix = new(StringComparer.Ordinal) { "export", "default", "abstract", "declare", "const" };

        /// <summary>class X / interface X / type X = / enum X, with the decorators written before a class.</summary>
        private void Declaration(int i)
        {
            var kind = t[i].Text;
            var name = t[i + 1].Text;
            if (kind == "class" && name is "extends" or "implements") return; // an anonymous class expression
            if (kind == "type" && !(t.Is(i + 2, "=") || t.Is(i + 2, "<"))) return; // "type" used as a plain identifier
            if (kind is "interface" or "enum" && !(t.Is(i + 2, "{") || t.IsId(i + 2, "extends") || t.Is(i + 2, "<"))) return;
            var decorators = new List<string>();
            if (kind == "class")
            {
                var j = i - 1;
                while (t.IsId(j) && DeclarationPrefix.Contains(t[j].Text)) j--;
                for (var guard = 0; guard < 10; guard++)
                {
                    var end = j;
                    if (t.Is(j, ")")) { var o = t.MatchOpen(j); if (o < 0) break; end = o - 1; }
                    if (!t.IsId(end)) break;
                    var k = end;
                    while (t.Is(k - 1, ".") && t.IsId(k - 2)) k -= 2;
                    if (!t.Is(k - 1, "@")) break;
                    decorators.Add(t[end].Text);
                    j = k - 2;
                    while (t.IsId(j) && DeclarationPrefix.Contains(t[j].Text)) j--;
                }
                decorators.Reverse();
            }
            facts.Declarations.Add(new TsDeclaration(name, kind, decorators, Span(i + 1)));
        }

        private void Prop(int at)
        {
            var open = at + 2;
            var close = t.MatchClose(open);
            if (close < 0) return;
            string? enumExpr = null, typeExpr = null;
            var hasOptions = t.Is(open + 1, "{");
            if (hasOptions)
            {
                var oclose = t.MatchClose(open + 1);
                if (oclose > 0)
                    foreach (var (s, e) in t.SplitArgs(open + 1, oclose))
                    {
                        if (!t.IsId(s) || !t.Is(s + 1, ":") || s + 2 > e) continue;
                        if (t[s].Text == "enum") enumExpr = t.Text(src, s + 2, e);
                        else if (t[s].Text == "type") typeExpr = t.Text(src, s + 2, e);
                    }
            }
            // The property follows (maybe after more decorators): name[?!]: Type
            var k = close + 1;
            for (var guard = 0; guard < 6 && t.Is(k, "@") && t.IsId(k + 1); guard++)
            {
                k += 2;
                if (t.Is(k, "(")) { var c = t.MatchClose(k); if (c < 0) return; k = c + 1; }
            }
            while (t.IsId(k) && ParamModifiers.Contains(t[k].Text) && t.IsId(k + 1)) k++;
            if (!t.IsId(k)) return;
            var nameIdx = k;
            k++;
            if (t.Is(k, "?") || t.Is(k, "!")) k++;
            string? tsType = null;
            if (t.Is(k, ":"))
            {
                var end = k + 1;
                while (end < t.Count && !t.Is(end, ";") && !t.Is(end, "=") && !t.Is(end, "@") && t[end].Line == t[k].Line) end++;
                tsType = t.Text(src, k + 1, end - 1);
            }
            facts.MongooseProps.Add(new MongooseProp(ClassNameBefore(at), t[nameIdx].Text, tsType, enumExpr, typeExpr, hasOptions, Span(at)));
        }
    }
}
