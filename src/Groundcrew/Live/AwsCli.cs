namespace Groundcrew.Live;

/// <summary>
/// Where aws calls go: the user's profile, region and endpoint, passed through to the aws CLI as its own
/// options so that SSO, credential processes and profiles work exactly as they do for the user.
/// </summary>
public sealed record AwsTarget(string? Profile = null, string? Region = null, string? EndpointUrl = null, string Executable = "aws")
{
    public IEnumerable<string> GlobalArgs()
    {
        if (Profile is { Length: > 0 }) { yield return "--profile"; yield return Profile; }
        if (Region is { Length: > 0 }) { yield return "--region"; yield return Region; }
        if (EndpointUrl is { Length: > 0 }) { yield return "--endpoint-url"; yield return EndpointUrl; }
    }
}

/// <summary>
/// The aws CLI (v1 or v2) as a JSON transport: `--output json` always, bounded time per call, throttling
/// retried with backoff, every failure classified, and the action of every call kept for the policy test.
/// </summary>
public sealed class AwsCli(ICommandRunner runner, AwsTarget target, TimeSpan? callTimeout = null, RetryPolicy? retry = null)
{
    private readonly TimeSpan _timeout = callTimeout ?? CommandRunnerExtensions.DefaultTimeout;
    private readonly RetryPolicy _retry = retry ?? RetryPolicy.Default;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _actions = new(StringComparer.OrdinalIgnoreCase);

    public AwsTarget Target => target;

    /// <summary>The IAM actions of every call made so far (`iam:ListRoles`, ...).</summary>
    public IReadOnlyCollection<string> Actions => _actions.Keys.ToList();

    /// <summary>`aws SERVICE OPERATION ARGS... --output json` with the target's options; a classified error instead of throwing.</summary>
    public async Task<LiveCall> CallAsync(string service, string operation, IReadOnlyList<string> args, CancellationToken ct = default)
    {
        _actions.TryAdd(AwsAction.Of(service, operation), 0);
        List<string> all = [service, operation, .. args, "--output", "json", .. target.GlobalArgs()];
        var result = await _retry.RunAsync(() => runner.RunAsync(target.Executable, all, _timeout, ct), ct);
        return LiveCall.From(result);
    }

    public Task<LiveCall> CallAsync(string service, string operation, params string[] args) =>
        CallAsync(service, operation, (IReadOnlyList<string>)args);
}
