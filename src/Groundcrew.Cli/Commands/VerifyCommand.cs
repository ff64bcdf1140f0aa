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
        var report = new Option<string[]>("--report") { Description = "Write a report: junit=FILE, json=FILE or html=FILE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var config = new Option<string>("--config") { Description = "Config file whose 'verify.health' list is checked when no flow is given.", DefaultValueFactory = _ => ".groundcrew.yaml" };

        var cmd = new Command("verify", "Prove a deploy works: wait for the rollout, then run flow files or health checks. Exit 0 passed, 1 assertion failed, 2 usage or flow error, 3 rollout failed, 4 could not connect.");
        cmd.Arguments.Add(inputs);
        foreach (var option in new Option[] { rollout, context, ns, kubeconfig, region, timeout, interval, var, varsFile, parallel, report, config })
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
                ParseReports(parse.GetValue(report) ?? []));

            var runner = new VerifyRunner(Console.Out, VerifyTools.FromEnvironment(), explainer: new Groundcrew.Diagnose.SignatureFailureExplainer());
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

    internal static List<ReportRequest> ParseReports(IEnumerable<string> values) =>
        values.Select(v =>
        {
            var eq = v.IndexOf('=');
            var format = eq > 0 ? v[..eq].ToLowerInvariant() : "";
            if (format is not ("junit" or "json" or "html") || eq == v.Length - 1)
                throw new UsageException($"--report '{v}' must be junit=FILE, json=FILE or html=FILE");
            return new ReportRequest(format, v[(eq + 1)..]);
        }).ToList();

    private static TimeSpan ParseDuration(string text, string option) =>
        Duration.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw new UsageException($"{option} '{text}' is not a duration (use 90s, 5m, 1m30s)");
}
