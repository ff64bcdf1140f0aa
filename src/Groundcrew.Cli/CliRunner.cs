using System.CommandLine;

namespace Groundcrew.Cli;

/// <summary>Exit codes shared by every verb. 2 is always "usage or input error".</summary>
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
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"groundcrew: {error.Message}");
            Console.Error.WriteLine("Run 'groundcrew --help' for usage.");
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
