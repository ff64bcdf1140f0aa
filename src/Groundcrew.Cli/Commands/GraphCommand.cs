using System.CommandLine;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Graph;

namespace Groundcrew.Cli.Commands;

/// <summary>`groundcrew graph [PATH...]`: the deployment graph the HTML report draws, as Mermaid, DOT or JSON for docs and PRs.</summary>
public sealed class GraphCommand : ICliCommand
{
    public Command Build()
    {
        var paths = new Argument<string[]>("paths") { Description = "Folders or files to scan (default: the current folder)", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format", "-f") { Description = "mermaid (default; renders in GitHub markdown), dot or json", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong([.. GraphWriters.Formats]);
        var output = new Option<string?>("--output", "-o") { Description = "Write the graph to FILE instead of stdout" };
        var focus = new Option<string?>("--focus") { Description = "Keep only the neighbourhood (two references either way) of the resources named NAME" };
        var depth = new Option<int>("--depth") { Description = "How many references from --focus to keep (default 2)", DefaultValueFactory = _ => 2 };
        var configOpt = new Option<string?>("--config") { Description = "Config file (default: .groundcrew.yaml found upward from the first path)" };

        var command = new Command("graph", "Draw the deployment: resources and the references between them (broken in red, unknown dashed).");
        command.Arguments.Add(paths);
        foreach (var o in new Option[] { format, output, focus, depth, configOpt }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            var config = LoadConfig(parse.GetValue(configOpt), given);
            CheckResult result;
            try
            {
                result = new CheckRunner(new CheckOptions { Paths = given, Config = config }).Run();
            }
            catch (PathNotFoundException ex)
            {
                throw new UsageException(ex.Message);
            }
            var graph = GraphBuilder.Build(result.Model, result.Findings, config);
            if (parse.GetValue(focus) is { Length: > 0 } name)
                graph = graph.Focus(name, Math.Max(0, parse.GetValue(depth))) ?? throw new UsageException($"--focus {name}: no resource of that name in the graph");
            if (parse.GetValue(output) is { } file)
            {
                using var writer = new StreamWriter(file);
                GraphWriters.Write(parse.GetValue(format)!, graph, writer, result.Redactor.Scrub);
            }
            else GraphWriters.Write(parse.GetValue(format)!, graph, Console.Out, result.Redactor.Scrub);
            return ExitCodes.Ok;
        });
        return command;
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
}
