namespace Groundcrew.Core;

/// <summary>
/// Every cap that keeps a run bounded on hostile input, in one place (documented in docs/limits.md). A scanned repository,
/// a log or an HTTP response is someone else's data: none of it may make a run hang, exhaust memory, or read outside the
/// root. Where a cap is hit the run says so (a finding for check, a problem line for diagnose and verify) and goes on.
/// </summary>
public static class Limits
{
    // ---- check: what is read ----

    /// <summary>Default largest file read (bytes); `maxFileBytes` in .groundcrew.yaml changes it. Larger files are skipped with a finding.</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>Most files one scan reads; past it the rest are skipped with one finding (a generated tree, a vendored monorepo).</summary>
    public const int MaxFiles = 50_000;

    /// <summary>Most nodes a YAML document may expand to through aliases (a "billion laughs" document is refused with a finding).</summary>
    public const int MaxAliasExpansionNodes = 100_000;

    /// <summary>Deepest nesting of YAML/JSON collections and HCL expressions; deeper documents are refused with a finding (no stack overflow).</summary>
    public const int MaxNestingDepth = 200;

    /// <summary>
    /// Most map keys the loaders intern for the life of the process (<see cref="StringPool.MapKey"/>): enough for every
    /// field name rules look up; past it keys are only shared, so generated or unique keys cannot grow the intern pool.
    /// </summary>
    public const int MaxInternedMapKeys = 16_384;

    // ---- check: Terraform evaluation ----

    /// <summary>Most expression evaluations per root module (locals, for-expressions, functions, dynamic blocks); then values become unknown and a finding says so.</summary>
    public const int TerraformEvaluationSteps = 1_000_000;

    /// <summary>Most instances one count, for_each or dynamic block expands to; past it the block is left unexpanded and a finding says so.</summary>
    public const int TerraformMaxInstances = 1000;

    /// <summary>Most instances and dynamic blocks one root module expands to in all (nested dynamic blocks multiply); past it the rest stay unexpanded.</summary>
    public const int TerraformMaxTotalInstances = 20_000;

    // ---- patterns ----

    /// <summary>
    /// Timeout of the few patterns that need the backtracking engine (lookarounds); every other pattern is linear
    /// (<see cref="SafeRegex"/>) and cannot time out.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a linear-capable pattern may run on the backtracking engine before it moves to the linear engine for good
    /// (<see cref="SafeRegex"/>). Ordinary text answers in microseconds; a pattern that runs this long is meeting input it
    /// backtracks on. A loaded machine may trip it early, which costs building the linear engine, never a different answer.
    /// </summary>
    public static readonly TimeSpan QuickRegexBudget = TimeSpan.FromMilliseconds(QuickRegexBudgetMs);

    /// <summary><see cref="QuickRegexBudget"/> in milliseconds, for <c>[GeneratedRegex]</c> attributes (which take a constant).</summary>
    public const int QuickRegexBudgetMs = 100;

    /// <summary>
    /// Longest text a backtracking pattern is run over (<see cref="SafeRegex.Bound"/>): small enough that even a quadratic
    /// pattern stays well inside <see cref="RegexTimeout"/>; a placeholder or credential past it in one value is not seen.
    /// </summary>
    public const int MaxRegexInputChars = 4096;

    // ---- external processes (kubectl, aws, terraform, git) ----

    /// <summary>`kubectl kustomize` of one overlay; then the process tree is killed and the overlay is a kustomize-build-failed finding.</summary>
    public static readonly TimeSpan KustomizeTimeout = TimeSpan.FromSeconds(120);

    /// <summary>`git` calls (`git show` for --base, `git check-ignore`); then the process tree is killed.</summary>
    public static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>`kubectl` and `aws` calls of diagnose --kube/--ecs; then the process tree is killed and the run says which call timed out.</summary>
    public static readonly TimeSpan LiveCommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Most bytes kept of one process's stdout or stderr (a runaway child cannot fill memory).</summary>
    public const int MaxProcessOutputBytes = 64 * 1024 * 1024;

    // ---- verify ----

    /// <summary>Default largest HTTP response body read (bytes); `--max-body-bytes` changes it. A longer body fails the step as "body too large".</summary>
    public const long MaxResponseBodyBytes = 8L * 1024 * 1024;

    // ---- diagnose ----

    /// <summary>
    /// Inputs larger than this (bytes) are not read whole: they are streamed as log text, window by window, and only the
    /// lines a signature, a hypothesis or the error-looking fallback matched are kept (memory stays bounded whatever the size).
    /// </summary>
    public const long DiagnoseStreamAboveBytes = 8L * 1024 * 1024;

    /// <summary>Most matches of one pattern whose lines a streamed log keeps (evidence shows at most 8 per signature).</summary>
    public const int LogMatchesKeptPerPattern = 8;

    /// <summary>Most characters of matched lines a streamed log keeps in all; past it no more lines are kept and diagnose says so.</summary>
    public const int MaxKeptLogChars = 4 * 1024 * 1024;

    /// <summary>Most structured facts (waiting reasons, event rows) one streamed log yields; past it diagnose says so.</summary>
    public const int MaxLogFacts = 2000;

    /// <summary>Longest line kept from a log (longer lines are cut; evidence quotes are shorter still).</summary>
    public const int MaxLogLineChars = 16 * 1024;

    /// <summary>Size of one window of a log that signatures are matched over; windows overlap by <see cref="LogWindowOverlapLines"/>.</summary>
    public const int LogWindowChars = 4 * 1024 * 1024;

    /// <summary>Lines each log window repeats from the previous one, so a multi-line error split by a window edge still matches.</summary>
    public const int LogWindowOverlapLines = 50;
}
