using Groundcrew.Core;
using Groundcrew.Report;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Rollout;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Reporting;

/// <summary>The whole run, as the machine-readable reports see it.</summary>
public sealed record VerifyRunResult(VerifyExitCode Code, IReadOnlyList<RolloutResult> Rollouts, IReadOnlyList<FlowResult> Flows, IReadOnlyList<string> Errors);

/// <summary>JUnit (one testsuite per flow, one testcase per step) and JSON. Every string is scrubbed first.</summary>
public static class ReportWriters
{
    public static string JUnit(VerifyRunResult run, Redactor redactor)
    {
        var xml = new JUnitXml();
        string S(string? text) => redactor.Scrub(text ?? "");
        if (run.Rollouts.Count > 0)
        {
            var suite = xml.AddSuite("rollout");
            foreach (var r in run.Rollouts)
                suite.AddCase(S(r.Target), "rollout", r.Duration,
                    failureMessage: r.Passed ? null : S(r.Message),
                    failureText: r.Passed ? null : S(string.Join("\n", ConsoleReporter.FormatRollout(r))),
                    failureType: r.Passed ? null : r.Code.ToString(),
                    systemOut: r.Passed ? S(r.Message) : null);
        }
        foreach (var flow in run.Flows)
        {
            var suite = xml.AddSuite(S(flow.Name));
            if (flow.Error != null)
                suite.AddCase("load flow", S(flow.Name), TimeSpan.Zero, S(flow.Error), failureType: VerifyExitCode.UsageOrFlowError.ToString());
            foreach (var step in flow.Steps)
            {
                var failed = step.Status == StepStatus.Failed;
                suite.AddCase(S(step.Name), S(flow.Name), step.Duration,
                    failureMessage: failed ? S(step.Message ?? step.Failures.FirstOrDefault()?.ToString() ?? "failed") : null,
                    failureText: failed ? S(string.Join("\n", ConsoleReporter.FormatStep(step))) : null,
                    failureType: failed ? step.Code.ToString() : null,
                    skipped: step.Status == StepStatus.Skipped);
            }
        }
        return xml.ToString();
    }

    public static string Json(VerifyRunResult run, Redactor redactor)
    {
        string S(string? text) => redactor.Scrub(text ?? "");
        var root = new JsonObject
        {
            ["exitCode"] = (int)run.Code,
            ["result"] = ConsoleReporter.Describe(run.Code),
            ["errors"] = JsonValues.Strings(run.Errors.Select(S)),
            ["rollouts"] = new JsonArray([.. run.Rollouts.Select(r => new JsonObject
            {
                ["target"] = S(r.Target),
                ["passed"] = r.Passed,
                ["exitCode"] = (int)r.Code,
                ["message"] = S(r.Message),
                ["seconds"] = JsonValues.Number(Math.Round(r.Duration.TotalSeconds, 3)),
                ["evidence"] = new JsonArray([.. r.Evidence.Select(e => new JsonObject
                {
                    ["platform"] = e.Platform,
                    ["subject"] = S(e.Subject),
                    ["state"] = JsonValues.Strings(e.State.Select(S)),
                    ["events"] = JsonValues.Strings(e.Events.Select(S)),
                    ["logs"] = e.Logs == null ? null : S(e.Logs),
                })]),
                ["explanations"] = JsonValues.Strings(r.Explanations.Select(S)),
            })]),
            ["flows"] = new JsonArray([.. run.Flows.Select(f => new JsonObject
            {
                ["name"] = S(f.Name),
                ["file"] = f.File,
                ["passed"] = f.Passed,
                ["exitCode"] = (int)f.Code,
                ["error"] = f.Error == null ? null : S(f.Error),
                ["seconds"] = JsonValues.Number(Math.Round(f.Duration.TotalSeconds, 3)),
                ["steps"] = new JsonArray([.. f.Steps.Select(s => new JsonObject
                {
                    ["name"] = S(s.Name),
                    ["status"] = s.Status.ToString().ToLowerInvariant(),
                    ["seconds"] = JsonValues.Number(Math.Round(s.Duration.TotalSeconds, 3)),
                    ["attempts"] = s.Attempts,
                    ["request"] = s.Request == null ? null : new JsonObject { ["method"] = s.Request.Method, ["url"] = S(s.Request.Url) },
                    ["responseStatus"] = s.ResponseStatus,
                    ["outcome"] = s.Outcome == null ? null : S(s.Outcome),
                    ["message"] = s.Message == null ? null : S(s.Message),
                    ["failures"] = new JsonArray([.. s.Failures.Select(a => new JsonObject
                    {
                        ["subject"] = S(a.Subject),
                        ["expected"] = S(a.Expected),
                        ["actual"] = S(a.Actual),
                        ["why"] = a.Why == null ? null : S(a.Why),
                    })]),
                    ["response"] = s.Status == StepStatus.Failed && s.ResponseExcerpt != null ? S(s.ResponseExcerpt) : null,
                })]),
            })]),
        };
        return root.ToJsonString(JsonValues.Indented);
    }
}
