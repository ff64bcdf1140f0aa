using System.Globalization;
using System.Text.RegularExpressions;

namespace Groundcrew.Load.Npm;

/// <summary>A semantic version (major.minor.patch[-prerelease][+build]); build metadata is ignored, as npm does.</summary>
public sealed partial class SemVersion : IComparable<SemVersion>
{
    public long Major { get; }
    public long Minor { get; }
    public long Patch { get; }
    /// <summary>Prerelease identifiers: numeric ones as <see cref="long"/>, others as <see cref="string"/>.</summary>
    public IReadOnlyList<object> Prerelease { get; }

    public SemVersion(long major, long minor, long patch, IReadOnlyList<object>? prerelease = null)
    {
        Major = major; Minor = minor; Patch = patch;
        Prerelease = prerelease ?? [];
    }

    [GeneratedRegex(@"^[=v\s]*(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Full();

    /// <summary>A full version ("1.2.3", "v1.2.3-rc.1+build"); null for anything else (ranges, tags, URLs).</summary>
    public static SemVersion? Parse(string? text)
    {
        if (text == null) return null;
        var m = Full().Match(text.Trim());
        if (!m.Success) return null;
        if (!long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            || !long.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            || !long.TryParse(m.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var c)) return null;
        return new SemVersion(a, b, c, m.Groups[4].Success ? ParsePrerelease(m.Groups[4].Value) : null);
    }

    internal static List<object> ParsePrerelease(string text) =>
        text.Split('.').Select(p => p.All(char.IsAsciiDigit) && long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (object)n : p).ToList();

    public bool IsPrerelease => Prerelease.Count > 0;

    public bool SameTuple(SemVersion o) => Major == o.Major && Minor == o.Minor && Patch == o.Patch;

    public int CompareTo(SemVersion? other)
    {
        if (other == null) return 1;
        var c = Major.CompareTo(other.Major);
        if (c == 0) c = Minor.CompareTo(other.Minor);
        if (c == 0) c = Patch.CompareTo(other.Patch);
        if (c != 0) return c;
        // A version without prerelease is greater than one with it.
        if (Prerelease.Count == 0) return other.Prerelease.Count == 0 ? 0 : 1;
        if (other.Prerelease.Count == 0) return -1;
        for (var i = 0; ; i++)
        {
            if (i >= Prerelease.Count) return i >= other.Prerelease.Count ? 0 : -1;
            if (i >= other.Prerelease.Count) return 1;
            var x = Prerelease[i];
            var y = other.Prerelease[i];
            var r = (x, y) switch
            {
                (long p, long q) => p.CompareTo(q),
                (long, string) => -1, // numeric identifiers sort before alphanumeric ones
                (string, long) => 1,
                _ => string.CompareOrdinal((string)x, (string)y),
            };
            if (r != 0) return Math.Sign(r);
        }
    }

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}" + (Prerelease.Count > 0 ? "-" + string.Join('.', Prerelease) : "");
}

/// <summary>
/// An npm version range, with node-semver's semantics (without includePrerelease): comparators (&lt; &lt;= &gt; &gt;= =),
/// caret and tilde ranges, x-ranges and partial versions (1, 1.x, 1.2.*, *, ""), hyphen ranges (1.2 - 2.3.4) and ||.
/// A prerelease version satisfies a comparator set only when some comparator of that set names a prerelease of the
/// same major.minor.patch (so 2.0.0-rc.1 does not satisfy ^1.0.0 nor >=1.0.0).
/// Anything else (dist-tags such as "latest", "workspace:*", "npm:alias@1", git or file specs) does not parse: <see cref="Parse"/> returns null.
/// </summary>
public sealed partial class SemverRange
{
    private readonly List<List<(string Op, SemVersion V)>> _sets;

    private SemverRange(List<List<(string Op, SemVersion V)>> sets, string text) { _sets = sets; Text = text; }

    public string Text { get; }

    // A partial version: X[.Y[.Z[-pre]]] where parts may be x, X or *.
    [GeneratedRegex(@"^[v=]*(\d+|[xX*])(?:\.(\d+|[xX*])(?:\.(\d+|[xX*])(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Partial();

    [GeneratedRegex(@"^(\S+)\s+-\s+(\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Hyphen();

    // Operators followed by spaces: ">= 1.2.3" is ">=1.2.3".
    [GeneratedRegex(@"(<=|>=|<|>|=|~>|~|\^)\s+", RegexOptions.CultureInvariant)]
    private static partial Regex OpSpace();

    [GeneratedRegex(@"^(<=|>=|<|>|=|~>|~|\^)?(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex OpAndVersion();

    /// <summary>Null when <paramref name="text"/> is not a semver range (a tag, URL, alias, workspace or file spec...).</summary>
    public static SemverRange? Parse(string? text)
    {
        if (text == null) return null;
        var sets = new List<List<(string, SemVersion)>>();
        foreach (var raw in text.Split("||"))
        {
            var part = raw.Trim();
            var set = new List<(string, SemVersion)>();
            var h = Hyphen().Match(part);
            if (h.Success)
            {
                if (!HyphenRange(h.Groups[1].Value, h.Groups[2].Value, set)) return null;
            }
            else
            {
                part = OpSpace().Replace(part, "$1");
                foreach (var comp in part.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                    if (!Comparator(comp, set)) return null;
            }
            // node-semver reads a plain >=0.0.0 as "any version" and drops it from its set (replaceGTE0), so the set
            // ">=0.0.0 =0.0.0-rc.1" holds 0.0.0-rc.1 although 0.0.0-rc.1 < 0.0.0.
            set.RemoveAll(c => c.Item1 == ">=" && c.Item2 is { Major: 0, Minor: 0, Patch: 0, IsPrerelease: false });
            sets.Add(set);
        }
        // A set left empty ("", "*", "x - *", ">=*.1", ">=0.0.0") is any version, and node-semver then reduces the whole
        // union to it, so a prerelease another set names no longer matches: 1.0.0-rc.1 is not in "* || 1.0.0-rc.1".
        if (sets.Any(set => set.Count == 0)) sets = [[]];
        return new SemverRange(sets, text.Trim());
    }

    public static bool TryParse(string? text, out SemverRange? range) => (range = Parse(text)) != null;

    private sealed record Part(long? Major, long? Minor, long? Patch, List<object>? Pre)
    {
        public bool AnyX => Major == null || Minor == null || Patch == null;
    }

    private static Part? ParsePartial(string s)
    {
        var m = Partial().Match(s);
        if (!m.Success) return null;
        static long? Num(Group g) => !g.Success || g.Value is "x" or "X" or "*" ? null : long.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        long? a = Num(m.Groups[1]), b = Num(m.Groups[2]), c = Num(m.Groups[3]);
        if (a == -1 || b == -1 || c == -1) return null;
        // After a wildcard everything is a wildcard (1.x.3 is 1.x).
        if (a == null) { b = null; c = null; }
        else if (b == null) c = null;
        var pre = m.Groups[4].Success && c != null ? SemVersion.ParsePrerelease(m.Groups[4].Value) : null;
        return new Part(a, b, c, pre);
    }

    private static SemVersion V(long a, long b, long c, List<object>? pre = null) => new(a, b, c, pre);
    private static List<object> Zero => [0L];

    private static bool HyphenRange(string from, string to, List<(string, SemVersion)> set)
    {
        var f = ParsePartial(from);
        var t = ParsePartial(to);
        if (f == null || t == null) return false;
        if (f.Major != null) set.Add((">=", V(f.Major.Value, f.Minor ?? 0, f.Patch ?? 0, f.Pre)));
        if (t.Major == null) return true; // no upper bound; with no lower bound either ("* - x") the set is empty, which Parse reads as any version
        if (t.Minor == null) set.Add(("<", V(t.Major.Value + 1, 0, 0, Zero)));
        else if (t.Patch == null) set.Add(("<", V(t.Major.Value, t.Minor.Value + 1, 0, Zero)));
        else set.Add(("<=", V(t.Major.Value, t.Minor.Value, t.Patch.Value, t.Pre)));
        return true;
    }

    private static bool Comparator(string comp, List<(string, SemVersion)> set)
    {
        var m = OpAndVersion().Match(comp);
        var op = m.Groups[1].Success ? m.Groups[1].Value : "";
        var p = ParsePartial(m.Groups[2].Value);
        if (p == null) return false;
        switch (op)
        {
            case "^": Caret(p, set); return true;
            case "~" or "~>": Tilde(p, set); return true;
            case "" or "=": XRange("", p, set); return true;
            default: XRange(op, p, set); return true;
        }
    }

    private static void Caret(Part p, List<(string, SemVersion)> set)
    {
        if (p.Major == null) return; // ^* is any version (an empty set)
        long a = p.Major.Value;
        if (p.Minor == null) { set.Add((">=", V(a, 0, 0))); set.Add(("<", V(a + 1, 0, 0, Zero))); return; }
        long b = p.Minor.Value;
        if (p.Patch == null)
        {
            set.Add((">=", V(a, b, 0)));
            set.Add(("<", a == 0 ? V(0, b + 1, 0, Zero) : V(a + 1, 0, 0, Zero)));
            return;
        }
        long c = p.Patch.Value;
        set.Add((">=", V(a, b, c, p.Pre)));
        if (a != 0) set.Add(("<", V(a + 1, 0, 0, Zero)));
        else if (b != 0) set.Add(("<", V(0, b + 1, 0, Zero)));
        else set.Add(("<", V(0, 0, c + 1, Zero)));
    }

    private static void Tilde(Part p, List<(string, SemVersion)> set)
    {
        if (p.Major == null) return; // ~* is any version (an empty set)
        long a = p.Major.Value;
        if (p.Minor == null) { set.Add((">=", V(a, 0, 0))); set.Add(("<", V(a + 1, 0, 0, Zero))); return; }
        long b = p.Minor.Value;
        set.Add((">=", V(a, b, p.Patch ?? 0, p.Pre)));
        set.Add(("<", V(a, b + 1, 0, Zero)));
    }

    private static void XRange(string op, Part p, List<(string, SemVersion)> set)
    {
        if (p.Major == null)
        {
            // "*", ">=*" and "<=*" match anything (an empty set); ">*" and "<*" match nothing.
            if (op is ">" or "<") set.Add(("<", V(0, 0, 0, Zero)));
            return;
        }
        long a = p.Major.Value;
        if (!p.AnyX)
        {
            set.Add((op == "" ? "=" : op, V(a, p.Minor!.Value, p.Patch!.Value, p.Pre)));
            return;
        }
        long b = p.Minor ?? 0;
        switch (op)
        {
            case "":
                set.Add((">=", V(a, b, 0)));
                set.Add(("<", p.Minor == null ? V(a + 1, 0, 0, Zero) : V(a, b + 1, 0, Zero)));
                break;
            case ">": // >1 is >=2.0.0, >1.2 is >=1.3.0
                set.Add((">=", p.Minor == null ? V(a + 1, 0, 0) : V(a, b + 1, 0)));
                break;
            case ">=":
                set.Add((">=", V(a, b, 0)));
                break;
            case "<": // <1.2 is <1.2.0-0
                set.Add(("<", V(a, b, 0, Zero)));
                break;
            case "<=": // <=1.2 is <1.3.0-0
                set.Add(("<", p.Minor == null ? V(a + 1, 0, 0, Zero) : V(a, b + 1, 0, Zero)));
                break;
        }
    }

    public bool IsSatisfiedBy(SemVersion v)
    {
        foreach (var set in _sets)
            if (TestSet(set, v)) return true;
        return false;
    }

    public bool IsSatisfiedBy(string version) => SemVersion.Parse(version) is { } v && IsSatisfiedBy(v);

    private static bool TestSet(List<(string Op, SemVersion V)> set, SemVersion v)
    {
        foreach (var (op, c) in set)
        {
            var cmp = v.CompareTo(c);
            var ok = op switch
            {
                "=" => cmp == 0,
                "<" => cmp < 0,
                "<=" => cmp <= 0,
                ">" => cmp > 0,
                ">=" => cmp >= 0,
                _ => false,
            };
            if (!ok) return false;
        }
        if (!v.IsPrerelease) return true;
        // A prerelease only matches a set that names a prerelease of the same major.minor.patch.
        foreach (var (_, c) in set)
            if (c.IsPrerelease && c.SameTuple(v)) return true;
        return false;
    }

    public override string ToString() => Text;
}
