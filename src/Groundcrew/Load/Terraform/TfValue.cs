using System.Globalization;
using System.Text;
using Groundcrew.Core;

namespace Groundcrew.Load.Terraform;

public enum TfKind { Unknown, Null, String, Number, Bool, List, Map }

/// <summary>
/// The result of evaluating a Terraform expression: a known string/number/bool/null/list/map, or
/// <see cref="TfKind.Unknown"/> with the reason it cannot be known before apply (a computed attribute,
/// a variable without a value, an unsupported function...). Lists and maps may be partially known: their
/// elements can be unknown. <see cref="Origin"/> is the span of the expression that produced the value.
/// </summary>
public sealed class TfValue
{
    private static readonly IReadOnlyList<TfValue> NoItems = Array.Empty<TfValue>();
    private static readonly IReadOnlyDictionary<string, TfValue> NoEntries = SortedMap.From([]);

    public TfKind Kind { get; private init; }
    public string Str { get; private init; } = "";
    public decimal Number { get; private init; }
    public bool Bool { get; private init; }
    public IReadOnlyList<TfValue> Items { get; private init; } = NoItems;
    /// <summary>Map and object attributes, in Terraform's order (sorted by key).</summary>
    public IReadOnlyDictionary<string, TfValue> Map { get; private init; } = NoEntries;
    /// <summary>Why an unknown value is unknown.</summary>
    public string? Reason { get; private init; }
    /// <summary>An unknown that Terraform would report as an error (missing key, index out of range, wrong type): <c>try</c> falls back past it.</summary>
    public bool IsError { get; private init; }
    /// <summary>A list made by toset() or a set-typed source (sorted, distinct).</summary>
    public bool IsSet { get; private init; }
    /// <summary>A resource or data source object: attributes it does not set in configuration are computed (unknown), not missing.</summary>
    public bool IsOpen { get; private init; }
    /// <summary>For the string result of jsonencode() or a rendered policy document (known or not): the structured value that was encoded.</summary>
    public TfValue? Encoded { get; private init; }
    public SourceSpan? Origin { get; private init; }
    /// <summary>For a resource or data source instance object: its address (module-prefixed), e.g. <c>module.net.aws_subnet.private[0]</c>.</summary>
    public string? Address { get; private init; }
    /// <summary>
    /// Where <see cref="Address"/> and <see cref="Ref"/> are unique: the root module directory the value was evaluated
    /// under (two environments' root modules can both declare aws_iam_role.exec).
    /// </summary>
    public string? Scope { get; private init; }
    /// <summary>
    /// For an unknown value read from a resource: the symbolic reference it stands for, e.g.
    /// <c>aws_iam_role.execution.arn</c> or <c>aws_db_instance.main.master_user_secret[0].secret_arn</c>, so rules
    /// can follow a reference to the resource it names even though the value itself is only known after apply.
    /// </summary>
    public string? Ref { get; private init; }
    /// <summary>
    /// For a template around one reference (<c>"${aws_x.y.arn}:host::"</c>): the known text before and after it. A template
    /// whose unknown part is not a single reference keeps only its known tail in RefSuffix, with Ref null.
    /// </summary>
    public string? RefPrefix { get; private init; }
    public string? RefSuffix { get; private init; }
    /// <summary>
    /// For a string whose text is laid out exactly as in a file (a heredoc without interpolation, file(),
    /// a templatefile() whose line structure is unchanged): where line 1 of the text sits, so JSON parsed
    /// from the string can point at real lines.
    /// </summary>
    public SourceSpan? TextStart { get; private init; }

    public TfValue WithTextStart(SourceSpan? start) => new()
    {
        Kind = Kind, Str = Str, Number = Number, Bool = Bool, Items = Items, Map = Map, Reason = Reason, IsError = IsError,
        IsSet = IsSet, IsOpen = IsOpen, Encoded = Encoded, Origin = Origin, TextStart = start,
        Address = Address, Scope = Scope, Ref = Ref, RefPrefix = RefPrefix, RefSuffix = RefSuffix,
    };

    /// <summary>The same instance object, remembering its address.</summary>
    public TfValue WithAddress(string address, string? scope) => new()
    {
        Kind = Kind, Str = Str, Number = Number, Bool = Bool, Items = Items, Map = Map, Reason = Reason, IsError = IsError,
        IsSet = IsSet, IsOpen = IsOpen, Encoded = Encoded, Origin = Origin, TextStart = TextStart,
        Address = address, Scope = scope, Ref = Ref, RefPrefix = RefPrefix, RefSuffix = RefSuffix,
    };

    /// <summary>An unknown standing for <paramref name="reference"/> (with known text around it, for templates).</summary>
    public static TfValue Reference(string reason, string reference, string? scope, SourceSpan? origin, string? prefix = null, string? suffix = null) =>
        new() { Kind = TfKind.Unknown, Reason = reason, Origin = origin, Ref = reference, Scope = scope, RefPrefix = prefix, RefSuffix = suffix };

    /// <summary>
    /// An unknown string whose known tail is kept in <see cref="RefSuffix"/> (with no <see cref="Ref"/>): a template such as
    /// <c>"${replace(aws_iam_openid_connect_provider.x.url, "https://", "")}:sub"</c> whose unknown part is not a single reference.
    /// </summary>
    public static TfValue UnknownWithSuffix(string reason, SourceSpan? origin, string suffix) =>
        new() { Kind = TfKind.Unknown, Reason = reason, Origin = origin, RefSuffix = suffix };

    public bool IsKnown => Kind != TfKind.Unknown;
    public bool IsNull => Kind == TfKind.Null;

    public static readonly TfValue NullValue = new() { Kind = TfKind.Null };

    public static TfValue String(string s, SourceSpan? origin = null, TfValue? encoded = null) => new() { Kind = TfKind.String, Str = s, Origin = origin, Encoded = encoded };
    public static TfValue Num(decimal n, SourceSpan? origin = null) => new() { Kind = TfKind.Number, Number = n, Origin = origin };
    public static TfValue Boolean(bool b, SourceSpan? origin = null) => new() { Kind = TfKind.Bool, Bool = b, Origin = origin };
    public static TfValue Null(SourceSpan? origin = null) => origin == null ? NullValue : new() { Kind = TfKind.Null, Origin = origin };
    public static TfValue List(IReadOnlyList<TfValue> items, SourceSpan? origin = null, bool isSet = false) => new() { Kind = TfKind.List, Items = items, Origin = origin, IsSet = isSet };

    public static TfValue Object(IEnumerable<KeyValuePair<string, TfValue>> entries, SourceSpan? origin = null, bool open = false)
    {
        return new TfValue { Kind = TfKind.Map, Map = SortedMap.From(entries), Origin = origin, IsOpen = open };
    }

    public static TfValue Unknown(string reason, SourceSpan? origin = null, TfValue? encoded = null) => new() { Kind = TfKind.Unknown, Reason = reason, Origin = origin, Encoded = encoded };
    public static TfValue Error(string reason, SourceSpan? origin = null) => new() { Kind = TfKind.Unknown, Reason = reason, Origin = origin, IsError = true };

    /// <summary>The same value with another origin (used when a value is passed through a reference).</summary>
    public TfValue At(SourceSpan? origin) => origin == null || origin == Origin ? this : new TfValue
    {
        Kind = Kind, Str = Str, Number = Number, Bool = Bool, Items = Items, Map = Map, Reason = Reason, IsError = IsError,
        IsSet = IsSet, IsOpen = IsOpen, Encoded = Encoded, Origin = origin, TextStart = TextStart,
        Address = Address, Scope = Scope, Ref = Ref, RefPrefix = RefPrefix, RefSuffix = RefSuffix,
    };

    /// <summary>Unknown with this value's reason (for propagation), at a new origin.</summary>
    public TfValue Propagate(SourceSpan? origin) => IsError ? Error(Reason ?? "error", origin) : Unknown(Reason ?? "unknown", origin);

    /// <summary>The first unknown anywhere inside this value, or null when it is wholly known.</summary>
    public TfValue? FirstUnknown()
    {
        switch (Kind)
        {
            case TfKind.Unknown: return this;
            case TfKind.List:
                foreach (var i in Items) if (i.FirstUnknown() is { } u) return u;
                return null;
            case TfKind.Map:
                foreach (var v in Map.Values) if (v.FirstUnknown() is { } u) return u;
                return IsOpen ? Unknown("a resource or data source object has attributes computed by the provider", Origin) : null;
            default: return null;
        }
    }

    public bool IsWhollyKnown => FirstUnknown() == null;

    /// <summary>A primitive as a string, as Terraform converts it (numbers without trailing zeros, bools as true/false).</summary>
    public string? AsString() => Kind switch
    {
        TfKind.String => Str,
        TfKind.Number => FormatNumber(Number),
        TfKind.Bool => Bool ? "true" : "false",
        _ => null,
    };

    public decimal? AsNumber() => Kind switch
    {
        TfKind.Number => Number,
        TfKind.String when decimal.TryParse(Str, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public bool? AsBool() => Kind switch
    {
        TfKind.Bool => Bool,
        TfKind.String when Str == "true" => true,
        TfKind.String when Str == "false" => false,
        _ => null,
    };

    public static string FormatNumber(decimal n)
    {
        var s = (n / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        return s;
    }

    /// <summary>Structural equality of two wholly known values (null when either side is not wholly known).</summary>
    public static bool? Equal(TfValue a, TfValue b)
    {
        if (!a.IsKnown || !b.IsKnown || a.IsOpen || b.IsOpen) return null;
        if (a.Kind != b.Kind) return a.FirstUnknown() != null || b.FirstUnknown() != null ? null : false;
        switch (a.Kind)
        {
            case TfKind.Null: return true;
            case TfKind.String: return a.Str == b.Str;
            case TfKind.Number: return a.Number == b.Number;
            case TfKind.Bool: return a.Bool == b.Bool;
            case TfKind.List:
                if (a.Items.Count != b.Items.Count) return false;
                for (var i = 0; i < a.Items.Count; i++)
                {
                    var e = Equal(a.Items[i], b.Items[i]);
                    if (e != true) return e;
                }
                return true;
            default:
                if (a.Map.Count != b.Map.Count) return false;
                foreach (var (k, v) in a.Map)
                {
                    if (!b.Map.TryGetValue(k, out var w)) return false;
                    var e = Equal(v, w);
                    if (e != true) return e;
                }
                return true;
        }
    }

    /// <summary>Terraform's jsonencode of a wholly known value (keys sorted, no spaces, &lt; &gt; &amp; escaped).</summary>
    public string ToJson()
    {
        var sb = new StringBuilder();
        WriteJson(sb, this);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, TfValue v)
    {
        switch (v.Kind)
        {
            case TfKind.Null: sb.Append("null"); break;
            case TfKind.Bool: sb.Append(v.Bool ? "true" : "false"); break;
            case TfKind.Number: sb.Append(FormatNumber(v.Number)); break;
            case TfKind.String: WriteJsonString(sb, v.Str); break;
            case TfKind.List:
                sb.Append('[');
                for (var i = 0; i < v.Items.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteJson(sb, v.Items[i]);
                }
                sb.Append(']');
                break;
            case TfKind.Map:
                sb.Append('{');
                var first = true;
                foreach (var (k, val) in v.Map)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteJsonString(sb, k);
                    sb.Append(':');
                    WriteJson(sb, val);
                }
                sb.Append('}');
                break;
            default: throw new InvalidOperationException("cannot encode an unknown value");
        }
    }

    internal static void WriteJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<': sb.Append("\\u003c"); break;
                case '>': sb.Append("\\u003e"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default:
                    if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    public override string ToString() => Kind switch
    {
        TfKind.Unknown => $"(unknown: {Reason})",
        TfKind.Null => "null",
        TfKind.String => "\"" + Str + "\"",
        TfKind.List => "[" + string.Join(", ", Items) + "]",
        TfKind.Map => "{" + string.Join(", ", Map.Select(e => e.Key + " = " + e.Value)) + "}",
        _ => AsString() ?? "",
    };
}

/// <summary>An immutable map with keys in ordinal order (Terraform's iteration order), cheap to build and to read.</summary>
internal sealed class SortedMap : IReadOnlyDictionary<string, TfValue>
{
    private readonly string[] _keys;
    private readonly TfValue[] _values;

    private SortedMap(string[] keys, TfValue[] values)
    {
        _keys = keys;
        _values = values;
    }

    /// <summary>Later entries with the same key win.</summary>
    public static SortedMap From(IEnumerable<KeyValuePair<string, TfValue>> entries)
    {
        var list = entries as IReadOnlyCollection<KeyValuePair<string, TfValue>> ?? entries.ToList();
        var keys = new string[list.Count];
        var values = new TfValue[list.Count];
        var i = 0;
        var sorted = true;
        foreach (var (k, v) in list)
        {
            keys[i] = k;
            values[i] = v;
            if (i > 0 && string.CompareOrdinal(keys[i - 1], k) >= 0) sorted = false;
            i++;
        }
        if (sorted) return new SortedMap(keys, values); // already in order, no duplicates (a for_each map, a map built in order)

        // Sort the positions by key; of several entries with one key, the one given last wins.
        var order = new int[keys.Length];
        for (i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(keys, order, StringComparer.Ordinal);
        var count = 0;
        for (i = 0; i < keys.Length; i++)
        {
            if (count > 0 && keys[count - 1] == keys[i])
            {
                order[count - 1] = Math.Max(order[count - 1], order[i]);
                continue;
            }
            keys[count] = keys[i];
            order[count] = order[i];
            count++;
        }
        var outKeys = count == keys.Length ? keys : keys[..count];
        var outValues = new TfValue[count];
        for (i = 0; i < count; i++) outValues[i] = values[order[i]];
        return new SortedMap(outKeys, outValues);
    }

    private int Find(string key)
    {
        int lo = 0, hi = _keys.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var c = string.CompareOrdinal(_keys[mid], key);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    public TfValue this[string key] => Find(key) is var i and >= 0 ? _values[i] : throw new KeyNotFoundException(key);
    public IEnumerable<string> Keys => _keys;
    public IEnumerable<TfValue> Values => _values;
    public int Count => _keys.Length;
    public bool ContainsKey(string key) => Find(key) >= 0;

    public bool TryGetValue(string key, out TfValue value)
    {
        var i = Find(key);
        value = i >= 0 ? _values[i] : null!;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, TfValue>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++) yield return new(_keys[i], _values[i]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
