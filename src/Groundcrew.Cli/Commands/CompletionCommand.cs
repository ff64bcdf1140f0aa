using System.CommandLine;
using Groundcrew.Cli.Completion;

namespace Groundcrew.Cli.Commands;

/// <summary>`groundcrew completion bash|zsh|fish|powershell`: prints a completion script for the shell (docs/cli.md).</summary>
public sealed class CompletionCommand : ICliCommand
{
    public Command Build()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or powershell" };
        shell.AcceptOnlyFromAmong([.. CompletionScripts.Shells]);
        var command = new Command("completion", "Print a shell completion script: source <(groundcrew completion bash), or see docs/cli.md for zsh, fish and PowerShell.");
        command.Arguments.Add(shell);
        command.SetAction(parse =>
        {
            // The script is written from the command tree the binary really has.
            var model = CompletionModel.From(parse.RootCommandResult.Command);
            Console.Out.Write(CompletionScripts.Render(parse.GetValue(shell)!, model));
            return ExitCodes.Ok;
        });
        return command;
    }
}
