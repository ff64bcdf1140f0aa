using System.Collections.Concurrent;

namespace Groundcrew.Core;

/// <summary>
/// Remembers the answers of a pure function of a string (the same keys and images are judged by several rules for every
/// resource), safe across the rules' threads. Bounded: past <c>capacity</c> answers it stops remembering new ones, so a
/// scan of mostly unique texts cannot grow it (caching is only an optimisation; answers never change).
/// </summary>
public sealed class BoundedCache<TValue>(Func<string, TValue> compute, int capacity = 16_384)
{
    private readonly ConcurrentDictionary<string, TValue> _answers = new(StringComparer.Ordinal);
    private int _stored;

    public TValue Get(string key)
    {
        if (_answers.TryGetValue(key, out var known)) return known;
        var answer = compute(key);
        if (Volatile.Read(ref _stored) < capacity && Interlocked.Increment(ref _stored) <= capacity) _answers.TryAdd(key, answer);
        return answer;
    }
}
