using System.CommandLine;
using Groundcrew.Config;

namespace Groundcrew.Cli.Commands;

/// <summary>`groundcrew init [PATH]`: writes a commented .groundcrew.yaml tuned to the repository and says why (docs/configuration.md).</summary>
public sealed class InitCommand : ICliCommand
{
    public Command Build()
    {
        var path = new Argument<string>("path") { Description = "The repository folder (default: the current folder)", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing .groundcrew.yaml" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the file instead of writing it" };
        var command = new Command("init", "Write a commented .groundcrew.yaml tuned to what the repository holds, and say what was decided and why.");
        command.Arguments.Add(path);
        command.Options.Add(force);
        command.Options.Add(dryRun);
        command.SetAction(parse =>
        {
            var root = parse.GetValue(path)!;
            if (!Directory.Exists(root)) throw new UsageException($"not a folder: {root}");
            var target = Path.Combine(root, ".groundcrew.yaml");
            var existing = File.Exists(target) ? target : File.Exists(Path.Combine(root, ".groundcrew.yml")) ? Path.Combine(root, ".groundcrew.yml") : null;
            if (existing != null && !parse.GetValue(force) && !parse.GetValue(dryRun))
                throw new UsageException($"{existing} already exists; run with --force to overwrite it (or --dry-run to see what init would write)");

            var plan = InitPlanner.Plan(root);
            if (parse.GetValue(dryRun))
            {
                Console.Out.Write(plan.Yaml);
                foreach (var d in plan.Decisions) Console.Error.WriteLine($"{d.Setting}: {d.Decision} ({d.Why})");
                return ExitCodes.Ok;
            }
            File.WriteAllText(target, plan.Yaml);
            if (existing != null && existing != target) File.Delete(existing); // one config file, not two that disagree
            Console.Out.WriteLine($"wrote {target}:");
            foreach (var d in plan.Decisions) Console.Out.WriteLine($"  {d.Setting}: {d.Decision}\n      why: {d.Why}");
            Console.Out.WriteLine("Review it, then run `groundcrew check`.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
