using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Errors pasted from JSON logs (Docker's json-file, CloudWatch exports, `terraform -json`, an ECS `stoppedReason`
/// copied from describe-tasks) carry JSON string escapes: `\"image\"`, `\u0027`, `\u003c`, twice over when a JSON log
/// line was itself stored as a JSON string. Patterns are written for the text people read, so a line with such escapes
/// is decoded before matching. `\n`, `\r` and `\t` become spaces: the line stays one line, so line numbers do not move.
/// </summary>
internal static partial class JsonEscapes
{
    private const int MaxPasses = 3;

    public static string Decode(string line)
    {
        for (var pass = 0; pass < MaxPasses && HasEscapes(line); pass++) line = DecodeOnce(line);
        return line;
    }

    // Only a quote or a \uXXXX escape says "JSON string"; a lone backslash (a Windows path, a regex) is left alone.
    private static bool HasEscapes(string line) => line.Contains("\\\"", StringComparison.Ordinal) || UnicodeEscape().IsMatch(line);

    private static string DecodeOnce(string line)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c != '\\' || i + 1 >= line.Length) { sb.Append(c); continue; }
            var next = line[i + 1];
            switch (next)
            {
                case '"' or '\\' or '/': sb.Append(next); i++; break;
                case 'n' or 'r' or 't': sb.Append(' '); i++; break;
                case 'b' or 'f': i++; break;
                case 'u' when IsHex4(line, i + 2):
                    var code = int.Parse(line.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    // A control character would break the line the way \n would; keep the text on one line.
                    sb.Append(code < 0x20 ? ' ' : (char)code);
                    i += 5;
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    private static bool IsHex4(string s, int start)
    {
        if (start + 4 > s.Length) return false;
        for (var k = start; k < start + 4; k++)
            if (!Uri.IsHexDigit(s[k])) return false;
        return true;
    }

    [GeneratedRegex(@"\\u[0-9a-fA-F]{4}")]
    private static partial Regex UnicodeEscape();
}
