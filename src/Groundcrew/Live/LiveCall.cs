using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Live;

/// <summary>The outcome of one JSON call: the parsed answer, or why there is none. Never both.</summary>
public sealed record LiveCall(string CommandLine, JsonNode? Json, LiveError? Error)
{
    public bool Ok => Error is null;

    public JsonObject Object => Json as JsonObject ?? new JsonObject();

    internal static LiveCall From(CommandResult result)
    {
        if (LiveErrorClassifier.Classify(result) is { } error) return new LiveCall(result.CommandLine, null, error);
        // Half a JSON document is no answer (and a cut one may even parse): say the output was too large instead.
        if (result.StdOutCut is { } cut)
            return new LiveCall(result.CommandLine, null, new LiveError(LiveErrorKind.Failed, $"output too large, not read as JSON: {cut}", result.CommandLine));
        var text = result.StdOut.Trim();
        if (text.Length == 0) return new LiveCall(result.CommandLine, new JsonObject(), null); // aws prints nothing for an empty answer
        try { return new LiveCall(result.CommandLine, LiveJson.Parse(text), null); }
        catch (JsonException ex)
        {
            return new LiveCall(result.CommandLine, null,
                new LiveError(LiveErrorKind.Failed, $"output is not JSON ({ex.Message})", result.CommandLine));
        }
    }
}

/// <summary>
/// Retry with backoff for throttled calls, shared by the aws and kubectl transports. Only throttling is
/// retried: a denial, a missing login or a timeout will not change in a second, and a timeout already
/// used up the call's time.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan FirstDelay)
{
    public static readonly RetryPolicy Default = new(4, TimeSpan.FromMilliseconds(500));

    public TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromMilliseconds(FirstDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.75 + Random.Shared.NextDouble() * 0.5));

    internal async Task<CommandResult> RunAsync(Func<Task<CommandResult>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await call();
            if (attempt >= Attempts || LiveErrorClassifier.Classify(result)?.Kind != LiveErrorKind.Throttled) return result;
            await Task.Delay(DelayBefore(attempt), ct);
        }
    }
}
