using System.Text.RegularExpressions;

namespace Groundcrew.Core;

/// <summary>
/// Keeps secret values out of every output. Two layers: patterns that are secret on sight
/// (passwords inside URIs, AWS keys, well-known token formats), and exact values a rule or a
/// flow file declared secret at run time. Every reporter passes its text through <see cref="Scrub"/>.
/// </summary>
public sealed partial class Redactor
{
    public const string Mask = "****";

    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private string[] _ordered = [];

    /// <summary>Register a value that must never be printed (ignored when too short to be meaningful).</summary>
    public void Add(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 4) return;
        lock (_gate)
        {
            if (_known.Add(value))
                _ordered = _known.OrderByDescending(v => v.Length).ToArray();
        }
    }

    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = ScrubPatterns(text);
        foreach (var value in _ordered)
            if (result.Contains(value, StringComparison.Ordinal))
                result = result.Replace(value, Mask, StringComparison.Ordinal);
        return result;
    }

    /// <summary>Pattern-only scrubbing, for places without a run-time redactor.</summary>
    public static string ScrubPatterns(string text)
    {
        text = UriPassword().Replace(text, m => m.Groups["pre"].Value + Mask + "@");
        text = AwsSecretAssignment().Replace(text, m => m.Groups["pre"].Value + Mask);
        text = KnownToken().Replace(text, m => m.Value[..Math.Min(4, m.Value.Length)] + Mask);
        text = BearerToken().Replace(text, m => m.Groups["pre"].Value + Mask);
        return text;
    }

    /// <summary>A short, safe description of a secret value: its length and nothing else.</summary>
    public static string Describe(string value) => $"<redacted, {value.Length} characters>";

    // scheme://user:password@host -> scheme://user:****@host
    [GeneratedRegex(@"(?<pre>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s""']+:)(?<pw>[^@\s""'/]+)@")]
    private static partial Regex UriPassword();

    // aws_secret_access_key = xxx, AWS_SECRET_ACCESS_KEY: xxx, "SecretAccessKey": "xxx"
    [GeneratedRegex(@"(?<pre>(?i:aws_secret_access_key|secretaccesskey|aws_session_token|sessiontoken)[""']?\s*[:=]\s*[""']?)[A-Za-z0-9/+=]{16,}")]
    private static partial Regex AwsSecretAssignment();

    // AKIA/ASIA access keys, GitHub, Slack, Stripe, OpenAI-style, Google API keys, JWTs.
    [GeneratedRegex(@"\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abpr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})")]
    private static partial Regex KnownToken();

    [GeneratedRegex(@"(?<pre>(?i:authorization:\s*bearer\s+|bearer\s+))[A-Za-z0-9._~+/=-]{12,}")]
    private static partial Regex BearerToken();
}
