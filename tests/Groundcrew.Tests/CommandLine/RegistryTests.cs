using FluentAssertions;
using Groundcrew.Cli;
using Groundcrew.Rules;
using Xunit;

namespace Groundcrew.Tests.CommandLine;

/// <summary>
/// The product lists its rules and verbs by hand (reflection discovery does not survive the native build).
/// These tests use reflection to find every class a person may have added and forgotten to list.
/// </summary>
public class RegistryTests
{
    [Fact]
    public void Every_rule_class_is_registered_once()
    {
        var classes = typeof(Rule).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Rule)) && !t.IsAbstract)
            .Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
        var registered = RuleRegistry.Rules.Select(r => r.GetType().FullName!).Order(StringComparer.Ordinal).ToList();

        classes.Except(registered).Should().BeEmpty("every rule class must be listed in RuleRegistry (src/Groundcrew/Rules/RuleRegistry.cs)");
        registered.Should().OnlyHaveUniqueItems("a rule listed twice would report every finding twice");
        registered.Should().HaveCount(classes.Count);
    }

    [Fact]
    public void Every_command_class_is_registered_once()
    {
        var classes = typeof(ICliCommand).Assembly.GetTypes()
            .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
        var registered = CommandRegistry.Commands.Select(c => c.GetType().FullName!).Order(StringComparer.Ordinal).ToList();

        classes.Except(registered).Should().BeEmpty("every verb must be listed in CommandRegistry (src/Groundcrew.Cli/CommandRegistry.cs)");
        registered.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Rule_ids_are_unique()
    {
        RuleRegistry.Rules.Select(r => r.Id).Should().OnlyHaveUniqueItems();
    }
}
