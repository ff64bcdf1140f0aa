using Groundcrew.Live;
using System.CommandLine;
using System.Diagnostics;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Diagnose;
using Groundcrew.Diagnose.Evidence;
using Groundcrew.Diagnose.Input;
using Groundcrew.Diagnose.Live;
using Groundcrew.Diagnose.Matching;
using Groundcrew.Diagnose.Output;
using Groundcrew.Diagnose.Signatures;

namespace Groundcrew.Cli.Commands;

/// <summary>
/// `groundcrew diagnose`: explain a failed deploy from logs, events, pod or task status (files, stdin,
/// or read live from a cluster or an ECS service) using the signature base, offline.
/// </summary>
public sealed class DiagnoseCommand : ICliCommand
{
    private static readonly string[] Formats = ["console", "json", "sarif", "junit", "html"];

    public Command Build()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Files to read (plain logs, kubectl describe, kubectl get -o json|yaml, aws ecs describe-tasks/describe-services JSON, CloudWatch exports); '-' for stdin. With --kube: an optional deployment/NAME.",
        };
        var common = new CommonOptions(Formats);
        var kube = new Option<bool>("--kube") { Description = "Read not-ready pods, their events and previous logs from the cluster through kubectl" };
        var context = new Option<string?>("--context") { Description = "kubectl context (with --kube)" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Kubernetes namespace (with --kube)" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (with --kube)" };
        var ecs = new Option<string?>("--ecs") { Description = "Read stopped tasks and service events of CLUSTER/SERVICE through the aws CLI" };
        var repo = new Option<string?>("--repo") { Description = "Run `groundcrew check` on this repository and use its findings to rank causes" };
        var checkResults = new Option<string?>("--check-results") { Description = "Saved `groundcrew check --format sarif|json` output to rank causes with" };
        var list = new Option<bool>("--list-signatures") { Description = "List every known failure signature and exit" };
        var preventedBy = new Option<string?>("--prevented-by") { Description = "List the failures a check rule prevents (by rule id) and exit" };

        var cmd = new Command("diagnose", "Explain a failed deploy from its error text, events, pod or task status, offline, and name the check rule that would have prevented it.");
        cmd.Arguments.Add(inputs);
        common.AddTo(cmd);
        foreach (var o in new Option[] { kube, context, ns, kubeconfig, ecs, repo, checkResults, list, preventedBy }) cmd.Options.Add(o);
        // System.CommandLine's default exception handler turns an exception thrown here into exit code 1
        // before CliRunner can map it, so usage errors are mapped to exit code 2 in the action itself.
        cmd.SetAction(parse =>
        {
            try { return Execute(parse); }
            catch (UsageException ex)
            {
                Console.Error.WriteLine($"groundcrew: {ex.Message}");
                return ExitCodes.Usage;
            }
        });
        return cmd;

        int Execute(ParseResult parse)
        {
            var output = common.Read(parse);
            if (parse.GetValue(list)) { Console.Out.Write(ListSignatures(SignatureBase.Load().Signatures)); return ExitCodes.Ok; }
            if (parse.GetValue(preventedBy) is { } rule)
            {
                var prevented = SignatureBase.Load().PreventedByRule(rule);
                if (prevented.Count == 0) Console.Out.WriteLine($"No known failure names {rule} as its preventing rule.");
                Console.Out.Write(ListSignatures(prevented));
                return ExitCodes.Ok;
            }

            var args = parse.GetValue(inputs) ?? [];
            var useKube = parse.GetValue(kube);
            var ecsTarget = parse.GetValue(ecs);
            if (!useKube && ecsTarget is null && args.Length == 0)
                throw new UsageException("give at least one input file (or '-' for stdin), --kube, or --ecs CLUSTER/SERVICE");

            var reads = new List<ReadResult>();
            var problems = new List<InputProblem>();
            if (useKube)
            {
                var target = args.FirstOrDefault(a => a.StartsWith("deployment/", StringComparison.Ordinal));
                if (args.Any(a => a != target)) throw new UsageException("with --kube the only argument is an optional deployment/NAME");
                var (docs, kubeProblems) = Live(() => new KubeCollector(new ProcessCommandRunner()).Collect(new KubeTarget(
                    parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(ns), target?["deployment/".Length..])));
                reads.AddRange(docs.Select(InputReader.Read));
                problems.AddRange(kubeProblems);
            }
            else
            {
                reads.AddRange(args.Select(ReadArgument));
            }
            if (ecsTarget != null)
                reads.AddRange(Live(() => new EcsCollector(new ProcessCommandRunner()).Collect(ecsTarget)).Select(InputReader.Read));

            if (parse.GetValue(checkResults) is { } savedPath && !File.Exists(savedPath))
                throw new UsageException($"--check-results: no such file {savedPath}");
            // With --repo the redactor also knows the repository's secret values (Secret data, sensitive Terraform values...).
            var redactor = new Redactor();
            var check = parse.GetValue(checkResults) is { } saved ? CheckEvidenceReader.FromFile(saved)
                : parse.GetValue(repo) is { } repoPath ? RunCheck(repoPath, redactor) : null;
            foreach (var r in reads)
                output.Explain($"read {r.Source}: {r.Kind}, {r.Observations.Count} observation(s)");
            var report = DiagnoseRun.Run(reads, SignatureBase.Load(), check, problems, redactor);
            foreach (var p in report.Problems)
                Console.Error.WriteLine(redactor.Scrub($"groundcrew: {p.Source}: {p.Message}"));
            output.WriteAll((target, writer, _) => writer.Write(target.Format switch
            {
                "json" => JsonReport.Render(report, redactor) + "\n",
                "sarif" => SarifReport.Render(report, redactor) + "\n",
                "junit" => JUnitReport.Render(report, redactor) + "\n",
                "html" => redactor.Scrub(Groundcrew.Report.Html.ReportPages.Diagnose(report)),
                _ when output.Quiet => redactor.Scrub(QuietSummary(report)),
                _ => ConsoleReport.Render(report, redactor),
            }));
            // A file we could not read is an input error even though the others were diagnosed.
            return report.Problems.Any(p => reads.Any(r => r.Source == p.Source && r.Observations.Count == 0)) ? ExitCodes.Usage : ExitCodes.Ok;
        }
    }

    private static ReadResult ReadArgument(string arg)
    {
        if (arg == "-")
        {
            using var stdin = Console.OpenStandardInput();
            return InputReader.ReadStream("<stdin>", stdin);
        }
        if (Directory.Exists(arg)) return new ReadResult(arg, InputKind.PlainText, [], [new InputProblem(arg, "is a directory; give the log or JSON files in it")]);
        if (!File.Exists(arg)) return new ReadResult(arg, InputKind.PlainText, [], [new InputProblem(arg, "no such file")]);
        return InputReader.ReadFile(arg);
    }

    private static T Live<T>(Func<T> collect)
    {
        try { return collect(); }
        catch (LiveSourceException ex) { throw new UsageException(ex.Message); }
        catch (System.Text.Json.JsonException ex) { throw new UsageException($"unexpected output from the live source: {ex.Message}"); }
    }

    // Runs `check` on the repository in this process: its findings rank the causes, and its model tells the redactor which
    // values in the repository are secret, so evidence quoting them is masked. A check that fails is said, never fatal.
    private static CheckEvidence RunCheck(string repoPath, Redactor redactor)
    {
        var origin = $"check {repoPath}";
        try
        {
            if (!Directory.Exists(repoPath) && !File.Exists(repoPath))
                return new CheckEvidence(origin, new HashSet<string>(), $"check could not run (no such folder {repoPath}); causes ranked without it");
            var configPath = GroundcrewConfig.FindUpward(repoPath);
            var config = GroundcrewConfig.Default;
            if (configPath != null)
            {
                var (loaded, errors) = GroundcrewConfig.Load(configPath);
                if (errors.Count > 0) return new CheckEvidence(origin, new HashSet<string>(), $"check could not run (invalid config {configPath}); causes ranked without it");
                config = loaded;
            }
            var result = new CheckRunner(new CheckOptions { Paths = [repoPath], Config = config }).Run();
            foreach (var value in result.Redactor.KnownValues) redactor.Add(value);
            return new CheckEvidence(origin, result.Findings.Select(f => f.RuleId).ToHashSet(StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new CheckEvidence(origin, new HashSet<string>(), $"check could not run ({ex.GetType().Name}: {ex.Message}); causes ranked without it");
        }
    }

    /// <summary>--quiet: one line per match, the likeliest first, with its first fix.</summary>
    private static string QuietSummary(DiagnosisReport report)
    {
        if (report.Matches.Count == 0) return "No known failure matched the input.\n";
        var sb = new System.Text.StringBuilder();
        foreach (var m in report.Matches)
            sb.AppendLine($"{m.Signature.Id}: {m.Signature.Title}" + (m.Fix.FirstOrDefault() is { } fix ? $"; fix: {fix}" : ""));
        return Redactor.ScrubPatterns(sb.ToString());
    }

    private static string ListSignatures(IEnumerable<Signature> signatures)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in signatures)
            sb.AppendLine($"{s.Id,-48} {s.Title}");
        return sb.ToString();
    }
}
