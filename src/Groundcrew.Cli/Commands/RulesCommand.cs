using System.CommandLine;
using Groundcrew.Core;
using Groundcrew.Rules;

namespace Groundcrew.Cli.Commands;

/// <summary>`groundcrew rules [ID]`: the rule list, or one rule's docs page.</summary>
public sealed class RulesCommand : ICliCommand
{
    public Command Build()
    {
        var id = new Argument<string?>("id") { Description = "A rule id: print its docs page", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("rules", "List every check rule, or print one rule's documentation.");
        command.Arguments.Add(id);
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id);
            var signatures = Groundcrew.Diagnose.Signatures.SignatureBase.Load();
            if (wanted != null)
            {
                var rule = RuleRegistry.Find(wanted) ?? throw new UsageException($"no rule with id '{wanted}' (run 'groundcrew rules' for the list)");
                Console.WriteLine(RuleRegistry.DocsPage(rule.Id) ?? $"# {rule.Id}\n\n{rule.Title}\n\nPrevents: {rule.Prevents}\n\nFix: {rule.Fix}");
                var failures = signatures.PreventedByRule(rule.Id);
                if (failures.Count > 0)
                {
                    Console.WriteLine("## Failures it prevents (groundcrew diagnose signatures)\n");
                    foreach (var s in failures) Console.WriteLine($"- {s.Id}: {s.Title}");
                }
                return ExitCodes.Ok;
            }
            foreach (var rule in RuleRegistry.Rules)
            {
                Console.WriteLine($"{rule.Id,-38} {rule.DefaultSeverity.ToText(),-8} {rule.Title}{(rule.Enabled ? "" : " (not yet run)")}");
                Console.WriteLine($"{"",-38} {"",-8} prevents: {rule.Prevents}");
                var failures = signatures.PreventedByRule(rule.Id);
                if (failures.Count > 0)
                    Console.WriteLine($"{"",-38} {"",-8} diagnose signatures: {string.Join(", ", failures.Select(s => s.Id))}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
