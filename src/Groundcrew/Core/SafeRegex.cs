using System.Text.RegularExpressions;

namespace Groundcrew.Core;

/// <summary>
/// How every pattern that reads scanned input is compiled. The non-backtracking engine matches in time linear in the
/// input whatever the pattern, so it cannot time out: a value of 100k repeated characters costs 100k steps, not 10^10.
/// Patterns that need what only the backtracking engine offers (lookarounds, backreferences, atomic groups) fall back to it
/// with <see cref="Limits.RegexTimeout"/>, and their callers bound the input with <see cref="Bound"/>.
/// </summary>
public static class SafeRegex
{
    /// <summary>A linear pattern when the syntax allows, else a backtracking one with the regex timeout.</summary>
    public static Regex Create(string pattern, RegexOptions options = RegexOptions.CultureInvariant)
    {
        try { return new Regex(pattern, options | RegexOptions.NonBacktracking); }
        catch (NotSupportedException) { return new Regex(pattern, options, Limits.RegexTimeout); }
    }

    /// <summary>Whether a compiled pattern is linear (the non-backtracking engine).</summary>
    public static bool IsLinear(Regex regex) => (regex.Options & RegexOptions.NonBacktracking) != 0;

    /// <summary>The text to run <paramref name="regex"/> over: all of it for a linear pattern, a bounded prefix for a backtracking one.</summary>
    public static string Input(Regex regex, string text) => IsLinear(regex) ? text : Bound(text);

    /// <summary>The input a backtracking pattern may see: its first <see cref="Limits.MaxRegexInputChars"/> characters.</summary>
    public static string Bound(string input) => input.Length <= Limits.MaxRegexInputChars ? input : input[..Limits.MaxRegexInputChars];
}

/// <summary>
/// A data-file pattern made linear even when it is written with a leading <c>(?&lt;![class])</c> and a trailing
/// <c>(?![class])</c> (word-boundary style lookarounds, which the non-backtracking engine lacks): the core runs on the
/// linear engine and the two one-character boundaries are checked in code. Any other lookaround keeps the backtracking
/// engine over bounded input (<see cref="SafeRegex"/>).
/// </summary>
public sealed class LinearPattern
{
    private static readonly Regex Boundaries = new(@"^(?<flags>\(\?[imnsx]+\))?(?:\(\?<!(?<before>\[[^\]]+\])\))?(?<core>.*?)(?:\(\?!(?<after>\[[^\]]+\])\))?$",
        RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly Regex _core;
    private readonly Regex? _before, _after;

    public LinearPattern(string pattern, RegexOptions options = RegexOptions.CultureInvariant)
    {
        var m = Boundaries.Match(pattern);
        var flags = m.Groups["flags"].Value;
        var core = m.Success ? flags + m.Groups["core"].Value : pattern;
        _core = SafeRegex.Create(m.Success && SafeRegex.IsLinear(SafeRegex.Create(core, options)) ? core : pattern, options);
        if (SafeRegex.IsLinear(_core) && m.Success)
        {
            if (m.Groups["before"].Success) _before = new Regex(flags + m.Groups["before"].Value, options | RegexOptions.NonBacktracking);
            if (m.Groups["after"].Success) _after = new Regex(flags + m.Groups["after"].Value, options | RegexOptions.NonBacktracking);
        }
    }

    private const int MaxBoundaryRetries = 64;

    public bool IsLinear => SafeRegex.IsLinear(_core);

    /// <summary>The first match whose neighbours satisfy the boundaries (as the lookaround pattern would find it).</summary>
    public Match Match(string text)
    {
        var input = SafeRegex.Input(_core, text);
        var at = 0;
        // Each retry may rescan a long match: after this many near misses the value is taken as not matching (linear overall).
        for (var tries = 0; at <= input.Length && tries < MaxBoundaryRetries; tries++)
        {
            var m = _core.Match(input, at);
            if (!m.Success) return m;
            var end = m.Index + m.Length;
            var beforeOk = _before == null || m.Index == 0 || !_before.IsMatch(input.AsSpan(m.Index - 1, 1));
            var afterOk = _after == null || end >= input.Length || !_after.IsMatch(input.AsSpan(end, 1));
            if (beforeOk && afterOk) return m;
            at = m.Index + 1;
        }
        return System.Text.RegularExpressions.Match.Empty;
    }

    public bool IsMatch(string text) => Match(text).Success;
}
