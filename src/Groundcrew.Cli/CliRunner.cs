using System.CommandLine;

namespace Groundcrew.Cli;

/// <summary>Exit codes shared by every verb (the table is in docs/cli.md). 2 is always "usage or input error".</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Findings = 1;
    public const int Usage = 2;
}

public static class CliRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        var unknown = OptionSuggester.FindUnknown(parse);
        if (parse.Errors.Count > 0 || unknown.Count > 0)
        {
            var verb = parse.CommandResult.Command == root ? "groundcrew" : $"groundcrew {parse.CommandResult.Command.Name}";
            foreach (var u in unknown)
                Console.Error.WriteLine($"groundcrew: unknown {(u.Token.StartsWith('-') ? "option" : "command")} '{u.Token}' for '{verb}'" +
                                        (u.Suggestion != null ? $" (did you mean {u.Suggestion}?)" : ""));
            // The parser's own message for an unmatched word says less than the line above.
            // A mistyped verb also leaves "Required command was not provided", which says nothing new.
            foreach (var error in unknown.Count > 0 && parse.CommandResult.Command == root ? [] :
                         parse.Errors.Where(e => !unknown.Any(u => e.Message.Contains($"'{u.Token}'", StringComparison.Ordinal))))
                Console.Error.WriteLine($"groundcrew: {error.Message}");
            Console.Error.WriteLine($"Run '{verb} --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            // Our own handler below maps usage errors to exit code 2; the default one would return 1.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"groundcrew: {ex.Message}");
            return ExitCodes.Usage;
        }
    }
}

/// <summary>Thrown by a verb for a usage or input error; becomes exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
