using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Verify.Flows;

/// <summary>A response as the assertions see it: status, headers (case-insensitive), body text, JSON when it parses.</summary>
public sealed class HttpResponseData
{
    private readonly Lazy<JToken?> _json;

    public HttpResponseData(int status, IReadOnlyDictionary<string, string> headers, string body, TimeSpan duration)
    {
        Status = status;
        Headers = headers;
        Body = body;
        Duration = duration;
        _json = new Lazy<JToken?>(() =>
        {
            if (string.IsNullOrWhiteSpace(body)) return null;
            try { return JToken.Parse(body); }
            catch (JsonException) { return null; }
        });
    }

    public int Status { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }
    public string Body { get; }
    public TimeSpan Duration { get; }
    public JToken? Json => _json.Value;

    public string Excerpt(int max = 600)
    {
        var text = Json?.ToString(Formatting.None) ?? Body;
        return text.Length <= max ? text : text[..max] + $"... ({text.Length} characters)";
    }
}

/// <summary>The request as it was sent, after variables were filled in (for reports; scrubbed before printing).</summary>
public sealed record SentRequest(string Method, string Url);

/// <summary>No HTTP response at all: refused, unresolvable, reset, or timed out. Exit code 4 territory.</summary>
public sealed class ConnectFailure(string message, Exception? inner = null, bool noAnswerInTime = false) : Exception(message, inner)
{
    /// <summary>The service was reached but did not answer before the time allowed (not refused, not unresolvable).</summary>
    public bool NoAnswerInTime { get; } = noAnswerInTime;
}
