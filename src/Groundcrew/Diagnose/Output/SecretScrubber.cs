using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Diagnose.Output;

/// <summary>
/// What diagnose prints is quoted from logs, and logs hold secrets. On top of the shared
/// <see cref="Redactor"/> patterns (passwords in URIs, AWS keys, known token formats), this masks values
/// assigned to secret-looking names (`DB_PASSWORD=...`, `"apiKey": "..."`), which env dumps and
/// config echoes print, while keeping ARNs (`...:secret:name`) that are evidence, not secrets.
/// </summary>
public static partial class SecretScrubber
{
    public static string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var scrubbed = Redactor.ScrubPatterns(text);
        return SecretAssignment().Replace(scrubbed, m => m.Groups["key"].Value + Redactor.Mask);
    }

    // A name containing password/secret/token/api key, then = or : on the same line, then a value of 4+ characters.
    // (?<![:/]) keeps ARNs and paths (`:secret:db-AbCdEf`, `/secret/`) intact.
    [GeneratedRegex(@"(?<key>(?<![:/\w-])[\w.-]*(?i:password|passwd|secret|token|api[_-]?key)[\w.-]*[""']?[ \t]*[:=][ \t]*[""']?)(?<value>(?!\*\*\*\*)[^\s""',;&{\[]{4,})")]
    private static partial Regex SecretAssignment();
}
