using System.Collections.Concurrent;

namespace Groundcrew.Live;

/// <summary>
/// Every command a run made, in the order they finished: the report shows them, and the tests check
/// them against the read-only policy published in docs/live.md.
/// </summary>
public sealed class CallLog
{
    private readonly ConcurrentQueue<CommandResult> _calls = new();

    public void Add(CommandResult call) => _calls.Enqueue(call);

    public IReadOnlyList<CommandResult> Calls => _calls.ToArray();

    public IReadOnlyList<string> CommandLines => _calls.Select(c => c.CommandLine).ToArray();
}
