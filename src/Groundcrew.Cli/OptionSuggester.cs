using System.CommandLine;
using System.CommandLine.Parsing;

namespace Groundcrew.Cli;

/// <summary>
/// Finds words a user meant as options or verbs but that the parser did not recognise, and the nearest known
/// spelling for each. System.CommandLine hands an unknown "--formt" to a verb's file arguments, so those are
/// looked for too (a word after "--" is a file name, whatever it looks like).
/// </summary>
public static class OptionSuggester
{
    public sealed record Unknown(string Token, string? Suggestion);

    public static List<Unknown> FindUnknown(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var tokens = parse.Tokens;
        var doubleDash = -1;
        for (var i = 0; i < tokens.Count; i++)
            if (tokens[i].Type == TokenType.DoubleDash) { doubleDash = i; break; }

        var words = new List<string>();
        foreach (var child in parse.CommandResult.Children.OfType<ArgumentResult>())
            foreach (var token in child.Tokens)
            {
                var at = IndexOf(tokens, token);
                if (LooksLikeOption(token.Value) && (doubleDash < 0 || at < doubleDash)) words.Add(token.Value);
            }
        words.AddRange(parse.UnmatchedTokens);

        var candidates = Candidates(command);
        return words.Distinct().Select(w => new Unknown(w, Nearest(w, LooksLikeOption(w) ? candidates.Options : candidates.Verbs))).ToList();
    }

    private static bool LooksLikeOption(string word) => word.Length > 1 && word[0] == '-' && !char.IsDigit(word[1]);

    private static int IndexOf(IReadOnlyList<Token> tokens, Token token)
    {
        for (var i = 0; i < tokens.Count; i++)
            if (ReferenceEquals(tokens[i], token)) return i;
        return -1;
    }

    private static (List<string> Options, List<string> Verbs) Candidates(Command command)
    {
        var options = new List<string>();
        // A verb's own options, then the ones it inherits (--help); a "--name=value" typo is judged on its name.
        for (Command? c = command; c != null; c = c.Parents.OfType<Command>().FirstOrDefault())
            foreach (var o in c.Options.Where(o => ReferenceEquals(c, command) || o.Recursive))
            {
                if (o.Hidden) continue;
                options.Add(o.Name);
                options.AddRange(o.Aliases);
            }
        var verbs = command.Subcommands.Where(s => !s.Hidden).Select(s => s.Name).ToList();
        return (options, verbs);
    }

    /// <summary>The closest candidate within a few edits (a third of the word), or null when nothing is close.</summary>
    internal static string? Nearest(string word, IEnumerable<string> candidates)
    {
        var name = word.Split('=', 2)[0];
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(name, candidate);
            // A prefix ("--form") is a strong hint even when many letters are missing.
            if (candidate.StartsWith(name, StringComparison.Ordinal) && name.TrimStart('-').Length >= 2) d = Math.Min(d, 1);
            if (d < bestDistance) { best = candidate; bestDistance = d; }
        }
        return best != null && bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    /// <summary>Levenshtein distance, with a swap of two neighbours counted as one edit (Damerau, restricted).</summary>
    internal static int Distance(string a, string b) => Groundcrew.Core.EditDistance.Between(a, b);
}
