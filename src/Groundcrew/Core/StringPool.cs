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
    public static string Key(string text)
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

    private static Dictionary<string, string> Pool()
    {
        var pool = _pool ??= new Dictionary<string, string>(StringComparer.Ordinal);
        // A scan of mostly unique values: start over rather than grow without bound (sharing is only an optimisation).
        if (pool.Count >= MaxEntries) pool.Clear();
        return pool;
    }
}
