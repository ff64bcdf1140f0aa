using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using System.Text.Json;

namespace Groundcrew.Load.Terraform;

/// <summary>
/// The Terraform functions Groundcrew evaluates. Any other function yields an unknown value that names it:
/// nothing here guesses. Functions that accept partially known collections (concat, merge, length,
/// lookup, coalesce, jsonencode...) keep known parts; the rest need wholly known arguments.
/// </summary>
public static partial class HclFunctions
{
    private delegate TfValue Fn(HclEvaluator ev, List<TfValue> a, SourceSpan at);

    /// <summary>Functions that work on partially known arguments (they check unknowns themselves).</summary>
    private static readonly Dictionary<string, Fn> Partial = new(StringComparer.Ordinal)
    {
        ["length"] = Length,
        ["concat"] = Concat,
        ["merge"] = Merge,
        ["lookup"] = Lookup,
        ["coalesce"] = Coalesce,
        ["coalescelist"] = CoalesceList,
        ["element"] = Element,
        ["jsonencode"] = JsonEncode,
        ["jsondecode"] = JsonDecode,
        ["tolist"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind is TfKind.List ? TfValue.List(a[0].Items, at) : a[0].IsKnown ? TfValue.Error("tolist() needs a list or set", at) : a[0].Propagate(at)),
        ["tomap"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind is TfKind.Map ? a[0] : a[0].IsKnown ? TfValue.Error("tomap() needs a map", at) : a[0].Propagate(at)),
        ["keys"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].IsOpen ? OpenObject(at) : a[0].Kind is TfKind.Map ? TfValue.List(a[0].Map.Keys.Select(k => TfValue.String(k, at)).ToList(), at) : a[0].IsKnown ? TfValue.Error("keys() needs a map", at) : a[0].Propagate(at)),
        ["values"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].IsOpen ? OpenObject(at) : a[0].Kind is TfKind.Map ? TfValue.List(a[0].Map.Values.ToList(), at) : a[0].IsKnown ? TfValue.Error("values() needs a map", at) : a[0].Propagate(at)),
        ["one"] = One,
        ["flatten"] = Flatten,
        ["slice"] = Slice,
        ["reverse"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind is TfKind.List ? TfValue.List(a[0].Items.Reverse().ToList(), at) : a[0].IsKnown ? TfValue.Error("reverse() needs a list", at) : a[0].Propagate(at)),
        ["zipmap"] = ZipMap,
    };

    /// <summary>Functions that need every argument wholly known.</summary>
    private static readonly Dictionary<string, Fn> Strict = new(StringComparer.Ordinal)
    {
        ["lower"] = (_, a, at) => Str1(a, at, s => s.ToLowerInvariant()),
        ["upper"] = (_, a, at) => Str1(a, at, s => s.ToUpperInvariant()),
        ["title"] = (_, a, at) => Str1(a, at, s => Regex.Replace(s, @"\b\p{L}", m => m.Value.ToUpperInvariant())),
        ["trimspace"] = (_, a, at) => Str1(a, at, s => s.Trim()),
        ["chomp"] = (_, a, at) => Str1(a, at, s => s.TrimEnd('\r', '\n')),
        ["strrev"] = (_, a, at) => Str1(a, at, s => new string(s.Reverse().ToArray())),
        ["tostring"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].IsNull ? a[0] : a[0].AsString() is { } s ? TfValue.String(s, at) : TfValue.Error("tostring() needs a primitive value", at)),
        ["tonumber"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].IsNull ? a[0] : a[0].AsNumber() is { } n ? TfValue.Num(n, at) : TfValue.Error("tonumber() cannot convert this value", at)),
        ["tobool"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].IsNull ? a[0] : a[0].AsBool() is { } b ? TfValue.Boolean(b, at) : TfValue.Error("tobool() cannot convert this value", at)),
        ["toset"] = ToSet,
        ["trim"] = (_, a, at) => Str2(a, at, (s, c) => s.Trim(c.ToCharArray())),
        ["trimprefix"] = (_, a, at) => Str2(a, at, (s, p) => p.Length > 0 && s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s),
        ["trimsuffix"] = (_, a, at) => Str2(a, at, (s, p) => p.Length > 0 && s.EndsWith(p, StringComparison.Ordinal) ? s[..^p.Length] : s),
        ["startswith"] = (_, a, at) => Arity(a, 2, at) ?? (a[0].AsString() is { } s && a[1].AsString() is { } p ? TfValue.Boolean(s.StartsWith(p, StringComparison.Ordinal), at) : TfValue.Error("startswith() needs strings", at)),
        ["endswith"] = (_, a, at) => Arity(a, 2, at) ?? (a[0].AsString() is { } s && a[1].AsString() is { } p ? TfValue.Boolean(s.EndsWith(p, StringComparison.Ordinal), at) : TfValue.Error("endswith() needs strings", at)),
        ["replace"] = Replace,
        ["substr"] = Substr,
        ["split"] = (_, a, at) => Arity(a, 2, at) ?? (a[0].AsString() is { } sep && a[1].AsString() is { } s
            ? TfValue.List((sep.Length == 0 ? s.Select(c => c.ToString()) : s.Split(sep)).Select(p => TfValue.String(p, at)).ToList(), at)
            : TfValue.Error("split() needs strings", at)),
        ["join"] = Join,
        ["format"] = Format,
        ["formatlist"] = FormatList,
        ["contains"] = (_, a, at) => Arity(a, 2, at) ?? (a[0].Kind == TfKind.List ? TfValue.Boolean(a[0].Items.Any(i => TfValue.Equal(i, a[1]) == true), at) : TfValue.Error("contains() needs a list", at)),
        ["index"] = (_, a, at) => Arity(a, 2, at) ?? (a[0].Kind == TfKind.List && a[0].Items.ToList().FindIndex(i => TfValue.Equal(i, a[1]) == true) is var idx and >= 0 ? TfValue.Num(idx, at) : TfValue.Error("index(): the value is not in the list", at)),
        ["distinct"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind == TfKind.List ? TfValue.List(Distinct(a[0].Items), at) : TfValue.Error("distinct() needs a list", at)),
        ["compact"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind == TfKind.List ? TfValue.List(a[0].Items.Where(i => !i.IsNull && !(i.Kind == TfKind.String && i.Str.Length == 0)).ToList(), at) : TfValue.Error("compact() needs a list", at)),
        ["sort"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind == TfKind.List && a[0].Items.All(i => i.AsString() != null) ? TfValue.List(a[0].Items.OrderBy(i => i.AsString(), StringComparer.Ordinal).ToList(), at) : TfValue.Error("sort() needs a list of strings", at)),
        ["range"] = Range,
        ["min"] = (_, a, at) => Numbers(a, at) is { } ns && ns.Count > 0 ? TfValue.Num(ns.Min(), at) : TfValue.Error("min() needs numbers", at),
        ["max"] = (_, a, at) => Numbers(a, at) is { } ns && ns.Count > 0 ? TfValue.Num(ns.Max(), at) : TfValue.Error("max() needs numbers", at),
        ["sum"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind == TfKind.List && Numbers(a[0].Items.ToList(), at) is { } ns ? TfValue.Num(ns.Sum(), at) : TfValue.Error("sum() needs a list of numbers", at)),
        ["abs"] = (_, a, at) => Num1(a, at, Math.Abs),
        ["ceil"] = (_, a, at) => Num1(a, at, Math.Ceiling),
        ["floor"] = (_, a, at) => Num1(a, at, Math.Floor),
        ["alltrue"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind == TfKind.List && a[0].Items.All(i => i.AsBool() != null) ? TfValue.Boolean(a[0].Items.All(i => i.AsBool() == true), at) : TfValue.Error("alltrue() needs a list of bools", at)),
        ["anytrue"] = (_, a, at) => Arity(a, 1, at) ?? (a[0].Kind == TfKind.List && a[0].Items.All(i => i.AsBool() != null) ? TfValue.Boolean(a[0].Items.Any(i => i.AsBool() == true), at) : TfValue.Error("anytrue() needs a list of bools", at)),
        ["base64encode"] = (_, a, at) => Str1(a, at, s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s))),
        ["base64decode"] = Base64Decode,
        ["md5"] = (_, a, at) => Str1(a, at, s => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)))),
        ["sha1"] = (_, a, at) => Str1(a, at, s => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(s)))),
        ["sha256"] = (_, a, at) => Str1(a, at, s => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))),
        ["basename"] = (_, a, at) => Str1(a, at, s => Path.GetFileName(s.TrimEnd('/'))),
        ["dirname"] = (_, a, at) => Str1(a, at, s => s.Contains('/') ? s[..s.TrimEnd('/').LastIndexOf('/')] is var d && d.Length > 0 ? d : "/" : "."),
        ["file"] = File,
        ["templatefile"] = TemplateFile,
        ["fileexists"] = (ev, a, at) => Arity(a, 1, at) ?? (a[0].AsString() is { } p && ev.ResolveFile(p) != null ? TfValue.Boolean(true, at) : TfValue.Unknown("fileexists() is only answered for files inside the scanned folder", at)),
    };

    public static IReadOnlyCollection<string> Supported => Partial.Keys.Concat(Strict.Keys).Concat(["try", "can"]).ToList();

    internal static TfValue Call(HclEvaluator ev, string name, List<TfValue> args, SourceSpan at)
    {
        try
        {
            if (Partial.TryGetValue(name, out var partial)) return partial(ev, args, at);
            if (Strict.TryGetValue(name, out var strict))
            {
                foreach (var a in args)
                    if (a.FirstUnknown() is { } u)
                        return u.Propagate(at); // keep the root cause as the reason
                return strict(ev, args, at);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or InvalidOperationException or IndexOutOfRangeException or RegexParseException or RegexMatchTimeoutException)
        {
            return TfValue.Error($"{name}(): {ex.Message}", at);
        }
        return TfValue.Unknown($"function {name}() is not evaluated by Groundcrew", at);
    }

    private static TfValue OpenObject(SourceSpan at) => TfValue.Unknown("a resource or data source object has attributes computed by the provider", at);

    private static TfValue? Arity(List<TfValue> a, int n, SourceSpan at) =>
        a.Count == n ? null : TfValue.Error($"expected {n} argument{(n == 1 ? "" : "s")}, got {a.Count}", at);

    private static TfValue Str1(List<TfValue> a, SourceSpan at, Func<string, string> f) =>
        Arity(a, 1, at) ?? (a[0].AsString() is { } s ? TfValue.String(f(s), at) : TfValue.Error("expected a string", at));

    private static TfValue Str2(List<TfValue> a, SourceSpan at, Func<string, string, string> f) =>
        Arity(a, 2, at) ?? (a[0].AsString() is { } s && a[1].AsString() is { } t ? TfValue.String(f(s, t), at) : TfValue.Error("expected strings", at));

    private static TfValue Num1(List<TfValue> a, SourceSpan at, Func<decimal, decimal> f) =>
        Arity(a, 1, at) ?? (a[0].AsNumber() is { } n ? TfValue.Num(f(n), at) : TfValue.Error("expected a number", at));

    private static List<decimal>? Numbers(List<TfValue> a, SourceSpan at)
    {
        var result = new List<decimal>();
        foreach (var v in a)
        {
            if (v.AsNumber() is not { } n) return null;
            result.Add(n);
        }
        return result;
    }

    private static List<TfValue> Distinct(IReadOnlyList<TfValue> items)
    {
        var result = new List<TfValue>();
        foreach (var i in items)
            if (!result.Any(r => TfValue.Equal(r, i) == true)) result.Add(i);
        return result;
    }

    private static TfValue Length(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        var v = a[0];
        return v.Kind switch
        {
            TfKind.Unknown => v.Propagate(at),
            TfKind.String => TfValue.Num(new StringInfo(v.Str).LengthInTextElements, at),
            TfKind.List => v.IsSet && v.Items.Any(i => !i.IsWhollyKnown) ? TfValue.Unknown("length of a set with unknown elements", at) : TfValue.Num(v.Items.Count, at),
            TfKind.Map => v.IsOpen ? OpenObject(at) : TfValue.Num(v.Map.Count, at),
            _ => TfValue.Error("length() needs a string, list or map", at),
        };
    }

    private static TfValue Concat(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        var items = new List<TfValue>();
        foreach (var v in a)
        {
            if (!v.IsKnown) return v.Propagate(at);
            if (v.Kind != TfKind.List) return TfValue.Error("concat() needs lists", at);
            items.AddRange(v.Items);
        }
        return TfValue.List(items, at);
    }

    private static TfValue Merge(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        var entries = new Dictionary<string, TfValue>(StringComparer.Ordinal);
        var open = false;
        foreach (var v in a)
        {
            if (v.IsNull) continue;
            if (!v.IsKnown) return v.Propagate(at);
            if (v.Kind != TfKind.Map) return TfValue.Error("merge() needs maps or objects", at);
            open |= v.IsOpen;
            foreach (var (k, val) in v.Map) entries[k] = val;
        }
        return TfValue.Object(entries, at, open);
    }

    private static TfValue Lookup(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (a.Count is < 2 or > 3) return TfValue.Error("lookup() takes 2 or 3 arguments", at);
        var (map, key) = (a[0], a[1]);
        if (!map.IsKnown) return map.Propagate(at);
        if (!key.IsKnown) return key.Propagate(at);
        if (map.Kind != TfKind.Map) return TfValue.Error("lookup() needs a map", at);
        if (key.AsString() is not { } k) return TfValue.Error("lookup() needs a string key", at);
        if (map.Map.TryGetValue(k, out var v)) return v;
        if (map.IsOpen) return TfValue.Unknown($"attribute \"{k}\" may be computed by the provider", at);
        if (a.Count == 3) return a[2];
        return TfValue.Error($"lookup(): no key \"{k}\" and no default", at);
    }

    private static TfValue Coalesce(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        foreach (var v in a)
        {
            if (!v.IsKnown) return v.Propagate(at);
            if (v.IsNull || (v.Kind == TfKind.String && v.Str.Length == 0)) continue;
            return v;
        }
        return TfValue.Error("coalesce(): no non-null, non-empty argument", at);
    }

    private static TfValue CoalesceList(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        foreach (var v in a)
        {
            if (!v.IsKnown) return v.Propagate(at);
            if (v.Kind == TfKind.List && v.Items.Count > 0) return v;
        }
        return TfValue.List([], at);
    }

    private static TfValue Element(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 2, at) is { } e) return e;
        if (!a[0].IsKnown) return a[0].Propagate(at);
        if (!a[1].IsKnown) return a[1].Propagate(at);
        if (a[0].Kind != TfKind.List || a[0].Items.Count == 0) return TfValue.Error("element() needs a non-empty list", at);
        if (a[1].AsNumber() is not { } n || n < 0) return TfValue.Error("element() needs a non-negative index", at);
        return a[0].Items[(int)(n % a[0].Items.Count)];
    }

    private static TfValue One(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        var v = a[0];
        if (!v.IsKnown) return v.Propagate(at);
        if (v.Kind != TfKind.List) return TfValue.Error("one() needs a list", at);
        return v.Items.Count switch { 0 => TfValue.Null(at), 1 => v.Items[0], _ => TfValue.Error("one() got more than one element", at) };
    }

    private static TfValue Flatten(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        if (!a[0].IsKnown) return a[0].Propagate(at);
        if (a[0].Kind != TfKind.List) return TfValue.Error("flatten() needs a list", at);
        var result = new List<TfValue>();
        string? unknown = null;
        void Walk(TfValue v)
        {
            foreach (var i in v.Items)
            {
                if (!i.IsKnown) { unknown ??= i.Reason; continue; }
                if (i.Kind == TfKind.List) Walk(i);
                else result.Add(i);
            }
        }
        Walk(a[0]);
        // An unknown element might itself be a list: the length of the result is then unknown.
        return unknown != null ? TfValue.Unknown($"flatten() over an unknown element ({unknown})", at) : TfValue.List(result, at);
    }

    private static TfValue Slice(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (a.Count != 3) return TfValue.Error("slice() takes 3 arguments", at);
        foreach (var v in a) if (!v.IsKnown) return v.Propagate(at);
        if (a[0].Kind != TfKind.List || a[1].AsNumber() is not { } s || a[2].AsNumber() is not { } t) return TfValue.Error("slice(list, start, end)", at);
        if (s < 0 || t > a[0].Items.Count || s > t) return TfValue.Error("slice(): index out of range", at);
        return TfValue.List(a[0].Items.Skip((int)s).Take((int)(t - s)).ToList(), at);
    }

    private static TfValue ZipMap(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 2, at) is { } e) return e;
        if (!a[0].IsKnown) return a[0].Propagate(at);
        if (!a[1].IsKnown) return a[1].Propagate(at);
        if (a[0].Kind != TfKind.List || a[1].Kind != TfKind.List || a[0].Items.Count != a[1].Items.Count) return TfValue.Error("zipmap() needs two lists of the same length", at);
        var entries = new List<KeyValuePair<string, TfValue>>();
        for (var i = 0; i < a[0].Items.Count; i++)
        {
            if (!a[0].Items[i].IsKnown) return a[0].Items[i].Propagate(at);
            if (a[0].Items[i].AsString() is not { } k) return TfValue.Error("zipmap() keys must be strings", at);
            entries.Add(new(k, a[1].Items[i]));
        }
        return TfValue.Object(entries, at);
    }

    private static TfValue ToSet(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        if (a[0].Kind != TfKind.List) return TfValue.Error("toset() needs a list", at);
        var items = Distinct(a[0].Items);
        if (items.All(i => i.Kind == TfKind.String)) items = items.OrderBy(i => i.Str, StringComparer.Ordinal).ToList();
        return TfValue.List(items, at, isSet: true);
    }

    private static TfValue Replace(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 3, at) is { } e) return e;
        if (a[0].AsString() is not { } s || a[1].AsString() is not { } search || a[2].AsString() is not { } repl) return TfValue.Error("replace() needs strings", at);
        if (search.Length > 1 && search.StartsWith('/') && search.EndsWith('/'))
        {
            // Terraform uses RE2 syntax and $1 / ${name} references, which .NET regex shares for common patterns.
            var re = new Regex(search[1..^1], RegexOptions.None, TimeSpan.FromMilliseconds(200));
            return TfValue.String(re.Replace(s, repl), at);
        }
        return search.Length == 0 ? TfValue.String(s, at) : TfValue.String(s.Replace(search, repl, StringComparison.Ordinal), at);
    }

    private static TfValue Substr(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 3, at) is { } e) return e;
        if (a[0].AsString() is not { } s || a[1].AsNumber() is not { } off || a[2].AsNumber() is not { } len) return TfValue.Error("substr(string, offset, length)", at);
        var elements = new List<string>();
        var en = StringInfo.GetTextElementEnumerator(s);
        while (en.MoveNext()) elements.Add(en.GetTextElement());
        var start = (int)off;
        if (start < 0) start += elements.Count;
        if (start < 0 || start > elements.Count) return TfValue.Error("substr(): offset out of range", at);
        var count = len < 0 ? elements.Count - start : Math.Min((int)len, elements.Count - start);
        return TfValue.String(string.Concat(elements.Skip(start).Take(count)), at);
    }

    private static TfValue Join(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (a.Count < 2 || a[0].AsString() is not { } sep) return TfValue.Error("join(separator, list...)", at);
        var parts = new List<string>();
        foreach (var list in a.Skip(1))
        {
            if (list.Kind != TfKind.List) return TfValue.Error("join() needs lists", at);
            foreach (var i in list.Items)
            {
                if (i.AsString() is not { } s) return TfValue.Error("join() needs lists of strings", at);
                parts.Add(s);
            }
        }
        return TfValue.String(string.Join(sep, parts), at);
    }

    // Source-generated: nothing is parsed or compiled when the class is first used (the Compiled regex it replaces was built in
    // the static constructor of every run that called any function, 10-30 ms of a first run, format() or not).
    [GeneratedRegex(@"%(?<flags>[-+# 0]*)(?<width>\d+)?(?:\.(?<prec>\d+))?(?<verb>[a-zA-Z%])")]
    private static partial Regex Verb();

    private static TfValue Format(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (a.Count < 1 || a[0].AsString() is not { } fmt) return TfValue.Error("format() needs a format string", at);
        var r = FormatOne(fmt, a.Skip(1).ToList());
        return r.Error != null ? TfValue.Error("format(): " + r.Error, at) : r.Unsupported != null ? TfValue.Unknown(r.Unsupported, at) : TfValue.String(r.Text!, at);
    }

    private static TfValue FormatList(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (a.Count < 1 || a[0].AsString() is not { } fmt) return TfValue.Error("formatlist() needs a format string", at);
        var rest = a.Skip(1).ToList();
        var n = -1;
        foreach (var v in rest)
            if (v.Kind == TfKind.List)
            {
                if (n >= 0 && n != v.Items.Count) return TfValue.Error("formatlist(): lists of different lengths", at);
                n = v.Items.Count;
            }
        if (n < 0) n = 1;
        var result = new List<TfValue>();
        for (var i = 0; i < n; i++)
        {
            var r = FormatOne(fmt, rest.Select(v => v.Kind == TfKind.List ? v.Items[i] : v).ToList());
            if (r.Error != null) return TfValue.Error("formatlist(): " + r.Error, at);
            if (r.Unsupported != null) return TfValue.Unknown(r.Unsupported, at);
            result.Add(TfValue.String(r.Text!, at));
        }
        return TfValue.List(result, at);
    }

    private static (string? Text, string? Error, string? Unsupported) FormatOne(string fmt, List<TfValue> args)
    {
        var sb = new StringBuilder();
        var next = 0;
        var last = 0;
        foreach (Match m in Verb().Matches(fmt))
        {
            sb.Append(fmt, last, m.Index - last);
            last = m.Index + m.Length;
            var verb = m.Groups["verb"].Value[0];
            if (verb == '%') { sb.Append('%'); continue; }
            if (next >= args.Count) return (null, "not enough arguments for the format string", null);
            var v = args[next++];
            string text;
            switch (verb)
            {
                case 's':
                    text = v.AsString() ?? (v.IsNull ? "null" : v.ToJson());
                    break;
                case 'v':
                    text = v.Kind is TfKind.List or TfKind.Map ? v.ToJson() : v.AsString() ?? "null";
                    break;
                case 'q':
                {
                    if (v.AsString() is not { } qs) return (null, "%q needs a string", null);
                    var q = new StringBuilder();
                    TfValue.WriteJsonString(q, qs);
                    text = q.ToString();
                    break;
                }
                case 'd':
                    if (v.AsNumber() is not { } d || d != decimal.Truncate(d)) return (null, "%d needs a whole number", null);
                    text = TfValue.FormatNumber(d);
                    break;
                case 'f':
                    if (v.AsNumber() is not { } f) return (null, "%f needs a number", null);
                    text = f.ToString("F" + (m.Groups["prec"].Success ? m.Groups["prec"].Value : "6"), CultureInfo.InvariantCulture);
                    break;
                case 't':
                    if (v.AsBool() is not { } b) return (null, "%t needs a bool", null);
                    text = b ? "true" : "false";
                    break;
                default:
                    return (null, null, $"format verb %{verb} is not evaluated by Groundcrew");
            }
            if (m.Groups["width"].Success && int.TryParse(m.Groups["width"].Value, out var w))
            {
                var flags = m.Groups["flags"].Value;
                text = flags.Contains('-') ? text.PadRight(w) : text.PadLeft(w, flags.Contains('0') && verb is 'd' or 'f' ? '0' : ' ');
            }
            sb.Append(text);
        }
        sb.Append(fmt, last, fmt.Length - last);
        return (sb.ToString(), null, null);
    }

    private static TfValue Range(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        var ns = Numbers(a, at);
        if (ns == null || ns.Count is < 1 or > 3) return TfValue.Error("range() needs 1 to 3 numbers", at);
        var (start, end, step) = ns.Count switch { 1 => (0m, ns[0], 1m), 2 => (ns[0], ns[1], 1m), _ => (ns[0], ns[1], ns[2]) };
        if (step == 0) return TfValue.Error("range() step must not be 0", at);
        var items = new List<TfValue>();
        for (var x = start; step > 0 ? x < end : x > end; x += step)
        {
            if (items.Count >= 1024) return TfValue.Error("range() would produce more than 1024 elements", at);
            items.Add(TfValue.Num(x, at));
        }
        return TfValue.List(items, at);
    }

    private static TfValue Base64Decode(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        if (a[0].AsString() is not { } s) return TfValue.Error("base64decode() needs a string", at);
        return TfValue.String(new UTF8Encoding(false, true).GetString(Convert.FromBase64String(s)), at);
    }

    private static TfValue JsonEncode(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        var v = a[0];
        if (v.FirstUnknown() is { } u)
            return TfValue.Unknown(u.Reason ?? "unknown", at, encoded: v);
        return TfValue.String(v.ToJson(), at, encoded: v);
    }

    private static TfValue JsonDecode(HclEvaluator _, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        var v = a[0];
        if (v.Encoded != null) return v.Encoded;
        if (!v.IsKnown) return v.Propagate(at);
        if (v.Kind != TfKind.String) return TfValue.Error("jsondecode() needs a string", at);
        return Decode(v.Str, at);
    }

    /// <summary>JSON text as a value (objects become maps); an error value when the text is not JSON.</summary>
    public static TfValue Decode(string json, SourceSpan at)
    {
        try
        {
            // Comments and trailing commas as Json.NET's reader took them; more than one value is an error.
            using var doc = JsonDocument.Parse(json, JsonValues.Lenient with { MaxDepth = 256 });
            return FromElement(doc.RootElement, at);
        }
        catch (JsonException ex)
        {
            return TfValue.Error("jsondecode(): " + JsonValues.Message(ex), at);
        }
    }

    private static TfValue FromElement(JsonElement e, SourceSpan at) => e.ValueKind switch
    {
        JsonValueKind.Object => TfValue.Object(LastWins(e.EnumerateObject().Select(p => new KeyValuePair<string, TfValue>(p.Name, FromElement(p.Value, at)))), at),
        JsonValueKind.Array => TfValue.List(e.EnumerateArray().Select(i => FromElement(i, at)).ToList(), at),
        JsonValueKind.String => TfValue.String(e.GetString()!, at),
        // Numbers as decimals (1.50 stays 1.50); one a decimal cannot hold is an error, as it was.
        JsonValueKind.Number => e.TryGetDecimal(out var d) || decimal.TryParse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out d)
            ? TfValue.Num(d, at) : throw new JsonException($"could not convert {e.GetRawText()} to a number"),
        JsonValueKind.True => TfValue.Boolean(true, at),
        JsonValueKind.False => TfValue.Boolean(false, at),
        _ => TfValue.Null(at),
    };

    // A repeated key keeps its first position and its last value (Json.NET's JObject did the same).
    private static List<KeyValuePair<string, TfValue>> LastWins(IEnumerable<KeyValuePair<string, TfValue>> entries)
    {
        var list = new List<KeyValuePair<string, TfValue>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kv in entries)
        {
            if (index.TryGetValue(kv.Key, out var i)) list[i] = kv;
            else { index[kv.Key] = list.Count; list.Add(kv); }
        }
        return list;
    }

    private static TfValue File(HclEvaluator ev, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 1, at) is { } e) return e;
        if (a[0].AsString() is not { } p) return TfValue.Error("file() needs a path", at);
        var full = ev.ResolveFile(p);
        if (full == null) return TfValue.Unknown($"file(\"{p}\") is not a file inside the scanned folder", at);
        if (new FileInfo(full).Length > 1_000_000) return TfValue.Unknown($"file(\"{p}\") is larger than 1 MB", at);
        return TfValue.String(System.IO.File.ReadAllText(full), at).WithTextStart(new SourceSpan(ev.Shown(full), 1, 1));
    }

    private static TfValue TemplateFile(HclEvaluator ev, List<TfValue> a, SourceSpan at)
    {
        if (Arity(a, 2, at) is { } e) return e;
        if (a[0].AsString() is not { } p) return TfValue.Error("templatefile() needs a path", at);
        if (a[1].Kind != TfKind.Map) return TfValue.Error("templatefile() needs a map of variables", at);
        var full = ev.ResolveFile(p);
        if (full == null) return TfValue.Unknown($"templatefile(\"{p}\") is not a file inside the scanned folder", at);
        if (new FileInfo(full).Length > 1_000_000) return TfValue.Unknown($"templatefile(\"{p}\") is larger than 1 MB", at);
        HclTemplate template;
        try { template = HclParser.ParseTemplate(System.IO.File.ReadAllText(full), ev.Shown(full)); }
        catch (HclParseException ex) { return TfValue.Error($"templatefile(\"{p}\"): {ex.Message} at line {ex.Line}", at); }
        // The template sees only the variables passed to it, not the module's names.
        var isolated = new HclEvaluator(TerraformModule.FromSources(Path.GetDirectoryName(full) ?? "."));
        return isolated.TemplateFile(template, a[1], at);
    }
}
