using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Diagnose.Input;
using Groundcrew.Diagnose.Signatures;

namespace Groundcrew.Diagnose.Matching;

/// <summary>
/// Runs signatures over observations. Structured facts (a waiting reason, an exit code, an event
/// reason, an ECS stopCode) decide which observations a clause looks at; message patterns decide
/// whether it matches and pull out evidence through their named groups.
/// </summary>
public static class SignatureMatcher
{
    private const int MaxEvidencePerSignature = 8;
    private const int MaxLinesPerQuote = 4;
    private const int MaxQuoteLength = 300;
    // A fact Kubernetes or ECS reported in a status field is stronger evidence than the same words in free text.
    private const double StructuredFactBonus = 0.05;

    public static IReadOnlyList<DiagnosisMatch> Match(IReadOnlyList<Observation> observations, SignatureBase signatures, CheckEvidence? check = null,
        List<string>? timedOut = null)
    {
        var texts = new TextIndex(observations);
        var matches = new List<DiagnosisMatch>();
        foreach (var signature in signatures.Signatures)
        {
            try
            {
                var match = MatchOne(signature, observations, texts, check);
                if (match != null) matches.Add(match);
            }
            catch (RegexMatchTimeoutException)
            {
                // One pathological input must not cost the whole diagnosis; say which signature gave up.
                timedOut?.Add(signature.Id);
            }
        }
        return matches
            .Where(m => !YieldsToAnother(m, matches))
            .OrderByDescending(m => m.Confidence)
            .ThenByDescending(m => m.Evidence.Count)
            .ThenBy(m => m.Signature.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static bool YieldsToAnother(DiagnosisMatch generic, IReadOnlyList<DiagnosisMatch> all)
    {
        var specific = all.Where(o => generic.Signature.YieldsTo.Contains(o.Signature.Id));
        if (generic.Signature.YieldScope == YieldScope.Run) return specific.Any();
        var lines = generic.Evidence.Select(e => (e.Source, e.Line, e.Line == 0 ? e.Text : "")).ToHashSet();
        return specific.Any(o => o.Evidence.Any(e => lines.Contains((e.Source, e.Line, e.Line == 0 ? e.Text : ""))));
    }

    /// <summary>Whether one signature matches the observations (used by the example and near-miss tests).</summary>
    public static DiagnosisMatch? MatchOne(Signature signature, IReadOnlyList<Observation> observations, CheckEvidence? check = null) =>
        MatchOne(signature, observations, new TextIndex(observations), check);

    private static DiagnosisMatch? MatchOne(Signature signature, IReadOnlyList<Observation> observations, TextIndex texts, CheckEvidence? check)
    {
        var evidence = new List<EvidenceLine>();
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        var bonus = 0.0;
        foreach (var clause in signature.Clauses)
        {
            foreach (var observation in observations.Where(o => Qualifies(clause, o)))
            {
                if (clause.Message is null)
                {
                    evidence.Add(Quote(observation));
                    bonus = StructuredFactBonus;
                    continue;
                }
                var found = false;
                if (observation.Kind == ObservationKind.Log)
                {
                    foreach (Match m in clause.Message.Matches(observation.Message).Take(MaxEvidencePerSignature))
                    {
                        found = true;
                        evidence.AddRange(texts.Quote(observation, m));
                        Capture(clause.Message, m, captures);
                    }
                }
                else
                {
                    var m = clause.Message.Match(observation.Message);
                    if (m.Success)
                    {
                        found = true;
                        evidence.Add(Quote(observation));
                        Capture(clause.Message, m, captures);
                    }
                }
                if (found && clause.HasStructuredFact) bonus = StructuredFactBonus;
            }
        }
        if (evidence.Count == 0) return null;
        var distinct = evidence.DistinctBy(e => (e.Source, e.Line, e.Line == 0 ? e.Text : "")).Take(MaxEvidencePerSignature).ToList();
        var hypotheses = HypothesisRanker.Rank(signature, texts.AllText, check);
        return new DiagnosisMatch(signature, Math.Min(0.99, signature.Confidence + bonus), distinct, captures, hypotheses);
    }

    private static bool Qualifies(MatchClause clause, Observation o)
    {
        if (clause.WaitingReasons.Count > 0 && !(o.Kind == ObservationKind.Waiting && In(clause.WaitingReasons, o.Reason))) return false;
        if (clause.TerminatedReasons.Count > 0 && !(o.Kind == ObservationKind.Terminated && In(clause.TerminatedReasons, o.Reason))) return false;
        if (clause.EventReasons.Count > 0 && !(o.Kind == ObservationKind.Event && In(clause.EventReasons, o.Reason))) return false;
        if (clause.ConditionReasons.Count > 0 && !(o.Kind == ObservationKind.Condition && In(clause.ConditionReasons, o.Reason))) return false;
        if (clause.StopCodes.Count > 0 && !(o.Kind == ObservationKind.EcsTask && In(clause.StopCodes, o.Reason))) return false;
        if (clause.ExitCodes.Count > 0 && !(o.ExitCode is { } code && clause.ExitCodes.Contains(code))) return false;
        if (clause.CounterFacts.Count > 0 && !(o.Kind == ObservationKind.Counter && In(clause.CounterFacts, o.Reason))) return false;
        // A clause with only a message pattern looks at every observation; one with structured facts only at those that have them.
        return true;
    }

    private static bool In(IReadOnlyList<string> list, string? value) =>
        value != null && list.Contains(value, StringComparer.OrdinalIgnoreCase);

    private static void Capture(SafeRegex regex, Match m, Dictionary<string, string> captures)
    {
        foreach (var name in regex.GetGroupNames().Where(n => !int.TryParse(n, out _)))
        {
            var g = m.Groups[name];
            if (g.Success && g.Value.Length > 0 && !captures.ContainsKey(name))
                captures[name] = Quoted(g.Value.Trim());
        }
    }

    private static EvidenceLine Quote(Observation o) =>
        new(o.Source, o.Line, Quoted(o.Line > 0 ? o.Message : o.Describe()));

    internal static string Truncate(string text) => text.Length <= MaxQuoteLength ? text : text[..MaxQuoteLength] + "...";

    /// <summary>Input text as evidence quotes it: secrets masked first, then cut, so a cut never leaves part of a secret.</summary>
    internal static string Quoted(string text) => Truncate(Redactor.ScrubPatterns(text));

    /// <summary>Line lookups for Log observations, and all input text for hypothesis support patterns.</summary>
    private sealed class TextIndex(IReadOnlyList<Observation> observations)
    {
        private readonly Dictionary<Observation, (int[] Starts, string[] Lines)> _lines = new(ReferenceEqualityComparer.Instance);

        public string AllText { get; } = string.Join("\n", observations.Select(o => o.Message));

        public IEnumerable<EvidenceLine> Quote(Observation log, Match m)
        {
            if (!_lines.TryGetValue(log, out var index))
            {
                var lines = PlainTextReader.SplitLines(log.Message);
                var starts = new int[lines.Length];
                for (int i = 1, pos = 0; i < lines.Length; i++) { pos = log.Message.IndexOf('\n', pos) + 1; starts[i] = pos; }
                _lines[log] = index = (starts, lines);
            }
            var first = LineAt(index.Starts, m.Index);
            var last = Math.Min(LineAt(index.Starts, m.Index + Math.Max(0, m.Length - 1)), first + MaxLinesPerQuote - 1);
            for (var i = first; i <= last; i++)
                if (index.Lines[i].Trim().Length > 0)
                    yield return new EvidenceLine(log.Source, log.SourceLine(i), Quoted(index.Lines[i].Trim()));
        }

        private static int LineAt(int[] starts, int offset)
        {
            var i = Array.BinarySearch(starts, offset);
            return i >= 0 ? i : ~i - 1;
        }
    }
}
