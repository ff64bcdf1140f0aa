using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>A response as the assertions see it: status, headers (case-insensitive), body text, JSON when it parses.</summary>
public sealed class HttpResponseData
{
    private readonly Lazy<JsonNode?> _json;

    public HttpResponseData(int status, IReadOnlyDictionary<string, string> headers, string body, TimeSpan duration)
    {
        Status = status;
        Headers = headers;
        Body = body;
        Duration = duration;
        _json = new Lazy<JsonNode?>(() =>
        {
            if (string.IsNullOrWhiteSpace(body)) return null;
            // Dates stay strings: "2026-12-01T10:00:00" must compare equal to the same text in a flow, not to a DateTime.
            try { return ParseJson(body); }
            catch (JsonException) { return null; }
        });
    }

    public int Status { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }
    public string Body { get; }
    public TimeSpan Duration { get; }
    public JsonNode? Json => _json.Value;

    // A probe's answer (exec, sql, aws, kube) reuses this shape: Body is the command's stdout (or the rows
    // as JSON), so json/capture work unchanged; these say what only a probe has.
    public int? ExitCode { get; init; }
    public string? Stderr { get; init; }
    public int? RowCount { get; init; }

    /// <summary>How the report names the answer: "exit 0", "3 rows"; null for HTTP (the status is shown).</summary>
    public string? Outcome { get; init; }

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>One JSON value (comments allowed); text after it is an error. Throws <see cref="JsonException"/>.</summary>
    public static JsonNode? ParseJson(string text) => JsonNode.Parse(text, documentOptions: Lenient);

    public string Excerpt(int max = 600)
    {
        var text = Json is { } json ? FlowJson.Compact(json) : Body;
        if (ExitCode is not (null or 0) && !string.IsNullOrWhiteSpace(Stderr))
            text = (text.Length > 0 ? text.TrimEnd() + " | " : "") + "stderr: " + Stderr.Trim();
        return text.Length <= max ? text : text[..max] + $"... ({text.Length} characters)";
    }
}

/// <summary>The request as it was sent, after variables were filled in (for reports; scrubbed before printing).</summary>
public sealed record SentRequest(string Method, string Url);

/// <summary>
/// A probe got an answer that settles the step at once, whatever the poll says: a query the database
/// rejected, credentials it refused. Not retried; <see cref="Code"/> is the step's exit code.
/// </summary>
public sealed class StepFailure(string message, VerifyExitCode code) : Exception(message)
{
    public VerifyExitCode Code { get; } = code;
}

/// <summary>No HTTP response at all: refused, unresolvable, reset, or timed out. Exit code 4 territory.</summary>
public sealed class ConnectFailure(string message, Exception? inner = null, bool noAnswerInTime = false) : Exception(message, inner)
{
    /// <summary>The service was reached but did not answer before the time allowed (not refused, not unresolvable).</summary>
    public bool NoAnswerInTime { get; } = noAnswerInTime;
}
