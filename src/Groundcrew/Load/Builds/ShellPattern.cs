using Groundcrew.Core;
using System.Text.RegularExpressions;

namespace Groundcrew.Load.Builds;

/// <summary>One match of a <see cref="ShellPattern"/>: where the command is in the line, and its named groups.</summary>
public readonly record struct ShellMatch(int Index, int Length, string Value, Match Raw)
{
    public string Group(string name) => Raw.Groups[name].Value;
}

/// <summary>
/// A command pattern that must start, and optionally end, at a word boundary of shell words (`docker` but not `mydocker`,
/// `build` but not `build-arg`), on the linear engine. The backtracking form wrote the boundaries as lookarounds
/// (<c>(?&lt;![\w-])CORE(?![\w-])</c>), which the non-backtracking engine lacks; here each is one character matched around
/// the core (the line gets a space at each end, so the first and last word have one too), and the next search starts on the
/// boundary character the last match ended with, so "docker build;docker build" still finds both. Same matches, no timeout:
/// a line of 100k flags costs 100k steps, not 2^n.
/// </summary>
public sealed class ShellPattern
{
    private const string Boundary = @"[^\w-]";
    private readonly SafeRegex _regex;
    private readonly bool _endsAtBoundary;

    public ShellPattern(string core, bool endsAtBoundary)
    {
        _endsAtBoundary = endsAtBoundary;
        _regex = new SafeRegex(Boundary + "(?<cmd>" + core + ")" + (endsAtBoundary ? Boundary : ""), RegexOptions.CultureInvariant);
    }

    /// <summary>The pattern, linear-capable (what the audit asserts).</summary>
    public SafeRegex Pattern => _regex;

    public IEnumerable<ShellMatch> Matches(string line)
    {
        var padded = " " + line + " ";
        var at = 0;
        while (at < padded.Length)
        {
            var m = _regex.Match(padded, at);
            if (!m.Success) yield break;
            var cmd = m.Groups["cmd"];
            yield return new ShellMatch(cmd.Index - 1, cmd.Length, cmd.Value, m);
            // The boundary after the command may be the one before the next command.
            at = _endsAtBoundary ? cmd.Index + cmd.Length : m.Index + m.Length;
        }
    }

    public bool IsMatch(string line) => _regex.IsMatch(" " + line + " ");
}
