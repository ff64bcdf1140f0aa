using System.CommandLine;
using System.CommandLine.Completions;

namespace Groundcrew.Cli.Completion;

/// <summary>One option as a shell sees it: its spellings, whether it takes a value, and the values it accepts (empty: a file).</summary>
public sealed record CompletionOption(IReadOnlyList<string> Names, string Description, bool TakesValue, IReadOnlyList<string> Values);

/// <param name="ArgumentValues">The words its positional argument accepts (completion's shells); empty: files.</param>
public sealed record CompletionVerb(string Name, string Description, IReadOnlyList<CompletionOption> Options, IReadOnlyList<string> ArgumentValues);

/// <summary>
/// The verbs and options of the real command tree, read when the script is printed, so a completion never
/// lists an option the binary does not have (or misses one added later).
/// </summary>
public sealed record CompletionModel(string Program, IReadOnlyList<CompletionOption> RootOptions, IReadOnlyList<CompletionVerb> Verbs)
{
    public static CompletionModel From(Command root) => new(
        "groundcrew",
        Options(root, root),
        root.Subcommands.Where(c => !c.Hidden).OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new CompletionVerb(c.Name, OneLine(c.Description), Options(c, root),
                c.Arguments.SelectMany(a => a.GetCompletions(CompletionContext.Empty)).Select(x => x.Label).ToList())).ToList());

    private static List<CompletionOption> Options(Command command, Command root)
    {
        var options = command.Options.Concat(command == root ? [] : root.Options.Where(o => o.Recursive));
        return options.Where(o => !o.Hidden && !o.Name.StartsWith('[')).Select(o =>
        {
            // Only the dash spellings: "/?" and "-?" (help's Windows aliases) are glob patterns in every shell.
            var names = new[] { o.Name }.Concat(o.Aliases.Where(a => a != o.Name).OrderBy(a => a.Length))
                .Where(n => n.Length > 1 && n[0] == '-' && char.IsLetter(n.TrimStart('-').FirstOrDefault())).ToList();
            var takesValue = o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0;
            var values = takesValue ? o.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList() : [];
            return new CompletionOption(names, OneLine(o.Description), takesValue, values);
        }).ToList();
    }

    private static string OneLine(string? text) => (text ?? "").Replace('\n', ' ').Replace('\r', ' ');
}
