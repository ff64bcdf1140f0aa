using System.Text.RegularExpressions;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Re-joins lines a tool's output wrapped, so a message split across them matches as one line. Two kinds:
/// word wraps inside a block that shares one frame and indent (Terraform's `│ ` diagnostics, Pulumi's indented
/// `error:` blocks): a line is continued when the next line's first word would not have fitted on it; and hard wraps at
/// the terminal width (the longest line is exactly 80, 100, 120, ... columns long, continued at column 0). A line that starts a new record (a timestamp, a bullet, `[`, `{`, an event row, the same
/// first word as the line before) is never joined, so unrelated lines stay apart. Each joined line keeps the number of
/// its first source line.
/// </summary>
internal static partial class WrappedLines
{
    private const int MinWrappedLength = 60;
    private static readonly int[] TerminalWidths = [80, 100, 120, 132, 140, 160, 180, 200, 240];

    public static (string[] Lines, int[] FirstLine) Join(string[] lines)
    {
        var hardWidth = HardWrapWidth(lines);
        var blockWidth = BlockWidths(lines);
        var joined = new List<string>(lines.Length);
        var first = new List<int>(lines.Length);
        var i = 0;
        while (i < lines.Length)
        {
            var current = lines[i].TrimEnd();
            var start = i;
            while (i + 1 < lines.Length)
            {
                var last = lines[i].TrimEnd();
                var next = lines[i + 1];
                if (IsHardWrap(last, next, hardWidth)) { current += next.TrimEnd(); i++; continue; }
                // The width of the block this line is in: the longest line with the same frame and indent from here on.
                if (IsWordWrap(last, next, blockWidth[i])) { current += " " + Body(next).Trim(); i++; continue; }
                break;
            }
            joined.Add(current);
            first.Add(start + 1);
            i++;
        }
        return (joined.ToArray(), first.ToArray());
    }

    // One backward pass: a line's block runs on while the next line is non-empty with the same frame and indent.
    private static int[] BlockWidths(string[] lines)
    {
        var widths = new int[lines.Length];
        string? nextFrame = null;
        var nextIndent = -1;
        for (var j = lines.Length - 1; j >= 0; j--)
        {
            var l = lines[j].TrimEnd();
            var body = Body(l);
            var frame = Frame(l);
            var indent = Indent(body);
            var empty = body.Trim().Length == 0;
            widths[j] = empty ? 0
                : j + 1 < lines.Length && widths[j + 1] > 0 && frame == nextFrame && indent == nextIndent ? Math.Max(l.Length, widths[j + 1])
                : l.Length;
            (nextFrame, nextIndent) = empty ? (null, -1) : (frame, indent);
        }
        return widths;
    }

    private static bool IsWordWrap(string line, string next, int blockWidth)
    {
        if (line.Length < MinWrappedLength || blockWidth < MinWrappedLength) return false;
        if (Frame(line) != Frame(next) || Indent(Body(line)) != Indent(Body(next))) return false;
        var nextBody = Body(next).Trim();
        if (nextBody.Length == 0 || StartsRecord(nextBody) || SameFirstWord(Body(line).Trim(), nextBody)) return false;
        if (EndsSentence(line) && char.IsUpper(nextBody[0])) return false;
        var firstWord = nextBody.Split(' ', 2)[0];
        return line.Length + 1 + firstWord.Length > blockWidth;
    }

    private static bool IsHardWrap(string line, string next, int hardWidth)
    {
        // A terminal cuts at its width without repeating a frame; framed output (Terraform's bars) wraps words instead.
        if (hardWidth == 0 || line.Length != hardWidth || Frame(line).Length > 0 || Frame(next).Length > 0) return false;
        var body = next.TrimEnd();
        return body.Length > 0 && !char.IsWhiteSpace(body[0]) && !StartsRecord(body) && !SameFirstWord(line.Trim(), body);
    }

    // A width at which lines were cut: the longest line, when that is a terminal width. (Log lines often share a longest
    // length by chance, so a shared length alone is no evidence of a cut.)
    private static int HardWrapWidth(string[] lines)
    {
        var max = lines.Length == 0 ? 0 : lines.Max(l => l.TrimEnd().Length);
        return TerminalWidths.Contains(max) ? max : 0;
    }

    private static string Frame(string line) => FramePrefix().Match(line).Groups["frame"].Value;

    private static string Body(string line) => line[FramePrefix().Match(line).Length..];

    private static int Indent(string body) => body.Length - body.TrimStart().Length;

    private static bool EndsSentence(string line) => line.Length > 0 && line[^1] is '.' or '!' or '?' or ':';

    private static bool SameFirstWord(string a, string b) => a.Split(' ', 2)[0] == b.Split(' ', 2)[0];

    private static bool StartsRecord(string body) => RecordStart().IsMatch(body);

    // Terraform frames diagnostics with box-drawing bars; the frame is kept apart from the text's own indent.
    [GeneratedRegex(@"^(?:(?<frame>[│┃|╷╵]) ?)?")]
    private static partial Regex FramePrefix();

    [GeneratedRegex(@"^(?:\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d|[IWEF]\d{4} |\[|\{|[-*•#>+~]\s|\d+[.:)]\s|(?:Error|Warning|error|warning)[: ]|(?:Warning|Normal)\s|[A-Z][\w.]*(?:Error|Exception)\b)")]
    private static partial Regex RecordStart();
}
