using Groundcrew.Live;
using Groundcrew.Core;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Reporting;
using Groundcrew.Verify.Rollout;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify;

public sealed record RolloutRequest(
    string Platform, IReadOnlyList<string> Targets, string? Context, string? Namespace, string? Kubeconfig, string? Region, RolloutOptions Options);

public sealed record ReportRequest(string Format, string Path);

public sealed record VerifyRequest(
    IReadOnlyList<string> FlowFiles,
    RolloutRequest? Rollout,
    IReadOnlyList<KeyValuePair<string, string>> Vars,
    IReadOnlyList<string> VarFiles,
    int Parallel,
    string ConfigFile,
    IReadOnlyList<ReportRequest> Reports);

/// <summary>
/// Which `kubectl` and `aws` to run (GROUNDCREW_KUBECTL / GROUNDCREW_AWS override PATH lookup), and how many bytes of each
/// output stream of a step's process are kept (<see cref="Limits.MaxProcessOutputBytes"/>; tests pass a small cap).
/// </summary>
public sealed record VerifyTools(string Kubectl, string Aws, int MaxOutputBytes = Limits.MaxProcessOutputBytes)
{
    public static VerifyTools FromEnvironment() => new(
        Environment.GetEnvironmentVariable("GROUNDCREW_KUBECTL") is { Length: > 0 } k ? k : "kubectl",
        Environment.GetEnvironmentVariable("GROUNDCREW_AWS") is { Length: > 0 } a ? a : "aws");
}

/// <summary>
/// The verify verb: load everything first (so a typo fails in a second, not after a five-minute
/// rollout wait), wait for rollouts, then run the flows, or the configured health checks.
/// </summary>
/// <param name="reportOutput">Where a report whose path is "-" goes (stdout in the CLI).</param>
public sealed class VerifyRunner(TextWriter output, VerifyTools tools, ICommandRunner? commands = null, IFailureExplainer? explainer = null,
    TextWriter? reportOutput = null, Steps.ICliTransport? cli = null)
{
    private readonly Redactor _redactor = new();
    private readonly ICommandRunner _commands = commands ?? new ProcessCommandRunner(maxOutputBytes: tools.MaxOutputBytes);
    private Steps.ICliTransport Cli => cli ?? new Steps.LiveCliTransport(_commands);
    private readonly IFailureExplainer _explainer = explainer ?? new NoFailureExplainer();

    public Redactor Redactor => _redactor;

    public async Task<VerifyRunResult> RunAsync(VerifyRequest request, CancellationToken ct = default)
    {
        var console = new ConsoleReporter(output, _redactor);
        var errors = new List<string>();
        VerifyRunResult Finish(VerifyExitCode code, IReadOnlyList<RolloutResult> rollouts, IReadOnlyList<FlowResult> flows)
        {
            var result = new VerifyRunResult(code, rollouts, flows, errors);
            // A report CI cannot find must not pass silently: an unwritable path is a usage error.
            if (!WriteReports(request.Reports, result, console, errors))
                result = result with { Code = code = VerifyExitCodes.Worst(code, VerifyExitCode.UsageOrFlowError) };
            var steps = flows.SelectMany(f => f.Steps).ToList();
            console.Line($"verify: {rollouts.Count} rollout(s), {flows.Count} flow(s), {steps.Count(s => s.Status == StepStatus.Passed)} step(s) passed, " +
                         $"{steps.Count(s => s.Status == StepStatus.Failed)} failed, {steps.Count(s => s.Status == StepStatus.Skipped)} skipped; " +
                         $"exit {(int)code} ({ConsoleReporter.Describe(code)})");
            return result;
        }
        VerifyRunResult Usage(string message)
        {
            errors.Add(message);
            console.Line($"error: {message}");
            return Finish(VerifyExitCode.UsageOrFlowError, [], []);
        }

        // 1. Everything that can be wrong with the input, before touching any system.
        var flows = new List<Flow>();
        Variables baseVars;
        IReadOnlyList<object> rolloutTargets = [];
        try
        {
            foreach (var file in request.FlowFiles) flows.Add(FlowLoader.Load(file));
            if (flows.Count == 0 && HealthConfig.Load(request.ConfigFile) is { } health) flows.Add(health);
            baseVars = BaseVariables(request);
            if (request.Rollout is { } rollout) rolloutTargets = ParseTargets(rollout);
        }
        catch (FlowFileException ex) { return Usage(ex.ToString()); }
        catch (ArgumentException ex) { return Usage(ex.Message); }

        if (flows.Count == 0 && request.Rollout == null)
            return Usage($"nothing to verify: give flow files, --rollout, or health checks under 'verify.health' in {request.ConfigFile}");

        // 2. Rollouts. Testing a half-rolled-out service gives answers from two versions at once (B7).
        var rollouts = new List<RolloutResult>();
        if (request.Rollout is { } r)
        {
            console.Line($"rollout ({r.Platform}): waiting up to {Duration.Format(r.Options.Timeout)} for {string.Join(", ", r.Targets)}");
            rollouts.AddRange(await WaitAsync(r, rolloutTargets, msg => console.Line($"       {msg}"), ct));
            foreach (var result in rollouts) console.Lines(ConsoleReporter.FormatRollout(result));
            var worst = rollouts.Aggregate(VerifyExitCode.Passed, (w, x) => VerifyExitCodes.Worst(w, x.Code));
            if (worst != VerifyExitCode.Passed)
            {
                if (flows.Count > 0) console.Line($"flows not run: the rollout did not finish");
                return Finish(worst, rollouts, []);
            }
        }

        // 3. Flows: steps in order within a flow; flows side by side up to --parallel.
        var (client, insecure) = StepRunner.CreateClients();
        await using var forwarder = new KubePortForwarder(tools.Kubectl);
        var probes = new Steps.ProbeRunner(Cli, tools);
        var runner = new FlowRunner(new StepRunner(client, insecure, _redactor, forwarder, probes), _redactor);
        using var slots = new SemaphoreSlim(Math.Max(1, request.Parallel));
        var live = request.Parallel <= 1;
        var results = await Task.WhenAll(flows.Select(async flow =>
        {
            await slots.WaitAsync(ct);
            try
            {
                if (live) console.Line($"flow {flow.Name} ({Path.GetFileName(flow.File)})");
                var result = await runner.RunAsync(flow, baseVars, live ? s => console.Lines(ConsoleReporter.FormatStep(s)) : null, ct);
                // In parallel runs a flow prints as one block when it ends, so lines never interleave.
                if (!live) console.Lines(ConsoleReporter.FormatFlowHeader(result).Concat(result.Steps.SelectMany(ConsoleReporter.FormatStep)));
                if (result.Error != null) console.Line($"  error: {result.Error}");
                return result;
            }
            finally { slots.Release(); }
        }));
        client.Dispose();
        insecure.Dispose();

        var code = results.Aggregate(VerifyExitCode.Passed, (w, f) => VerifyExitCodes.Worst(w, f.Code));
        return Finish(code, rollouts, results);
    }

    private Variables BaseVariables(VerifyRequest request)
    {
        var vars = new Variables();
        foreach (var file in request.VarFiles)
        {
            if (!File.Exists(file)) throw new FlowFileException("vars file not found", null, file);
            JsonNode? root;
            try { root = YamlToJson.Parse(File.ReadAllText(file)); } // YAML is a superset of JSON: one reader for both
            catch (YamlDotNet.Core.YamlException ex) { throw new FlowFileException(ex.Message, (int)ex.Start.Line, file); }
            if (root is not JsonObject map) throw new FlowFileException("a vars file must be a mapping of name: value", null, file);
            foreach (var (name, value) in map) vars.Set(name, value);
        }
        foreach (var (name, value) in request.Vars) vars.Set(name, JsonValue.Create(value));
        return vars;
    }

    private static IReadOnlyList<object> ParseTargets(RolloutRequest rollout)
    {
        if (rollout.Targets.Count == 0)
            throw new ArgumentException(rollout.Platform == "ecs"
                ? "--rollout ecs needs at least one CLUSTER/SERVICE"
                : "--rollout kube needs at least one workload, e.g. deployment/api");
        return rollout.Platform switch
        {
            "kube" => rollout.Targets.Select(t => (object)KubeWorkload.Parse(t)).ToList(),
            "ecs" => rollout.Targets.Select(t => (object)EcsService.Parse(t)).ToList(),
            _ => throw new ArgumentException($"--rollout takes 'kube' or 'ecs', not '{rollout.Platform}'"),
        };
    }

    private async Task<RolloutResult[]> WaitAsync(RolloutRequest r, IReadOnlyList<object> targets, Action<string> progress, CancellationToken ct)
    {
        if (r.Platform == "kube")
        {
            var waiter = new KubeRolloutWaiter(_commands, new KubeConnection(tools.Kubectl, r.Context, r.Namespace, r.Kubeconfig), _explainer);
            return await waiter.WaitAsync(targets.Cast<KubeWorkload>().ToList(), r.Options, progress, ct);
        }
        var ecs = new EcsRolloutWaiter(_commands, tools.Aws, _explainer, r.Region);
        return await ecs.WaitAsync(targets.Cast<EcsService>().ToList(), r.Options, progress, ct);
    }

    private bool WriteReports(IReadOnlyList<ReportRequest> reports, VerifyRunResult result, ConsoleReporter console, List<string> errors)
    {
        var ok = true;
        foreach (var report in reports)
        {
            var text = report.Format switch
            {
                "junit" => ReportWriters.JUnit(result, _redactor),
                "html" => Report.Html.ReportPages.Verify(result, _redactor),
                _ => ReportWriters.Json(result, _redactor),
            };
            if (report.Path == "-" && reportOutput != null)
            {
                reportOutput.WriteLine(text.TrimEnd('\n'));
                continue;
            }
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(report.Path)) is { } dir) Directory.CreateDirectory(dir);
                File.WriteAllText(report.Path, text);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"cannot write {report.Format} report to {report.Path}: {ex.Message}");
                console.Line($"error: cannot write {report.Format} report to {report.Path}: {ex.Message}");
                ok = false;
            }
        }
        return ok;
    }
}
