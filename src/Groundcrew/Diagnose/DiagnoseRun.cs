using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Diagnose.Input;
using Groundcrew.Diagnose.Matching;
using Groundcrew.Diagnose.Signatures;

namespace Groundcrew.Diagnose;

/// <summary>
/// One diagnose run: read every input, match the signature base over all observations together
/// (an event in one file and a log line in another describe the same failure), and, when nothing
/// matched, keep the lines that looked like errors so the user still sees them.
/// </summary>
public static partial class DiagnoseRun
{
    private const int MaxUnmatchedLines = 20;

    public static DiagnosisReport Run(IEnumerable<ReadResult> inputs, SignatureBase? signatures = null, CheckEvidence? check = null,
        IEnumerable<InputProblem>? earlierProblems = null, Redactor? redactor = null)
    {
        var results = inputs.ToList();
        var observations = results.SelectMany(r => r.Observations).ToList();
        // Values known to be secret (the repository's, with --repo) leave the input before anything is quoted or cut from it.
        if (redactor is { KnowsValues: true })
            observations = observations.Select(o => o with { Message = redactor.ScrubKnown(o.Message), Subject = redactor.ScrubKnown(o.Subject) }).ToList();
        var problems = (earlierProblems ?? []).Concat(results.SelectMany(r => r.Problems)).ToList();
        if (check?.Problem is { } checkProblem) problems.Add(new InputProblem(check.Origin, checkProblem));
        var timedOut = new List<string>();
        var matches = SignatureMatcher.Match(observations, signatures ?? SignatureBase.Load(), check, timedOut);
        if (timedOut.Count > 0)
            problems.Add(new InputProblem("diagnose", $"gave up on signature(s) {string.Join(", ", timedOut)}: the input took too long to match; the other signatures ran"));
        var unmatched = matches.Count == 0 ? ErrorLookingLines(observations) : [];
        return new DiagnosisReport(matches, problems, unmatched, results.Select(r => r.Source).ToList(), check);
    }

    public static DiagnosisReport Run(params InputDocument[] documents) => Run(documents.Select(InputReader.Read));

    // Only for showing the user what we could not explain; never used to match.
    private static List<EvidenceLine> ErrorLookingLines(IEnumerable<Observation> observations)
    {
        var lines = new List<EvidenceLine>();
        foreach (var o in observations)
        {
            if (o.Kind != ObservationKind.Log)
            {
                // A status fact is a failure by itself; an event only when its text reads like one (not "Scheduled", "Pulled").
                if (o.Kind is ObservationKind.Event or ObservationKind.ServiceEvent && !ErrorLooking().IsMatch(o.Message)) continue;
                lines.Add(new EvidenceLine(o.Source, o.Line, SignatureMatcher.Quoted(o.Describe())));
                continue;
            }
            var split = PlainTextReader.SplitLines(o.Message);
            for (var i = 0; i < split.Length; i++)
                if (ErrorLooking().IsMatch(split[i]))
                    lines.Add(new EvidenceLine(o.Source, o.SourceLine(i), SignatureMatcher.Quoted(split[i].Trim())));
        }
        return lines.DistinctBy(l => (l.Source, l.Line, l.Text)).Take(MaxUnmatchedLines).ToList();
    }

    /// <summary>What the fallback calls an error-looking line; a streamed log keeps the lines it matches (LogStreamReader).</summary>
    internal static SafeRegex ErrorLookingPattern { get; } = new(ErrorLooking().ToString(), ErrorLooking().Options);

    [GeneratedRegex(@"(?i)\b(error|exception|fail(ed|ure)?|fatal|denied|panic|refused|timed? ?out|cannot|unable|forbidden)\b")]
    private static partial Regex ErrorLooking();
}
