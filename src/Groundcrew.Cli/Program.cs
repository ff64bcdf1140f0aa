using System.CommandLine;
using Groundcrew.Cli;

var root = new RootCommand("groundcrew: stop broken deployments to AWS (EKS and ECS) before, during and after the deploy.");
foreach (var command in CommandRegistry.Commands)
{
    root.Subcommands.Add(command.Build());
}
BuildInfo.UseForVersionOption(root);

return CliRunner.Run(root, args);
