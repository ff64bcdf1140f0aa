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
        var format = new Option<string>("--format", "-f") { Description = "console, json, sarif, junit or github", DefaultValueFactory = _ => "console" };
        format.AcceptOnlyFromAmong("console", "json", "sarif", "junit", "github");
        var output = new Option<string[]>("--output", "-o") { Description = "Write the --format report to FILE, or another format with FORMAT=FILE (repeatable)", AllowMultipleArgumentsPerToken = false };
        var failOn = new Option<string?>("--fail-on") { Description = "Lowest severity that fails the run: error (default), warning or note" };
        failOn.AcceptOnlyFromAmong("error", "warning", "note");
        var configOpt = new Option<string?>("--config") { Description = "Config file (default: .groundcrew.yaml found upward from the first path)" };
        var baseRef = new Option<string?>("--base") { Description = "Git revision to compare ECS task definitions with (e.g. origin/main)" };
        var noColor = new Option<bool>("--no-color") { Description = "No colours in console output (also: the NO_COLOR environment variable)" };
        var inventory = new Option<string?>("--inventory") { Description = "Check against a snapshot of the account and cluster written by `groundcrew inventory` (offline)" };
        var live = new Option<bool>("--live") { Description = "Collect a snapshot now (as `groundcrew inventory` would) and check against it" };
        var liveOptions = LiveOptions.Create();

        var command = new Command("check", "Scan a repository's deployment files for problems that break the deploy, before it happens.");
        command.Arguments.Add(paths);
        foreach (var o in new Option[] { format, output, failOn, configOpt, baseRef, noColor, inventory, live }) command.Options.Add(o);
        liveOptions.AddTo(command);

        command.SetAction(parse =>
        {
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            var config = LoadConfig(parse.GetValue(configOpt), given);
            var threshold = config.FailOn;
            if (parse.GetValue(failOn) is { } fo) SeverityText.TryParse(fo, out threshold);

            var targets = ParseOutputs(parse.GetValue(format)!, parse.GetValue(output) ?? []);
            var snapshot = LiveSnapshot(parse.GetValue(inventory), parse.GetValue(live), () => liveOptions.Request(parse, false, false, false, false));
            var progress = new Progress();
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

            var color = !parse.GetValue(noColor) && Environment.GetEnvironmentVariable("NO_COLOR") is null or "" && !Console.IsOutputRedirected;
            var settings = new ReportSettings(threshold, color, typeof(CheckCommand).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
            foreach (var (reporter, file) in targets)
            {
                if (file == null)
                {
                    reporter.Write(result, Console.Out, settings);
                    continue;
                }
                using var writer = new StreamWriter(file);
                reporter.Write(result, writer, settings with { Color = false });
            }
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

    /// <summary>--format picks the stdout format (or the format of a bare --output FILE); FORMAT=FILE adds more.</summary>
    private static List<(IReporter Reporter, string? File)> ParseOutputs(string format, string[] outputs)
    {
        var main = Reporters.Find(format) ?? throw new UsageException($"unknown format {format}");
        var list = new List<(IReporter, string?)>();
        var mainFile = (string?)null;
        foreach (var o in outputs)
        {
            var eq = o.IndexOf('=');
            if (eq > 0 && Reporters.Find(o[..eq]) is { } r) list.Add((r, o[(eq + 1)..]));
            else if (eq > 0 && !o[..eq].Contains('/') && !o[..eq].Contains('.')) throw new UsageException($"unknown format in --output {o}: use console, json, sarif, junit or github");
            else mainFile = o;
        }
        list.Insert(0, (main, mainFile));
        return list;
    }

    /// <summary>A progress line on stderr, only on a terminal and only once a scan has taken more than a second.</summary>
    private sealed class Progress
    {
        private readonly DateTime _start = DateTime.UtcNow;
        private readonly bool _enabled = !Console.IsErrorRedirected;
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
