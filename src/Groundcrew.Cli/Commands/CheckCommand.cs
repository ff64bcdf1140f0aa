using System.CommandLine;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Report;

namespace Groundcrew.Cli.Commands;

/// <summary>`groundcrew check [PATH...|-]`: the pre-deploy scan.</summary>
public sealed class CheckCommand : ICliCommand
{
    public Command Build()
    {
        var paths = new Argument<string[]>("paths") { Description = "Folders or files to scan (default: the current folder); '-' reads YAML/JSON from stdin", Arity = ArgumentArity.ZeroOrMore };
        var common = new CommonOptions([.. Reporters.All.Select(r => r.Name)]);
        var failOn = new Option<string?>("--fail-on") { Description = "Lowest severity that fails the run: error (default), warning or note" };
        failOn.AcceptOnlyFromAmong("error", "warning", "note");
        var scan = new ScanOptions();
        var baseRef = new Option<string?>("--base") { Description = "Git revision to compare ECS task definitions with (e.g. origin/main)" };

        var command = new Command("check", "Scan a repository's deployment files for problems that break the deploy, before it happens.");
        command.Arguments.Add(paths);
        common.AddTo(command);
        foreach (var o in new Option[] { failOn, scan.Config, baseRef, scan.Inventory, scan.Live }) command.Options.Add(o);
        scan.LiveTargets.AddTo(command);

        command.SetAction(parse =>
        {
            var startUp = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime; // runtime, JIT of the CLI, option parsing
            var output = common.Read(parse);
            // The timings are read once, when the check starts (CheckRunner reads this variable); --verbose is the spelled-out way.
            if (output.Verbose) Environment.SetEnvironmentVariable("GROUNDCREW_TIMINGS", "1");
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            var config = scan.ReadConfig(parse, given);
            output.Explain(config.Path is { } used ? $"config: {used}" : "config: none found, using the defaults");
            var threshold = config.FailOn;
            if (parse.GetValue(failOn) is { } fo) SeverityText.TryParse(fo, out threshold);

            var snapshot = scan.ReadSnapshot(parse);
            var progress = new Progress(enabled: !output.Quiet);
            CheckResult result;
            try
            {
                result = ScanOptions.Run(new CheckOptions
                {
                    Paths = given, Config = config, BaseRevision = parse.GetValue(baseRef), Progress = progress.Report, Inventory = snapshot,
                });
            }
            finally
            {
                progress.Done();
            }

            output.Explain($"scanned {result.FilesScanned} file(s), {result.Model.Resources.Count} resource(s) in {result.Elapsed.TotalSeconds:0.00} s");
            var settings = new ReportSettings(threshold, output.Color, typeof(CheckCommand).Assembly.GetName().Version?.ToString(3) ?? "0.1.0", output.Quiet);
            var report = System.Diagnostics.Stopwatch.StartNew();
            output.WriteAll((target, writer, color) => Reporters.Find(target.Format)!.Write(result, writer, settings with { Color = color }));
            // With --verbose / GROUNDCREW_TIMINGS=1 the whole run is accounted for: start-up, the check's phases (CheckRunner), the report.
            if (Environment.GetEnvironmentVariable("GROUNDCREW_TIMINGS") == "1")
            {
                Console.Error.WriteLine($"timing: report: {report.ElapsedMilliseconds} ms; start-up (process start to the check command): {startUp.TotalMilliseconds:0} ms");
                // The garbage collector's share: its pauses stop every thread, so they count in each phase's wall time.
                Console.Error.WriteLine($"timing: process: {Environment.CpuUsage.TotalTime.TotalMilliseconds:0} ms CPU; garbage collections gen0/1/2 " +
                                        $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms");
            }
            return result.Fails(threshold) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A progress line on stderr, only on a terminal and only once a scan has taken more than a second.</summary>
    private sealed class Progress(bool enabled)
    {
        private readonly DateTime _start = DateTime.UtcNow;
        private readonly bool _enabled = enabled && !Console.IsErrorRedirected;
        private int _shown;

        public void Report(int done, int total)
        {
            if (!_enabled || DateTime.UtcNow - _start < TimeSpan.FromSeconds(1)) return;
            if (done % 50 != 0 && done != total) return;
            Interlocked.Exchange(ref _shown, 1);
            Console.Error.Write($"\rscanning: {done}/{total} files");
        }

        public void Done()
        {
            if (_shown == 1) Console.Error.Write("\r" + new string(' ', 40) + "\r");
        }
    }
}
