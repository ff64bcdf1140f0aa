using System.Globalization;
using Groundcrew.Verify.Flows;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Steps;

/// <summary>
/// `aws`: one CLI call (params go in as `--cli-input-json`, the API's own input shape) or a helper built from
/// a few calls. The CLI is the transport on purpose: it brings the user's profiles, SSO and credentials as they are.
/// </summary>
public sealed class AwsProbe(ICliTransport cli, string awsTool)
{
    public async Task<(SentRequest, HttpResponseData)> RunAsync(AwsSpec spec, Variables vars, TimeSpan timeout, CancellationToken ct)
    {
        var target = new AwsTarget(Render(spec.Target.Profile, vars), Render(spec.Target.Region, vars), Render(spec.Target.Endpoint, vars));
        var call = new AwsCall(cli, awsTool, target, timeout, ct);
        if (spec.Helper is { } helper)
        {
            var args = (JsonObject)vars.Render(spec.HelperArgs)!;
            var started = FlowStart(vars);
            var (json, described) = await AwsHelpers.RunAsync(helper, args, call, started);
            return (new SentRequest("aws", described), JsonAnswer(json, call.Elapsed));
        }
        var service = vars.Render(spec.Service!);
        var operation = vars.Render(spec.Operation!);
        var input = spec.Params is { } p ? FlowJson.Compact(vars.Render(p)) : null;
        var outcome = await call.RawAsync(service, operation, input is null ? [] : ["--cli-input-json", input]);
        return (new SentRequest("aws", $"{service} {operation}"), ExecProbe.Answer(outcome));
    }

    private static string? Render(string? text, Variables vars) => text is null ? null : vars.Render(text);

    /// <summary>When the flow started: logs and log lines are read from then on, so an old line cannot pass a new check.</summary>
    public static DateTimeOffset FlowStart(Variables vars) =>
        vars.TryGet(FlowRunner.StartedAtVariable, out var v) && DateTimeOffset.TryParse(Variables.AsText(v), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t : DateTimeOffset.UtcNow.AddMinutes(-5);

    public static HttpResponseData JsonAnswer(JsonNode json, TimeSpan duration) =>
        new(0, new Dictionary<string, string>(), FlowJson.Compact(json), duration) { Outcome = "ok" };
}

/// <summary>One aws CLI invocation with the step's profile, region and endpoint; errors classified from stderr.</summary>
public sealed class AwsCall(ICliTransport cli, string awsTool, AwsTarget target, TimeSpan timeout, CancellationToken ct)
{
    private readonly DateTime _started = DateTime.UtcNow;
    public TimeSpan Elapsed => DateTime.UtcNow - _started;

    /// <summary>The call's outcome, any exit code: the caller asserts it. Unreachable, throttled and not-logged-in are thrown.</summary>
    public async Task<ProcessOutcome> RawAsync(string service, string operation, IReadOnlyList<string> extra)
    {
        var args = new List<string> { service, operation };
        args.AddRange(extra);
        args.AddRange(["--output", "json"]);
        if (target.Profile is { } profile) args.AddRange(["--profile", profile]);
        if (target.Region is { } region) args.AddRange(["--region", region]);
        if (target.Endpoint is { } endpoint) args.AddRange(["--endpoint-url", endpoint]);
        var remaining = timeout - Elapsed;
        if (remaining < TimeSpan.FromMilliseconds(200)) remaining = TimeSpan.FromMilliseconds(200);
        var outcome = await cli.RunAsync(awsTool, args, remaining, ct);
        var shown = $"aws {service} {operation}";
        if (!outcome.Started) throw new StepFailure($"{outcome.StartError} (install the AWS CLI, or point GROUNDCREW_AWS at it)", VerifyExitCode.UsageOrFlowError);
        if (outcome.TimedOut) throw new ConnectFailure($"{shown}: no answer within {Duration.Format(timeout)}", noAnswerInTime: true);
        if (outcome.ExitCode != 0 && cli.Classify(outcome, shown) is { } failure) throw failure;
        return outcome;
    }

    /// <summary>A call that must succeed, its stdout as JSON; a non-zero exit fails the step with the CLI's message.</summary>
    public async Task<JsonNode?> JsonAsync(string service, string operation, params string[] extra)
    {
        var outcome = await RawAsync(service, operation, extra);
        if (outcome.OutputCut is { } cut)
            throw new StepFailure($"aws {service} {operation}: {cut}; not read as JSON", VerifyExitCode.AssertionFailed);
        if (outcome.ExitCode != 0)
            throw new StepFailure($"aws {service} {operation}: {outcome.StdErr.Trim()}", VerifyExitCode.AssertionFailed);
        if (string.IsNullOrWhiteSpace(outcome.StdOut)) return new JsonObject();
        try { return HttpResponseData.ParseJson(outcome.StdOut); }
        catch (JsonException) { throw new StepFailure($"aws {service} {operation} did not print JSON: {outcome.StdOut.Trim()}", VerifyExitCode.AssertionFailed); }
    }

}
