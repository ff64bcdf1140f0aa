using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Groundcrew.Verify.Flows;

/// <summary>Gives a local base URL (http://127.0.0.1:PORT) that reaches a cluster service.</summary>
public interface IPortForwarder
{
    Task<Uri> GetLocalBaseAsync(KubeTarget target, CancellationToken ct);
}

/// <summary>The pieces of `kubectl port-forward` that are pure functions, kept apart so they are tested without a cluster.</summary>
public static partial class PortForwardCommand
{
    /// <summary>Local port 0 (":PORT") lets kubectl pick a free port; it prints which one.</summary>
    public static IReadOnlyList<string> Arguments(KubeTarget target)
    {
        var args = new List<string> { "port-forward", target.Resource, ":" + target.Port, "--address", "127.0.0.1" };
        if (target.Namespace is { Length: > 0 } ns) args.AddRange(["--namespace", ns]);
        if (target.Context is { Length: > 0 } context) args.AddRange(["--context", context]);
        return args;
    }

    /// <summary>Parses "Forwarding from 127.0.0.1:41234 -> 8080".</summary>
    public static int? ParseLocalPort(string line)
    {
        var m = Forwarding().Match(line);
        return m.Success ? int.Parse(m.Groups[1].Value) : null;
    }

    /// <summary>
    /// Points a step's URL at the forwarded port. A relative URL ("/api/status") gets the local base;
    /// an absolute one keeps its path and query but loses its host (often the in-cluster DNS name).
    /// </summary>
    public static string RewriteUrl(string url, Uri localBase)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            return new UriBuilder(absolute) { Scheme = localBase.Scheme, Host = localBase.Host, Port = localBase.Port }.Uri.ToString();
        return localBase.GetLeftPart(UriPartial.Authority) + (url.StartsWith('/') ? url : "/" + url);
    }

    [GeneratedRegex(@"Forwarding from 127\.0\.0\.1:(\d+)")]
    private static partial Regex Forwarding();
}

/// <summary>
/// Runs one `kubectl port-forward` per distinct target for the whole verify run and stops them all
/// at the end, so a 13-step flow through one service opens one tunnel, not thirteen.
/// </summary>
public sealed class KubePortForwarder(string kubectl, TimeSpan? startTimeout = null) : IPortForwarder, IAsyncDisposable
{
    private readonly ConcurrentDictionary<KubeTarget, Lazy<Task<(Process Process, Uri Base)>>> _forwards = new();
    private readonly TimeSpan _startTimeout = startTimeout ?? TimeSpan.FromSeconds(30);

    public async Task<Uri> GetLocalBaseAsync(KubeTarget target, CancellationToken ct) =>
        (await _forwards.GetOrAdd(target, t => new Lazy<Task<(Process, Uri)>>(() => StartAsync(t, ct))).Value).Base;

    private async Task<(Process, Uri)> StartAsync(KubeTarget target, CancellationToken ct)
    {
        var info = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in PortForwardCommand.Arguments(target)) info.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(info)!; }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            throw new ConnectFailure($"cannot run '{kubectl}' for port-forward: {ex.Message}");
        }

        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null && PortForwardCommand.ParseLocalPort(e.Data) is { } p) port.TrySetResult(p);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync(ct);
        var winner = await Task.WhenAny(port.Task, exited, Task.Delay(_startTimeout, ct));
        if (winner == port.Task)
            return (process, new Uri($"http://127.0.0.1:{port.Task.Result}"));

        Stop(process);
        string why;
        lock (errors) why = errors.ToString().Trim();
        throw new ConnectFailure($"kubectl port-forward {target.Resource}:{target.Port} did not start" +
                                 (why.Length > 0 ? $": {why}" : $" within {Duration.Format(_startTimeout)}"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var forward in _forwards.Values)
        {
            if (!forward.IsValueCreated) continue;
            try { Stop((await forward.Value).Process); }
            catch (ConnectFailure) { /* it never started; nothing to stop */ }
        }
    }

    private static void Stop(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
        process.Dispose();
    }
}
