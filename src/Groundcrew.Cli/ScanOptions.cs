using System.CommandLine;
using Groundcrew.Check;
using Groundcrew.Cli.Commands;
using Groundcrew.Config;
using Groundcrew.Live.Inventory;

namespace Groundcrew.Cli;

/// <summary>
/// What `check` and `graph` both scan with, spelled and read the same way in both (docs/cli.md): --config, and the
/// live snapshot to compare with, --inventory FILE or --live with the live options. A verb adds the options it wants
/// to its command and reads them back; <see cref="Run"/> turns a missing path into a usage error.
/// </summary>
public sealed class ScanOptions
{
    public Option<string?> Config { get; } = new("--config") { Description = "Config file (default: .groundcrew.yaml found upward from the first path)" };
    public Option<string?> Inventory { get; } = new("--inventory") { Description = "Check against a snapshot of the account and cluster written by `groundcrew inventory` (offline)" };
    public Option<bool> Live { get; } = new("--live") { Description = "Collect a snapshot now (as `groundcrew inventory` would) and check against it" };
    public LiveOptions LiveTargets { get; } = LiveOptions.Create();

    /// <summary>The config file given, or found upward from the first path; the defaults when there is none.</summary>
    public GroundcrewConfig ReadConfig(ParseResult parse, string[] paths)
    {
        var path = parse.GetValue(Config) ?? GroundcrewConfig.FindUpward(paths.FirstOrDefault(p => p != "-") ?? ".");
        if (path == null) return GroundcrewConfig.Default;
        if (!File.Exists(path)) throw new UsageException($"config file not found: {path}");
        var (config, errors) = GroundcrewConfig.Load(path);
        if (errors.Count > 0) throw new UsageException("invalid config:\n  " + string.Join("\n  ", errors));
        return config;
    }

    /// <summary>The snapshot to check against: read from --inventory FILE, or collected now for --live; null for neither.</summary>
    public Snapshot? ReadSnapshot(ParseResult parse)
    {
        var file = parse.GetValue(Inventory);
        var live = parse.GetValue(Live);
        if (file != null && live) throw new UsageException("give either --inventory FILE or --live, not both");
        // Reading secrets is a choice made when collecting: a saved snapshot holds key names or placeholder flags only if it was collected with them.
        foreach (var flag in new[] { LiveTargets.ReadSecretKeys, LiveTargets.ReadSecretValues })
            if (!live && parse.GetValue(flag))
                throw new UsageException(file != null
                    ? $"{flag.Name} applies when collecting: give it to `groundcrew inventory` (the snapshot {file} holds what it was collected with), or use --live"
                    : $"{flag.Name} needs --live (it says what the collection may read)");
        if (file != null)
        {
            if (!File.Exists(file)) throw new UsageException($"inventory file not found: {file}");
            try { return Snapshot.Load(file); }
            catch (SnapshotException ex) { throw new UsageException(ex.Message); }
        }
        if (!live) return null;
        var snapshot = InventoryRun.CollectAsync(LiveTargets.Request(parse, false, false), new Groundcrew.Live.ProcessCommandRunner(),
            Console.IsErrorRedirected ? null : line => Console.Error.WriteLine($"inventory: {line}")).GetAwaiter().GetResult();
        foreach (var missing in snapshot.NotCollected)
            Console.Error.WriteLine($"inventory: not collected: {missing.Part}: {missing.Reason}");
        return snapshot;
    }

    /// <summary>The scan; a path that does not exist is a usage error (exit 2), not a crash.</summary>
    public static CheckResult Run(CheckOptions options)
    {
        try
        {
            return new CheckRunner(options).Run();
        }
        catch (PathNotFoundException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
