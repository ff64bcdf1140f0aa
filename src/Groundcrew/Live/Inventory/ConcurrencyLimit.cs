namespace Groundcrew.Live.Inventory;

/// <summary>At most N CLI processes at once: each aws CLI start costs a second of CPU, and the machine has few cores.</summary>
public sealed class ConcurrencyLimit(ICommandRunner inner, int limit) : ICommandRunner
{
    private readonly SemaphoreSlim _slots = new(limit);

    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try { return await inner.RunAsync(file, args, timeout, ct); }
        finally { _slots.Release(); }
    }
}
