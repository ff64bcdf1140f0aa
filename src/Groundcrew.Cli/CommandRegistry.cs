using Groundcrew.Cli.Commands;

namespace Groundcrew.Cli;

/// <summary>
/// Every verb of the `groundcrew` binary, listed by hand (not found by reflection: the native build trims
/// away what nothing names). Adding a verb is adding its file under Commands/ and one line here, in name order;
/// CommandRegistryTests fails when a command class is missing from the list.
/// </summary>
public static class CommandRegistry
{
    public static IReadOnlyList<ICliCommand> Commands { get; } =
    [
        new CheckCommand(),
        new CompletionCommand(),
        new DiagnoseCommand(),
        new GraphCommand(),
        new InitCommand(),
        new InventoryCommand(),
        new RulesCommand(),
        new VerifyCommand(),
    ];
}
