using System.Text.RegularExpressions;

namespace Groundcrew.Core;

/// <summary>
/// How every pattern that reads scanned input is run: it never takes more than linear time on hostile input, and it is
/// cheap to build. The non-backtracking engine is linear in the input whatever the pattern, but building it costs 1-40 ms
/// of CPU per pattern (the 232 data-file patterns cost every `diagnose` and `rules` process about a second, and every
/// `check` a third of one); the backtracking engine builds in microseconds and answers ordinary text as fast. So, as V8
/// does with its linear engine (https://v8.dev/blog/non-backtracking-regexp), a match runs first on the backtracking engine
/// within <see cref="Limits.QuickRegexBudget"/>; if it runs past that budget, the pattern moves to the linear engine for
/// good (built then) and the match is redone there. Both engines find the same matches (the backtracking one is the
/// reference the linear one follows), so the answer does not depend on which one gave it.
/// Patterns the linear engine cannot run (lookarounds, backreferences, atomic groups, conditionals) stay on the
/// backtracking engine with <see cref="Limits.RegexTimeout"/> over the first <see cref="Limits.MaxRegexInputChars"/>
/// characters of the input, and their callers catch the timeout.
/// </summary>
public sealed class SafeRegex
{
    // Constructs the non-backtracking engine rejects (https://learn.microsoft.com/dotnet/standard/base-types/regular-expression-options#nonbacktracking-mode).
    // Read from the pattern text, conservatively: an escaped "(?=" also counts, which only costs that pattern the bound.
    private static readonly Regex BacktrackingOnlySyntax = new(@"\(\?(?:[=!>(]|<[=!]|<\w+-\w*>|'\w+-\w*')|\\[1-9kG]",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly string _pattern;
    private readonly RegexOptions _options;
    private readonly Regex _quick;
    // Null until the quick engine first runs out of budget; then the linear engine, for good.
    private Regex? _fallback;

    public SafeRegex(string pattern, RegexOptions options = RegexOptions.CultureInvariant)
    {
        _pattern = pattern;
        _options = options & ~RegexOptions.NonBacktracking;
        NeedsBacktracking = BacktrackingOnlySyntax.IsMatch(pattern);
        // Throws ArgumentException for bad syntax here, at load, whichever engine later answers.
        _quick = new Regex(pattern, _options, NeedsBacktracking ? Limits.RegexTimeout : Limits.QuickRegexBudget);
    }

    /// <summary>
    /// A pattern whose quick engine is source-generated (<c>[GeneratedRegex(..., Limits.QuickRegexBudgetMs)]</c>), for the
    /// few fixed patterns that run over every text of every report (the redactor's): the interpreter the string
    /// constructor builds was most of the SARIF writer's time on a repository with thousands of findings, and generated
    /// code matches 3-5x faster, in the JIT build and the native one alike. The linear fallback is built from its pattern.
    /// </summary>
    public SafeRegex(Regex generated)
    {
        _pattern = generated.ToString();
        _options = generated.Options & ~RegexOptions.NonBacktracking;
        NeedsBacktracking = BacktrackingOnlySyntax.IsMatch(_pattern);
        if (NeedsBacktracking || generated.MatchTimeout != Limits.QuickRegexBudget)
            throw new ArgumentException("a generated quick engine must be linear-capable and time out after Limits.QuickRegexBudgetMs", nameof(generated));
        _quick = generated;
    }

    /// <summary>The same as the constructor, for call sites that read as a factory.</summary>
    public static SafeRegex Create(string pattern, RegexOptions options = RegexOptions.CultureInvariant) => new(pattern, options);

    /// <summary>The pattern uses syntax only the backtracking engine has: it sees bounded input and may time out.</summary>
    public bool NeedsBacktracking { get; private set; }

    /// <summary>Whether the pattern can never time out (it runs, or will move, to the linear engine).</summary>
    public bool IsLinear => !NeedsBacktracking;

    /// <summary>Whether some input ran past the quick budget, so the pattern now runs on the linear engine.</summary>
    public bool MovedToLinear => Volatile.Read(ref _fallback) != null && !NeedsBacktracking;

    public string Pattern => _pattern;

    public override string ToString() => _pattern;

    public string[] GetGroupNames() => _quick.GetGroupNames();

    public Match Match(string input) => Run(input, static (r, text) => r.Match(text));

    /// <summary>The first match at or after <paramref name="startat"/> (none past a backtracking pattern's bound).</summary>
    public Match Match(string input, int startat) =>
        Run(input, startat, static (r, text, at) => at > text.Length ? System.Text.RegularExpressions.Match.Empty : r.Match(text, at));

    public bool IsMatch(string input) => Run(input, static (r, text) => r.IsMatch(text));

    public bool IsMatch(ReadOnlySpan<char> input)
    {
        var fallback = Volatile.Read(ref _fallback);
        if (fallback is null)
        {
            try { return _quick.IsMatch(Input(input)); }
            catch (RegexMatchTimeoutException) when (!NeedsBacktracking) { fallback = Fallback(); }
        }
        return fallback.IsMatch(Input(input));
    }

    /// <summary>Every match, collected (a lazy collection would throw the quick engine's timeout to the caller mid-loop).</summary>
    public IReadOnlyList<Match> Matches(string input) => Run(input, static (r, text) => (IReadOnlyList<Match>)r.Matches(text).ToList());

    /// <summary>Where every match lies, without Match objects (as <see cref="Regex.EnumerateMatches(string)"/>, collected).</summary>
    public IReadOnlyList<(int Index, int Length)> MatchSpans(string input) => Run(input, static (r, text) =>
    {
        var spans = new List<(int, int)>();
        foreach (var m in r.EnumerateMatches(text)) spans.Add((m.Index, m.Length));
        return (IReadOnlyList<(int Index, int Length)>)spans;
    });

    /// <summary>As <see cref="Regex.Replace(string, MatchEvaluator)"/>; keep the evaluator pure, since a move to the linear
    /// engine mid-replace calls it again for the matches already seen.</summary>
    public string Replace(string input, MatchEvaluator evaluator) => Run(input, evaluator, static (r, text, e) => r.Replace(text, e));

    public string Replace(string input, string replacement) => Run(input, replacement, static (r, text, with) => r.Replace(text, with));

    /// <summary>The input a backtracking pattern may see: its first <see cref="Limits.MaxRegexInputChars"/> characters.</summary>
    public static string Bound(string input) => input.Length <= Limits.MaxRegexInputChars ? input : input[..Limits.MaxRegexInputChars];

    private string Input(string input) => NeedsBacktracking ? Bound(input) : input;

    private ReadOnlySpan<char> Input(ReadOnlySpan<char> input) =>
        NeedsBacktracking && input.Length > Limits.MaxRegexInputChars ? input[..Limits.MaxRegexInputChars] : input;

    private T Run<T>(string input, Func<Regex, string, T> match) => Run(input, match, static (r, text, m) => m(r, text));

    // The argument is passed, not captured: a capturing lambda is an allocation per match, and LinearPattern asks
    // with a start position for every value of every resource (placeholder-value's embedded patterns).
    private T Run<TArg, T>(string input, TArg arg, Func<Regex, string, TArg, T> match)
    {
        var fallback = Volatile.Read(ref _fallback);
        if (fallback is null)
        {
            // A pattern that needs backtracking lets its (full) timeout reach the caller, as it always has.
            try { return match(_quick, Input(input), arg); }
            catch (RegexMatchTimeoutException) when (!NeedsBacktracking) { fallback = Fallback(); }
        }
        return match(fallback, Input(input), arg);
    }

    // Two threads may both build it; either copy answers the same.
    private Regex Fallback()
    {
        if (Volatile.Read(ref _fallback) is { } built) return built;
        Regex next;
        try { next = new Regex(_pattern, _options | RegexOptions.NonBacktracking); }
        catch (NotSupportedException)
        {
            // Syntax the text check missed: from now on a bounded backtracking pattern with the full timeout.
            next = new Regex(_pattern, _options, Limits.RegexTimeout);
            NeedsBacktracking = true;
        }
        Volatile.Write(ref _fallback, next);
        return next;
    }
}

/// <summary>
/// A data-file pattern made linear even when it is written with a leading <c>(?&lt;![class])</c> and a trailing
/// <c>(?![class])</c> (word-boundary style lookarounds, which the non-backtracking engine lacks): the core runs as a
/// linear pattern and the two one-character boundaries are checked in code. Any other lookaround keeps the backtracking
/// engine over bounded input (<see cref="SafeRegex"/>).
/// </summary>
public sealed class LinearPattern
{
    private static readonly Regex Boundaries = new(@"^(?<flags>\(\?[imnsx]+\))?(?:\(\?<!(?<before>\[[^\]]+\])\))?(?<core>.*?)(?:\(\?!(?<after>\[[^\]]+\])\))?$",
        RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly SafeRegex _core;
    private readonly Regex? _before, _after;

    public LinearPattern(string pattern, RegexOptions options = RegexOptions.CultureInvariant)
    {
        var m = Boundaries.Match(pattern);
        var flags = m.Groups["flags"].Value;
        var core = m.Success ? new SafeRegex(flags + m.Groups["core"].Value, options) : null;
        _core = core is { IsLinear: true } ? core : new SafeRegex(pattern, options);
        if (_core.IsLinear && m.Success)
        {
            // One character each, so the backtracking engine is linear here by construction.
            if (m.Groups["before"].Success) _before = new Regex(flags + m.Groups["before"].Value, options);
            if (m.Groups["after"].Success) _after = new Regex(flags + m.Groups["after"].Value, options);
        }
    }

    private const int MaxBoundaryRetries = 64;

    public bool IsLinear => _core.IsLinear;

    /// <summary>The first match whose neighbours satisfy the boundaries (as the lookaround pattern would find it).</summary>
    public Match Match(string text)
    {
        var input = _core.IsLinear ? text : SafeRegex.Bound(text);
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
