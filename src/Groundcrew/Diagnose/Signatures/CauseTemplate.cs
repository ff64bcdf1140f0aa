using System.Text.RegularExpressions;

namespace Groundcrew.Diagnose.Signatures;

/// <summary>
/// Causes and fixes name what the input showed, not what some earlier report showed: `{{image|the image}}` in a
/// signature's text becomes the captured `image` (quoted as code) when the pattern that matched captured one, and the
/// fallback words ("the image") when it did not (and in the generated docs). `{{.Architecture}}` and other braces that do
/// not start with a capture name are left alone (Go templates in fix commands).
/// </summary>
public static partial class CauseTemplate
{
    /// <summary>The text with each placeholder replaced by its capture, or by its fallback when nothing was captured.</summary>
    public static string Render(string text, IReadOnlyDictionary<string, string>? captures) =>
        Placeholder().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            var shown = captures != null && captures.TryGetValue(name, out var value) && value.Length > 0 ? Code(value) : Fallback(m);
            // `{{key|}}` with nothing captured vanishes together with the space before it.
            return shown.Length == 0 ? "" : m.Groups["space"].Value + shown;
        });

    /// <summary>The text as it reads when nothing was captured (docs, `--list-signatures`).</summary>
    public static string Generic(string text) => Render(text, null);

    /// <summary>The capture names a text refers to, so a typo in a signature file fails at load time.</summary>
    public static IEnumerable<string> Names(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups["name"].Value);

    private static string Fallback(Match m) =>
        m.Groups["fallback"].Success ? m.Groups["fallback"].Value : m.Groups["name"].Value;

    // Inline code cannot hold a backtick; a value with one is shown in quotes instead.
    private static string Code(string value) => value.Contains('`') ? $"\"{value}\"" : $"`{value}`";

    [GeneratedRegex(@"(?<space> ?)\{\{(?<name>[A-Za-z][A-Za-z0-9]*)(?:\|(?<fallback>[^{}]*))?\}\}")]
    private static partial Regex Placeholder();
}
