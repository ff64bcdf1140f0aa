using Groundcrew.Verify.Flows;

namespace Groundcrew.Verify.Steps;

/// <summary>`exec`: a local command; its exit code, stdout (also read as JSON when it parses) and stderr are the answer.</summary>
public static class ExecProbe
{
    public static async Task<(SentRequest, HttpResponseData)> RunAsync(ExecSpec spec, Variables vars, TimeSpan timeout, CancellationToken ct,
        int maxOutputBytes = Groundcrew.Core.Limits.MaxProcessOutputBytes)
    {
        var (file, args) = spec.Argv is { } argv
            ? (vars.Render(argv[0]), argv.Skip(1).Select(vars.Render).ToList())
            : ("/bin/sh", new List<string> { "-c", vars.Render(spec.Shell!) });
        var env = spec.Env.ToDictionary(e => e.Key, e => vars.Render(e.Value));
        var cwd = spec.WorkingDirectory is { } w ? vars.Render(w) : null;
        var shown = spec.Argv != null ? CommandLine.Show(file, args) : vars.Render(spec.Shell!);
        var sent = new SentRequest("exec", shown);

        var outcome = await LocalProcess.RunAsync(file, args, env, cwd, timeout, ct, maxOutputBytes);
        if (!outcome.Started) throw new StepFailure(outcome.StartError!, VerifyExitCode.UsageOrFlowError);
        if (outcome.TimedOut)
            throw new ConnectFailure($"exec {shown}: still running after {Duration.Format(timeout)}; killed it and its child processes", noAnswerInTime: true);
        return (sent, Answer(outcome));
    }

    /// <summary>
    /// The outcome in the shape assertions read. Output cut at the cap fails the step (as an HTTP body past its cap does):
    /// `not contains` or a JSON path checked against the first part only could pass on an answer that says otherwise.
    /// </summary>
    public static HttpResponseData Answer(ProcessOutcome outcome) => outcome.OutputCut is { } cut
        ? throw new StepFailure($"exit {outcome.ExitCode}, but {cut}; not checked against part of its output", VerifyExitCode.AssertionFailed)
        : new(0, new Dictionary<string, string>(), outcome.StdOut, outcome.Duration)
        {
            ExitCode = outcome.ExitCode, Stderr = outcome.StdErr, Outcome = $"exit {outcome.ExitCode}",
        };
}

/// <summary>A command line as a person would type it, for reports (arguments with spaces quoted).</summary>
public static class CommandLine
{
    public static string Show(string file, IEnumerable<string> args) =>
        string.Join(' ', new[] { file }.Concat(args).Select(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '|' or '&' or ';')
            ? "'" + a.Replace("'", "'\\''") + "'" : a));
}
