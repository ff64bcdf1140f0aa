using System.Text.RegularExpressions;

namespace Groundcrew.Discover;

/// <summary>
/// The subset of gitignore semantics that matters for choosing files to scan: globs with *, ** and ?,
/// anchored patterns (containing a slash), directory-only patterns (trailing slash) and negation (!).
/// One instance per .gitignore file; patterns are relative to that file's folder.
/// </summary>
public sealed class GitIgnore
{
    private readonly List<(Groundcrew.Core.SafeRegex Regex, bool Negate, bool DirOnly)> _rules = new();

    public string BaseDirectory { get; }

    public GitIgnore(string baseDirectory, IEnumerable<string> lines)
    {
        BaseDirectory = baseDirectory;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var negate = line.StartsWith('!');
            if (negate) line = line[1..];
            var dirOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            if (line.Length == 0) continue;
            var anchored = line.Contains('/');
            line = line.TrimStart('/');
            // A pattern git would treat oddly (`[]`, `[z-a]`) must not stop the scan: it is skipped.
            if (TryCompile(GlobToRegex(line, anchored)) is { } regex) _rules.Add((regex, negate, dirOnly));
        }
    }

    public static GitIgnore? FromFile(string path)
    {
        try { return new GitIgnore(Path.GetDirectoryName(path)!, File.ReadAllLines(path)); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>null when no pattern speaks about the path; true/false when the last matching pattern ignores/re-includes it.</summary>
    public bool? Decide(string relativePath, bool isDirectory)
    {
        bool? result = null;
        foreach (var (regex, negate, dirOnly) in _rules)
        {
            if (dirOnly && !isDirectory) continue;
            if (regex.IsMatch(relativePath)) result = !negate;
        }
        return result;
    }

    /// <summary>
    /// Compiled with the non-backtracking engine: a glob such as <c>*a*a*a*a*a*a*a*a*a*a*a*b</c> (from the scanned repository's
    /// own .gitignore or config) on a long name took exponential time with the backtracking one. This one is linear in the path.
    /// </summary>
    public static Groundcrew.Core.SafeRegex? TryCompile(string pattern)
    {
        try { return new Groundcrew.Core.SafeRegex(pattern, RegexOptions.CultureInvariant); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>Translate one gitignore glob to a regex over '/'-separated relative paths.</summary>
    public static string GlobToRegex(string glob, bool anchored)
    {
        var sb = new System.Text.StringBuilder(anchored ? "^" : "(^|/)");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*')
            {
                if (i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < glob.Length && glob[i + 1] == '/') { i++; sb.Append("(.*/)?"); }
                    else sb.Append(".*");
                }
                else sb.Append("[^/]*");
            }
            else if (c == '?') sb.Append("[^/]");
            else if (c == '[')
            {
                var close = glob.IndexOf(']', i + 1);
                if (close < 0) sb.Append("\\[");
                else { sb.Append('[').Append(glob[(i + 1)..close].Replace("!", "^").Replace("\\", "\\\\")).Append(']'); i = close; }
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append("$");
        return sb.ToString();
    }
}
