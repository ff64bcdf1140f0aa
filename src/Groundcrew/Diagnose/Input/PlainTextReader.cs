using System.Text.RegularExpressions;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Reads free text (application logs, terminal paste, `kubectl get pods` / `get events` tables,
/// CloudWatch exports). The whole text becomes one Log observation for message patterns; the
/// Kubernetes reason words and event rows found in it also become structured facts, so a pasted
/// `kubectl get pods` line counts as a CrashLoopBackOff just like the pod's JSON status does.
/// </summary>
internal static partial class PlainTextReader
{
    // Container reasons that only ever appear as CamelCase identifiers; finding one is precise.
    private static readonly HashSet<string> WaitingReasons = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
        "CreateContainerError", "ErrImageNeverPull", "RunContainerError", "ImageInspectError", "RegistryUnavailable",
    };

    private static readonly HashSet<string> TerminatedReasons = new(StringComparer.Ordinal) { "OOMKilled", "ContainerCannotRun", "StartError" };

    public static IEnumerable<Observation> Read(string source, string text)
    {
        // JSON string escapes are decoded line by line and wrapped lines re-joined for matching; facts come from the
        // decoded lines, so their line numbers stay the source's.
        var lines = SplitLines(text).Select(JsonEscapes.Decode).ToArray();
        var (joined, firstLine) = WrappedLines.Join(lines);
        yield return new Observation(ObservationKind.Log, source, 1, "", null, null, string.Join("\n", joined)) { LineMap = firstLine };
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            foreach (Match token in ReasonToken().Matches(line))
            {
                var word = token.Value;
                if (WaitingReasons.Contains(word))
                    yield return new Observation(ObservationKind.Waiting, source, i + 1, "", word, null, line.Trim());
                else if (TerminatedReasons.Contains(word))
                    yield return new Observation(ObservationKind.Terminated, source, i + 1, "", word, ExitCodeNear(lines, i), line.Trim());
            }
            var row = EventRow().Match(line);
            if (row.Success)
                yield return new Observation(ObservationKind.Event, source, i + 1, "", row.Groups["reason"].Value, null, row.Groups["rest"].Value.Trim());
        }
        foreach (var state in DescribeStates(source, lines)) yield return state;
        foreach (var counter in CounterFacts.Read(source, lines)) yield return counter;
    }

    public static string[] SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

    // `kubectl describe pod` prints the exit code a line or two under the termination reason.
    private static int? ExitCodeNear(string[] lines, int index)
    {
        for (var j = index; j < Math.Min(lines.Length, index + 4); j++)
        {
            var m = ExitCodeLine().Match(lines[j]);
            if (m.Success) return int.Parse(m.Groups["code"].Value);
        }
        return null;
    }

    /// <summary>The State / Last State blocks of `kubectl describe pod`, as facts with their reason and exit code.</summary>
    private static IEnumerable<Observation> DescribeStates(string source, string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var header = StateHeader().Match(lines[i]);
            if (!header.Success || header.Groups["state"].Value == "Running") continue;
            var indent = header.Groups["indent"].Length;
            string? reason = null, message = null;
            int? exit = null;
            var j = i + 1;
            for (; j < lines.Length; j++)
            {
                var line = lines[j];
                if (line.Trim().Length == 0 || line.Length - line.TrimStart().Length <= indent) break;
                var field = DescribeField().Match(line);
                if (!field.Success) continue;
                var value = field.Groups["value"].Value.Trim();
                switch (field.Groups["key"].Value)
                {
                    case "Reason": reason = value; break;
                    case "Message": message = value; break;
                    case "Exit Code": exit = int.TryParse(value, out var c) ? c : null; break;
                }
            }
            if (reason is null && exit is null) continue;
            var kind = header.Groups["state"].Value == "Waiting" ? ObservationKind.Waiting : ObservationKind.Terminated;
            yield return new Observation(kind, source, i + 1, "", reason, exit, message ?? lines[i].Trim());
        }
    }

    [GeneratedRegex(@"\b[A-Z][A-Za-z]+\b")]
    private static partial Regex ReasonToken();

    // describe "Events:" rows and `kubectl get events` rows: TYPE REASON ... MESSAGE
    [GeneratedRegex(@"(?:^|\s)(?:Warning|Normal)\s+(?<reason>[A-Z][A-Za-z]+)\s+(?<rest>\S.*)$")]
    private static partial Regex EventRow();

    [GeneratedRegex(@"^\s*Exit Code:\s+(?<code>-?\d+)")]
    private static partial Regex ExitCodeLine();

    [GeneratedRegex(@"^(?<indent>\s*)(?:Last )?State:\s+(?<state>Waiting|Terminated|Running)\b")]
    private static partial Regex StateHeader();

    [GeneratedRegex(@"^\s*(?<key>Reason|Message|Exit Code):\s*(?<value>.*)$")]
    private static partial Regex DescribeField();
}
