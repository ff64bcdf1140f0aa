using Groundcrew.Core;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Rollout;

namespace Groundcrew.Verify.Reporting;

/// <summary>
/// Human output, one line per step with the detail a person needs to act when it failed.
/// Every line passes through the redactor on its way out.
/// </summary>
public sealed class ConsoleReporter(TextWriter output, Redactor redactor)
{
    private readonly object _gate = new();

    public void Line(string text = "")
    {
        lock (_gate) output.WriteLine(redactor.Scrub(text));
    }

    public void Lines(IEnumerable<string> lines)
    {
        lock (_gate)
            foreach (var line in lines) output.WriteLine(redactor.Scrub(line));
    }

    public static IEnumerable<string> FormatRollout(RolloutResult r)
    {
        yield return $"  {(r.Passed ? "ok  " : "FAIL")} {r.Target}: {r.Message} [{Duration.Format(r.Duration)}]";
        foreach (var e in r.Evidence)
        {
            yield return $"       {e.Subject}";
            foreach (var s in e.State) yield return $"         {s}";
            if (e.Events.Count > 0)
            {
                yield return "       events:";
                foreach (var ev in e.Events) yield return $"         {ev}";
            }
            if (!string.IsNullOrWhiteSpace(e.Logs))
            {
                yield return "       last logs:";
                foreach (var l in e.Logs.Split('\n')) yield return $"         {l.TrimEnd()}";
            }
        }
        foreach (var x in r.Explanations) yield return $"       explained: {x}";
    }

    public static IEnumerable<string> FormatFlowHeader(FlowResult flow) =>
        [$"flow {flow.Name} ({Path.GetFileName(flow.File)})"];

    public static IEnumerable<string> FormatStep(StepResult s)
    {
        var mark = s.Status switch { StepStatus.Passed => "ok  ", StepStatus.Failed => "FAIL", _ => "skip" };
        if (s.Status == StepStatus.Skipped)
        {
            yield return $"  {mark} {s.Name}";
            yield break;
        }
        var request = s.Request is { } r ? $"  {r.Method} {r.Url}" : "";
        var status = s.Answer is { } answer ? $" -> {answer}" : "";
        var attempts = s.Attempts > 1 ? $", {s.Attempts} attempts" : "";
        yield return $"  {mark} {s.Name}{request}{status} [{Duration.Format(s.Duration)}{attempts}]";
        if (s.Status == StepStatus.Passed) yield break;
        if (s.Message != null) yield return $"       {s.Message}";
        foreach (var f in s.Failures)
        {
            yield return $"       {f.Subject}: expected {f.Expected}";
            yield return $"       {new string(' ', f.Subject.Length)}  actual   {f.Actual}{(f.Why != null ? $" ({f.Why})" : "")}";
        }
        if (s.ResponseExcerpt is { Length: > 0 } excerpt) yield return $"       response: {excerpt}";
    }

    public static string Describe(VerifyExitCode code) => code switch
    {
        VerifyExitCode.Passed => "all passed",
        VerifyExitCode.AssertionFailed => "an assertion failed",
        VerifyExitCode.UsageOrFlowError => "usage or flow-file error",
        VerifyExitCode.RolloutFailed => "rollout failed or timed out",
        _ => "could not connect",
    };
}
