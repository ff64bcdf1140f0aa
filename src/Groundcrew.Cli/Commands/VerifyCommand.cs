using System.CommandLine;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Groundcrew.Verify.Rollout;

namespace Groundcrew.Cli.Commands;

/// <summary>
/// `groundcrew verify`: "it works" as a command with an exit code. Waits for rollouts, then runs
/// flow files (or the health checks in .groundcrew.yaml). See docs/verify.md.
/// </summary>
public sealed class VerifyCommand : ICliCommand
{
    public Command Build()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Flow files (*.yaml), and with --rollout the workloads to wait for (deployment/NAME, statefulset/NAME, daemonset/NAME, or CLUSTER/SERVICE for ECS).",
        };
        var rollout = new Option<string?>("--rollout") { Description = "Wait for a rollout first: 'kube' or 'ecs'." };
        var context = new Option<string?>("--context") { Description = "kubectl context." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Kubernetes namespace." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to a kubeconfig file." };
        var region = new Option<string?>("--region") { Description = "AWS region for --rollout ecs (default: the aws CLI's own)." };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for rollouts (e.g. 5m, 90s).", DefaultValueFactory = _ => "5m" };
        var interval = new Option<string>("--interval") { Description = "How often to look at a rollout.", DefaultValueFactory = _ => "2s" };
        var var = new Option<string[]>("--var") { Description = "A variable, NAME=VALUE (repeatable; wins over --vars and flow vars).", AllowMultipleArgumentsPerToken = false };
        var varsFile = new Option<string[]>("--vars") { Description = "A YAML or JSON file of variables (repeatable).", AllowMultipleArgumentsPerToken = false };
        var parallel = new Option<int>("--parallel") { Description = "How many flow files run at once (steps inside a flow always run in order).", DefaultValueFactory = _ => 1 };
        // --report junit=FILE was verify's own spelling before the options became one family; it stays an alias of --output.
        var common = new CommonOptions(["console", "json", "junit", "html"], fileFormats: ["json", "junit", "html"], "--report");
        var config = new Option<string>("--config") { Description = "Config file whose 'verify.health' list is checked when no flow is given.", DefaultValueFactory = _ => ".groundcrew.yaml" };

        var cmd = new Command("verify", "Prove a deploy works: wait for the rollout, then run flow files or health checks. Exit 0 passed, 1 assertion failed, 2 usage or flow error, 3 rollout failed, 4 could not connect (docs/cli.md).");
        cmd.Arguments.Add(inputs);
        common.AddTo(cmd);
        foreach (var option in new Option[] { rollout, context, ns, kubeconfig, region, timeout, interval, var, varsFile, parallel, config })
            cmd.Options.Add(option);

        cmd.SetAction(async (parse, ct) =>
        {
            // Caught here as well as in CliRunner: exit code 1 means "assertion failed" for verify,
            // so a usage error must never reach a handler that could turn it into 1.
            try { return await RunAsync(parse, ct); }
            catch (UsageException ex)
            {
                Console.Error.WriteLine($"groundcrew verify: {ex.Message}");
                return (int)VerifyExitCode.UsageOrFlowError;
            }
        });
        return cmd;

        async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
        {
            var output = common.Read(parse);
            var platform = parse.GetValue(rollout)?.ToLowerInvariant();
            if (platform is not (null or "kube" or "ecs"))
                throw new UsageException($"--rollout takes 'kube' or 'ecs', not '{platform}'");
            var (flows, targets) = Classify(parse.GetValue(inputs) ?? [], platform);
            if (parse.GetValue(parallel) < 1) throw new UsageException("--parallel must be at least 1");

            var request = new VerifyRequest(
                flows,
                platform == null ? null : new RolloutRequest(platform, targets, parse.GetValue(context), parse.GetValue(ns),
                    parse.GetValue(kubeconfig), parse.GetValue(region),
                    new RolloutOptions(ParseDuration(parse.GetValue(timeout)!, "--timeout"), ParseDuration(parse.GetValue(interval)!, "--interval"))),
                ParseVars(parse.GetValue(var) ?? []),
                parse.GetValue(varsFile) ?? [],
                parse.GetValue(parallel),
                parse.GetValue(config)!,
                Reports(output));
            output.Explain($"verify: {flows.Count} flow file(s){(flows.Count > 0 ? ": " + string.Join(", ", flows) : "")}; " +
                           (platform == null ? "no rollout to wait for" : $"rollout {platform}: {string.Join(", ", targets)}, timeout {parse.GetValue(timeout)}"));

            // A machine-readable report on stdout moves the progress lines to stderr, so stdout stays parseable.
            TextWriter progress = output.Format == "console" ? Console.Out : Console.Error;
            if (output.Quiet) progress = new FailuresOnlyWriter(progress);
            var runner = new VerifyRunner(progress, VerifyTools.FromEnvironment(), explainer: new Groundcrew.Diagnose.SignatureFailureExplainer(), reportOutput: Console.Out);
            var result = await runner.RunAsync(request, ct);
            return (int)result.Code;
        }
    }

    /// <summary>Flow files and rollout targets share the positional arguments; a file name or an existing file is a flow.</summary>
    internal static (List<string> Flows, List<string> Targets) Classify(IEnumerable<string> inputs, string? platform)
    {
        var flows = new List<string>();
        var targets = new List<string>();
        foreach (var input in inputs)
        {
            if (input.StartsWith('-') && input.Length > 1) throw new UsageException($"unknown option '{input}' (see groundcrew verify --help)");
            var looksLikeFlow = input.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || input.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                                || input.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(input);
            if (looksLikeFlow) flows.Add(input);
            else if (platform != null) targets.Add(input);
            else throw new UsageException($"'{input}' is not a flow file; to wait for a workload, add --rollout kube or --rollout ecs");
        }
        return (flows, targets);
    }

    internal static List<KeyValuePair<string, string>> ParseVars(IEnumerable<string> values) =>
        values.Select(v =>
        {
            var eq = v.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--var '{v}' must be NAME=VALUE");
            return new KeyValuePair<string, string>(v[..eq], v[(eq + 1)..]);
        }).ToList();

    /// <summary>The reports to write; "-" is stdout (--format json|junit).</summary>
    internal static List<ReportRequest> Reports(OutputSettings output) =>
        output.Targets.Where(t => t.Format != "console").Select(t => new ReportRequest(t.Format, t.File ?? "-")).ToList();

    /// <summary>--quiet: drops the lines of steps and rollouts that passed or were skipped, and flow headers.</summary>
    private sealed class FailuresOnlyWriter(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;
        public override void Write(char value) => inner.Write(value);

        public override void WriteLine(string? value)
        {
            if (value is null || value.StartsWith("  ok  ", StringComparison.Ordinal) || value.StartsWith("  skip ", StringComparison.Ordinal)
                || value.StartsWith("flow ", StringComparison.Ordinal)) return;
            inner.WriteLine(value);
        }

        public override void Flush() => inner.Flush();
    }

    private static TimeSpan ParseDuration(string text, string option) =>
        Duration.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw new UsageException($"{option} '{text}' is not a duration (use 90s, 5m, 1m30s)");
}
