using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>A flow file after includes were expanded: every step it runs, in order.</summary>
public sealed record Flow(
    string Name,
    string File,
    IReadOnlyDictionary<string, JsonNode?> Vars,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<Step> Steps);

/// <summary>
/// One step: an HTTP <see cref="Request"/>, or a <see cref="Probe"/> (exec, sql, aws, kube) whose answer is
/// asserted, polled and captured from the same way. Exactly one of the two is set.
/// </summary>
public sealed record Step(
    string Name,
    RequestSpec? Request,
    Expectation? Expect,
    IReadOnlyList<CaptureSpec> Captures,
    PollSpec? Poll,
    KubeTarget? Target,
    string File,
    int? Line,
    Steps.ProbeSpec? Probe = null);

/// <summary>One HTTP request. Every string may hold {{variables}}; they are resolved when the step runs.</summary>
public sealed record RequestSpec(
    string Method,
    string Url,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    JsonNode? Json,
    string? Body,
    IReadOnlyDictionary<string, string>? Form,
    string? Timeout,
    bool Insecure);

/// <summary>
/// What a response must look like. Expected values stay JSON tokens until the step runs,
/// so they can hold variables captured by earlier steps.
/// </summary>
public sealed record Expectation(
    JsonNode? Status,
    IReadOnlyDictionary<string, JsonNode?> Headers,
    IReadOnlyDictionary<string, JsonNode?> Json,
    JsonNode? Body,
    JsonNode? DurationMs,
    JsonNode? ExitCode = null,
    JsonNode? Stdout = null,
    JsonNode? Stderr = null,
    JsonNode? RowCount = null)
{
    public bool IsEmpty => Status == null && Headers.Count == 0 && Json.Count == 0 && Body == null && DurationMs == null
                           && ExitCode == null && Stdout == null && Stderr == null && RowCount == null;
}

public enum CaptureSource { Json, Header, Body }

/// <summary>Stores a piece of a response as a variable for later steps; Regex, when set, takes group 1 (or the whole match).</summary>
public sealed record CaptureSpec(string Name, CaptureSource Source, string Expression, string? Regex);

/// <summary>Repeat the request until <see cref="Until"/> holds, stop early when <see cref="FailWhen"/> holds.</summary>
public sealed record PollSpec(Expectation Until, Expectation? FailWhen, string Timeout, string Interval);

/// <summary>A ClusterIP service reached through `kubectl port-forward` (E6).</summary>
public sealed record KubeTarget(string Resource, string Port, string? Namespace, string? Context);
