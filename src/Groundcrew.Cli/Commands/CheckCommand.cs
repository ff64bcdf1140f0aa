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
        var configOpt = new Option<string?>("--config") { Description = "Config file (default: .groundcrew.yaml found upward from the first path)" };
        var baseRef = new Option<string?>("--base") { Description = "Git revision to compare ECS task definitions with (e.g. origin/main)" };
        var inventory = new Option<string?>("--inventory") { Description = "Check against a snapshot of the account and cluster written by `groundcrew inventory` (offline)" };
        var live = new Option<bool>("--live") { Description = "Collect a snapshot now (as `groundcrew inventory` would) and check against it" };
        var liveOptions = LiveOptions.Create();

        var command = new Command("check", "Scan a repository's deployment files for problems that break the deploy, before it happens.");
        command.Arguments.Add(paths);
        common.AddTo(command);
        foreach (var o in new Option[] { failOn, configOpt, baseRef, inventory, live }) command.Options.Add(o);
        liveOptions.AddTo(command);

        command.SetAction(parse =>
        {
            var startUp = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime; // runtime, JIT of the CLI, option parsing
            var output = common.Read(parse);
            // The timings are read once, when the check starts (CheckRunner reads this variable); --verbose is the spelled-out way.
            if (output.Verbose) Environment.SetEnvironmentVariable("GROUNDCREW_TIMINGS", "1");
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            var config = LoadConfig(parse.GetValue(configOpt), given);
            output.Explain(config.Path is { } used ? $"config: {used}" : "config: none found, using the defaults");
            var threshold = config.FailOn;
            if (parse.GetValue(failOn) is { } fo) SeverityText.TryParse(fo, out threshold);

            var snapshot = LiveSnapshot(parse.GetValue(inventory), parse.GetValue(live), () => liveOptions.Request(parse, false, false, false, false));
            var progress = new Progress(enabled: !output.Quiet);
            CheckResult result;
            try
            {
                result = new CheckRunner(new CheckOptions
                {
                    Paths = given, Config = config, BaseRevision = parse.GetValue(baseRef), Progress = progress.Report, Inventory = snapshot,
                }).Run();
            }
            catch (PathNotFoundException ex)
            {
                throw new UsageException(ex.Message);
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
                Console.Error.WriteLine($"timing: report: {report.ElapsedMilliseconds} ms; start-up (process start to the check command): {startUp.TotalMilliseconds:0} ms");
            return result.Fails(threshold) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The snapshot to check against: read from --inventory FILE, or collected now for --live; null for neither.</summary>
    private static Live.Inventory.Snapshot? LiveSnapshot(string? file, bool live, Func<Live.Inventory.InventoryRequest> request)
    {
        if (file != null && live) throw new UsageException("give either --inventory FILE or --live, not both");
        if (file != null)
        {
            if (!File.Exists(file)) throw new UsageException($"inventory file not found: {file}");
            try { return Live.Inventory.Snapshot.Load(file); }
            catch (Live.Inventory.SnapshotException ex) { throw new UsageException(ex.Message); }
        }
        if (!live) return null;
        var snapshot = Live.Inventory.InventoryRun.CollectAsync(request(), new Live.ProcessCommandRunner(),
            Console.IsErrorRedirected ? null : line => Console.Error.WriteLine($"inventory: {line}")).GetAwaiter().GetResult();
        foreach (var missing in snapshot.NotCollected)
            Console.Error.WriteLine($"inventory: not collected: {missing.Part}: {missing.Reason}");
        return snapshot;
    }

    private static GroundcrewConfig LoadConfig(string? explicitPath, string[] paths)
    {
        var path = explicitPath ?? GroundcrewConfig.FindUpward(paths.FirstOrDefault(p => p != "-") ?? ".");
        if (path == null) return GroundcrewConfig.Default;
        if (!File.Exists(path)) throw new UsageException($"config file not found: {path}");
        var (config, errors) = GroundcrewConfig.Load(path);
        if (errors.Count > 0) throw new UsageException("invalid config:\n  " + string.Join("\n  ", errors));
        return config;
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
