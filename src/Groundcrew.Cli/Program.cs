using System.CommandLine;
using System.Reflection;
using Groundcrew.Cli;

var root = new RootCommand("groundcrew: stop broken deployments to AWS (EKS and ECS) before, during and after the deploy.");
foreach (var type in Assembly.GetExecutingAssembly().GetTypes()
             .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .OrderBy(t => t.Name))
{
    root.Subcommands.Add(((ICliCommand)Activator.CreateInstance(type)!).Build());
}

return CliRunner.Run(root, args);
