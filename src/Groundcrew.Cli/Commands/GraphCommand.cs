using System.CommandLine;
using Groundcrew.Check;
using Groundcrew.Graph;

namespace Groundcrew.Cli.Commands;

/// <summary>
/// `groundcrew graph [PATH...]`: the deployment graph the HTML report draws, as Mermaid, DOT or JSON for docs and PRs;
/// with --inventory FILE or --live, also what the account and cluster hold (live nodes) and the references they break.
/// </summary>
public sealed class GraphCommand : ICliCommand
{
    public Command Build()
    {
        var paths = new Argument<string[]>("paths") { Description = "Folders or files to scan (default: the current folder)", Arity = ArgumentArity.ZeroOrMore };
        // The shared output options (docs/cli.md): --format, --output [FORMAT=]FILE (repeatable), --quiet, --verbose, --no-color.
        var common = new CommonOptions(GraphWriters.Formats);
        common.Format.Description = "mermaid (default; renders in GitHub markdown), dot or json";
        var focus = new Option<string?>("--focus") { Description = "Keep only the neighbourhood (two references either way) of the resources named NAME" };
        var depth = new Option<int>("--depth") { Description = "How many references from --focus to keep (default 2)", DefaultValueFactory = _ => 2 };
        var scan = new ScanOptions();
        scan.Inventory.Description = "Also draw what a snapshot written by `groundcrew inventory` holds (offline), and break the references it lacks";
        scan.Live.Description = "Collect a snapshot now (as `groundcrew inventory` would) and draw it too";

        var command = new Command("graph", "Draw the deployment: resources and the references between them (broken in red, unknown dashed, live facts in blue).");
        command.Arguments.Add(paths);
        common.AddTo(command);
        foreach (var o in new Option[] { focus, depth, scan.Config, scan.Inventory, scan.Live }) command.Options.Add(o);
        scan.LiveTargets.AddTo(command);
        command.SetAction(parse =>
        {
            var output = common.Read(parse);
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            var config = scan.ReadConfig(parse, given);
            output.Explain(config.Path is { } used ? $"config: {used}" : "config: none found, using the defaults");
            var snapshot = scan.ReadSnapshot(parse);
            var result = ScanOptions.Run(new CheckOptions { Paths = given, Config = config, Inventory = snapshot });
            var graph = GraphBuilder.Build(result.Model, result.Findings, config);
            if (parse.GetValue(focus) is { Length: > 0 } name)
                graph = graph.Focus(name, Math.Max(0, parse.GetValue(depth))) ?? throw new UsageException($"--focus {name}: no resource of that name in the graph");
            output.Explain($"{graph.Nodes.Count} node(s), {graph.Edges.Count} edge(s){(snapshot != null ? $", {graph.Nodes.Count(n => n.Live)} live" : "")}");
            output.WriteAll((target, writer, _) => GraphWriters.Write(target.Format, graph, writer, result.Redactor.Scrub));
            return ExitCodes.Ok;
        });
        return command;
    }
}
