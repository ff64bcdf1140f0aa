namespace Groundcrew.Core;

/// <summary>
/// Shares one string per distinct short text among the loaded trees. A large scan repeats the same few hundred keys
/// (name, image, metadata) and values (TCP, IfNotPresent, "true") hundreds of thousands of times; keeping one copy
/// of each means the copies the parser made die young instead of being promoted and kept by the garbage collector.
/// One pool per thread (loading runs in parallel), so no locking; bounded, so a scan of unique values cannot grow it.
/// </summary>
public static class StringPool
{
    private const int MaxLength = 128;
    private const int MaxEntries = 65_536;

    [ThreadStatic] private static Dictionary<string, string>? _pool;

    /// <summary>The shared copy of <paramref name="text"/> (itself when too long to be worth sharing).</summary>
    public static string Share(string text)
    {
        if (text.Length > MaxLength) return text;
        var pool = Pool();
        if (pool.TryGetValue(text, out var shared)) return shared;
        pool[text] = text;
        return text;
    }

    /// <summary>The shared string for these characters: allocates only the first time a text is seen.</summary>
    public static string Get(ReadOnlySpan<char> chars)
    {
        if (chars.Length == 0) return "";
        if (chars.Length > MaxLength) return new string(chars);
        var pool = Pool();
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var shared)) return shared;
        var text = new string(chars);
        pool[text] = text;
        return text;
    }

    [ThreadStatic] private static Dictionary<string, string>? _keys;

    private static int _interned;

    /// <summary>
    /// A map key as the runtime's interned string: the same object as the literal a rule looks it up with
    /// (map["metadata"]), so that most key comparisons end at the reference check instead of comparing characters
    /// (a sampled profile put key lookups at a fifth of the rules' time). An interned string lives as long as the process,
    /// so a key the runtime does not already hold (a rule literal that has run is held already) is interned only within
    /// <see cref="Limits.MaxInternedMapKeys"/> for the whole process: a repository of generated keys (a ConfigMap of
    /// 100k names) or a long-lived process scanning many repositories cannot grow the intern pool without bound.
    /// Past the budget a key is only shared, and comparisons with it compare characters (same answers, a little slower).
    /// </summary>
    public static string MapKey(string key)
    {
        // The fast reader hands in keys it already took from the pool: the same object again, found by reference
        // without hashing the text a second time.
        var keys = _keys ??= new Dictionary<string, string>(ReferenceEqualityComparer.Instance);
        if (keys.TryGetValue(key, out var interned)) return interned;
        key = Share(key);
        // Only identifier-like keys (field names such as containerPort, data keys such as DB_HOST): paths, URLs and
        // annotation keys are mostly unique and are only shared, not kept for the life of the process.
        if (key.Length > 32 || key.AsSpan().ContainsAnyExcept(IdentifierChars)) return key;
        if (keys.TryGetValue(key, out interned)) return interned;
        if (keys.Count >= MaxEntries) keys.Clear();
        interned = string.IsInterned(key) ?? (Interlocked.Increment(ref _interned) <= Limits.MaxInternedMapKeys ? string.Intern(key) : key);
        keys[key] = interned;
        return interned;
    }

    private static readonly System.Buffers.SearchValues<char> IdentifierChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    private static Dictionary<string, string> Pool()
    {
        var pool = _pool ??= new Dictionary<string, string>(StringComparer.Ordinal);
        // A scan of mostly unique values: start over rather than grow without bound (sharing is only an optimisation).
        if (pool.Count >= MaxEntries) pool.Clear();
        return pool;
    }
}
