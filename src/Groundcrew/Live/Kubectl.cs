namespace Groundcrew.Live;

/// <summary>Which cluster: kubeconfig file and context passed to kubectl as its own flags, so EKS exec auth works as for the user.</summary>
public sealed record ClusterTarget(string? Kubeconfig = null, string? Context = null, string Executable = "kubectl")
{
    public IEnumerable<string> GlobalArgs()
    {
        if (Kubeconfig is { Length: > 0 }) { yield return "--kubeconfig"; yield return Kubeconfig; }
        if (Context is { Length: > 0 }) { yield return "--context"; yield return Context; }
    }
}

/// <summary>kubectl as a JSON transport: `-o json`, a server-side request timeout inside our own bound, classified errors.</summary>
public sealed class Kubectl(ICommandRunner runner, ClusterTarget target, TimeSpan? callTimeout = null, RetryPolicy? retry = null)
{
    private readonly TimeSpan _timeout = callTimeout ?? CommandRunnerExtensions.DefaultTimeout;
    private readonly RetryPolicy _retry = retry ?? RetryPolicy.Default;

    public ClusterTarget Target => target;

    /// <summary>`kubectl get RESOURCE [ARGS...] -o json`, optionally in one namespace (null: all namespaces).</summary>
    public async Task<LiveCall> GetAsync(string resource, string? ns, IReadOnlyList<string>? args = null, CancellationToken ct = default)
    {
        List<string> all = ["get", resource, .. args ?? [], .. ns is null ? ["--all-namespaces"] : new[] { "--namespace", ns },
            "-o", "json", $"--request-timeout={Math.Max(1, (int)_timeout.TotalSeconds - 1)}s", .. target.GlobalArgs()];
        var result = await _retry.RunAsync(() => runner.RunAsync(target.Executable, all, _timeout, ct), ct);
        return LiveCall.From(result);
    }

    /// <summary>Any other kubectl command whose plain output is wanted (logs).</summary>
    public Task<CommandResult> RunAsync(IReadOnlyList<string> args, CancellationToken ct = default) =>
        runner.RunAsync(target.Executable, [.. args, .. target.GlobalArgs()], _timeout, ct);
}
