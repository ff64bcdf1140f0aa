using System.Text;

namespace Groundcrew.Load;

/// <summary>
/// YamlDotNet follows the YAML spec more strictly than the go-yaml/libyaml parsers that kubectl and the
/// API server use, and rejects two shapes real manifests contain (both seen in the shared corpus: Istio's
/// loki.yaml and Kafka manifests). When a load fails with one of these errors, the text is repaired without
/// changing its value or its line numbers, and loaded again:
/// - a block scalar whose leading blank line holds more spaces than the content ("extra spaces in first line"):
///   whitespace-only lines are emptied;
/// - a multi-line quoted scalar whose continuation lines are indented less than its parent ("found wrong
///   indentation"): the continuation lines are indented further (quoted scalars fold leading white space away).
/// </summary>
internal static class YamlLeniency
{
    public static string? TryRepair(string text, string message, int errorLine)
    {
        if (message.Contains("extra spaces in first line", StringComparison.Ordinal))
            return BlankWhitespaceOnlyLines(text);
        if (message.Contains("quoted scalar", StringComparison.Ordinal) && message.Contains("indentation", StringComparison.Ordinal))
            return IndentQuotedContinuation(text, errorLine);
        return null;
    }

    private static string? BlankWhitespaceOnlyLines(string text)
    {
        var lines = text.Split('\n');
        var changed = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var body = lines[i].TrimEnd('\r');
            if (body.Length > 0 && body.Trim().Length == 0)
            {
                lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
                changed = true;
            }
        }
        return changed ? string.Join('\n', lines) : null;
    }

    private static string? IndentQuotedContinuation(string text, int errorLine)
    {
        var lines = text.Split('\n');
        var first = errorLine - 1;
        if (first < 0 || first >= lines.Length) return null;
        // The line that opened the scalar: the nearest earlier line with an odd number of unescaped quotes.
        var open = -1;
        char quote = '"';
        // YamlDotNet reports the line where the scalar starts; look there first, then above.
        for (var i = first; i >= 0 && i >= first - 200; i--)
        {
            if (CountQuotes(lines[i], '"') % 2 == 1) { open = i; quote = '"'; break; }
            if (CountQuotes(lines[i], '\'') % 2 == 1) { open = i; quote = '\''; break; }
        }
        if (open < 0) return null;
        var indent = new string(' ', lines[open].Length - lines[open].TrimStart(' ').Length + 2);
        for (var i = open + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length > 0) lines[i] = indent + lines[i].TrimStart(' ');
            if (CountQuotes(lines[i], quote) % 2 == 1) return string.Join('\n', lines);
        }
        // No closing quote: not the shape this repairs (an apostrophe in a plain value, say); leave the error.
        return null;
    }

    private static int CountQuotes(string line, char quote)
    {
        var n = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && quote == '"') { i++; continue; }
            if (line[i] == '#' && (i == 0 || line[i - 1] == ' ') && n % 2 == 0) break; // a comment
            if (line[i] == quote) n++;
        }
        return n;
    }
}
