using System.Diagnostics;
using Groundcrew.Core;

namespace Groundcrew.Verify.Flows;

/// <summary>Runs one flow's steps in order. A failed step skips the rest: they would use captures it never made.</summary>
public sealed class FlowRunner(StepRunner steps, Redactor redactor)
{
    /// <summary>When the flow started (ISO 8601, UTC): logs steps read from then on, and flows may use it too.</summary>
    public const string StartedAtVariable = "flow.startedAt";

    public async Task<FlowResult> RunAsync(Flow flow, Variables baseVars, Action<StepResult>? onStep, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var vars = baseVars.Copy();
        vars.Set(StartedAtVariable, System.Text.Json.Nodes.JsonValue.Create(DateTime.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture)));
        try
        {
            // Flow vars are defaults: a --var or --vars value of the same name wins and the flow's
            // own expression (maybe an unset {{env.X}}) is not even evaluated.
            foreach (var (name, value) in flow.Vars)
                if (!vars.TryGet(name, out _)) vars.Set(name, vars.Render(value));
            foreach (var secret in flow.Secrets)
                if (vars.TryGet(secret, out var value)) redactor.Add(Variables.AsText(value));
        }
        catch (FlowFileException ex)
        {
            return new FlowResult(flow.Name, flow.File, [], clock.Elapsed, ex.Message);
        }

        var results = new List<StepResult>();
        StepResult? failed = null;
        foreach (var step in flow.Steps)
        {
            var result = failed == null
                ? await steps.RunAsync(step, vars, flow.Secrets, ct)
                : StepResult.Skipped(step.Name, $"skipped: '{failed.Name}' failed");
            if (result.Status == StepStatus.Failed) failed ??= result;
            results.Add(result);
            onStep?.Invoke(result);
        }
        return new FlowResult(flow.Name, flow.File, results, clock.Elapsed);
    }
}
