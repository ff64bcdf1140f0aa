using System.Globalization;
using System.Text.RegularExpressions;

namespace Groundcrew.Verify.Flows;

/// <summary>Durations as people write them in YAML: 500ms, 2s, 1m, 1m30s, 1h. A bare number means seconds.</summary>
public static partial class Duration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return seconds >= 0;
        }
        var match = Parts().Match(text);
        if (!match.Success) return false;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var m = Part().Match(part.Value);
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }
        return true;
    }

    public static TimeSpan Parse(string text, string what) =>
        TryParse(text, out var value) ? value : throw new FlowFileException($"{what}: '{text}' is not a duration (use 500ms, 2s, 1m, 1m30s)");

    public static string Format(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0}ms"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0.#}s"
        : $"{(int)t.TotalMinutes}m{t.Seconds:00}s";

    [GeneratedRegex(@"^(?<part>[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h))+$")]
    private static partial Regex Parts();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$")]
    private static partial Regex Part();
}
