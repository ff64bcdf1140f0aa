using System.Text;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Diagnose.Signatures;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Reads a log too large to hold (over <see cref="Limits.DiagnoseStreamAboveBytes"/>) without holding it: window by
/// window (<see cref="Limits.LogWindowChars"/>, each looking <see cref="Limits.LogWindowOverlapLines"/> lines ahead so an
/// error split by a window edge still matches), it runs every pattern diagnose will later run (signature messages,
/// hypothesis support, the error-looking fallback) and keeps only the lines they matched, with their line numbers.
/// The kept lines become Log observations of their own (one per run of consecutive lines), so the matcher sees the
/// same evidence at the same lines as if it had read the whole text; the structured facts (waiting reasons, event
/// rows) are read from each window as <see cref="PlainTextReader"/> reads a whole text.
/// </summary>
internal static class LogStreamReader
{
    public static ReadResult Read(string source, TextReader reader, SignatureBase signatures)
    {
        var state = new State(source, Patterns(signatures));
        var window = new List<string>();
        var windowChars = 0;
        var firstLine = 1; // line number of window[0]
        foreach (var line in Lines(reader, state))
        {
            window.Add(line);
            windowChars += line.Length + 1;
            // A window is full once it holds its own lines plus the lines it looks ahead at.
            if (windowChars < Limits.LogWindowChars || window.Count <= Limits.LogWindowOverlapLines) continue;
            var own = window.Count - Limits.LogWindowOverlapLines;
            Scan(state, window, own, firstLine);
            window.RemoveRange(0, own);
            windowChars = window.Sum(l => l.Length + 1);
            firstLine += own;
        }
        if (window.Count > 0) Scan(state, window, window.Count, firstLine);
        return state.Result();
    }

    private sealed record Pattern(SafeRegex Regex, int Budget)
    {
        public int Left = Budget;
    }

    private static List<Pattern> Patterns(SignatureBase signatures)
    {
        var regexes = signatures.Signatures.SelectMany(s => s.Clauses.Select(c => c.Message).OfType<SafeRegex>()
                .Concat(s.Hypotheses.SelectMany(h => h.SupportedBy)))
            .Distinct()
            .Select(r => new Pattern(r, Limits.LogMatchesKeptPerPattern))
            .ToList();
        // The fallback shows up to 20 error-looking lines when no signature matched.
        regexes.Add(new Pattern(DiagnoseRun.ErrorLookingPattern, 20));
        return regexes;
    }

    private sealed class State(string source, List<Pattern> patterns)
    {
        public string Source { get; } = source;
        public List<Pattern> Patterns { get; } = patterns;
        public SortedDictionary<int, string> Kept { get; } = new();
        public int KeptChars;
        public List<Observation> Facts { get; } = new();
        public List<InputProblem> Problems { get; } = new();
        public bool CutLine, KeptFull, FactsFull;

        public void Problem(string message) => Problems.Add(new InputProblem(Source, message));

        public ReadResult Result()
        {
            var observations = new List<Observation>();
            var segment = new List<string>();
            var start = 0;
            var previous = int.MinValue;
            foreach (var (line, text) in Kept)
            {
                if (line != previous + 1 && segment.Count > 0)
                {
                    observations.Add(Log(start, segment));
                    segment.Clear();
                }
                if (segment.Count == 0) start = line;
                segment.Add(text);
                previous = line;
            }
            if (segment.Count > 0) observations.Add(Log(start, segment));
            observations.AddRange(Facts);
            return new ReadResult(Source, InputKind.PlainText, observations, Problems);
        }

        private Observation Log(int line, List<string> lines) =>
            new(ObservationKind.Log, Source, line, "", null, null, string.Join("\n", lines));
    }

    private static void Scan(State state, List<string> window, int own, int firstLine)
    {
        var text = string.Join("\n", window);
        foreach (var fact in PlainTextReader.Read(state.Source, text).Skip(1))
        {
            if (fact.Line > own) continue; // the next window reads it as one of its own lines
            if (state.Facts.Count >= Limits.MaxLogFacts)
            {
                if (!state.FactsFull) state.Problem($"more than {Limits.MaxLogFacts:N0} status facts in one log; the rest were not read");
                state.FactsFull = true;
                break;
            }
            state.Facts.Add(fact with { Line = fact.Line + firstLine - 1 });
        }
        var starts = new int[window.Count];
        for (int i = 1, pos = 0; i < window.Count; i++) { pos += window[i - 1].Length + 1; starts[i] = pos; }
        foreach (var pattern in state.Patterns)
        {
            if (pattern.Left == 0) continue;
            try
            {
                foreach (Match m in pattern.Regex.Matches(text))
                {
                    var first = LineAt(starts, m.Index);
                    if (first >= own || pattern.Left == 0) break;
                    pattern.Left--;
                    var last = Math.Min(LineAt(starts, m.Index + Math.Max(0, m.Length - 1)), first + 7);
                    for (var i = first; i <= last; i++) Keep(state, firstLine + i, window[i]);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // The matcher reports the signature that gave up; here the pattern just stops keeping lines.
                pattern.Left = 0;
            }
        }
    }

    private static void Keep(State state, int line, string text)
    {
        if (state.Kept.ContainsKey(line)) return;
        if (state.KeptChars + text.Length > Limits.MaxKeptLogChars)
        {
            if (!state.KeptFull) state.Problem($"kept {Limits.MaxKeptLogChars:N0} characters of matching lines; later matches were not kept");
            state.KeptFull = true;
            return;
        }
        state.Kept[line] = text;
        state.KeptChars += text.Length;
    }

    private static int LineAt(int[] starts, int offset)
    {
        var i = Array.BinarySearch(starts, offset);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>The lines of the text (without "\r\n" or "\n"), each cut at <see cref="Limits.MaxLogLineChars"/>.</summary>
    private static IEnumerable<string> Lines(TextReader reader, State state)
    {
        var buffer = new char[64 * 1024];
        var line = new StringBuilder();
        var cut = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var from = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                Append(line, buffer.AsSpan(from, i - from), ref cut);
                yield return Finish(line, ref cut, state);
                from = i + 1;
            }
            Append(line, buffer.AsSpan(from, read - from), ref cut);
        }
        if (line.Length > 0 || cut) yield return Finish(line, ref cut, state);
    }

    private static void Append(StringBuilder line, ReadOnlySpan<char> chars, ref bool cut)
    {
        var room = Limits.MaxLogLineChars - line.Length;
        if (chars.Length > room) cut = true;
        line.Append(chars[..Math.Min(chars.Length, Math.Max(0, room))]);
    }

    private static string Finish(StringBuilder line, ref bool cut, State state)
    {
        if (cut && !state.CutLine)
        {
            state.CutLine = true;
            state.Problem($"some lines are longer than {Limits.MaxLogLineChars:N0} characters; only their start was read");
        }
        cut = false;
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        var text = line.ToString();
        line.Clear();
        return text;
    }
}
