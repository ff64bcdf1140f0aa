using System.Text.RegularExpressions;
using CsCheck;
using FluentAssertions;
using Groundcrew.Core;
using Xunit;

namespace Groundcrew.Tests.Properties;

/// <summary>
/// The redactor finds `KEY=value` candidates with a group-free pattern on the linear engine and reads their groups with the
/// backtracking engine over the candidate's span only (much cheaper than the linear engine's groups). Both must find
/// exactly what the linear engine with groups finds, or a secret could be left unmasked.
/// </summary>
public class AssignmentPatternProperties
{
    [Fact]
    public void The_group_free_pattern_is_the_same_pattern()
    {
        var withoutGroups = Regex.Replace(Redactor.AssignmentKey().ToString(), @"\(\?<\w+>", "(?:");

        Redactor.AssignmentSpan().ToString().Should().Be(withoutGroups);
    }

    [Fact]
    public void Reading_groups_over_the_span_finds_what_the_linear_engine_finds()
    {
        var piece = Gen.OneOf<string>(
            Gen.String[Gen.Char["aZ_9-.: =\t\"'/@x\nä"], 1, 6],
            Gen.OneOf("password", "DB_PASSWORD", "--token", "-p ", "apiKey", "\"secret\"", ": ", "=", "  ", new string('a', 70), new string('b', 85)));
        Gen.Select(piece, piece, piece, piece, piece).Select((a, b, c, d, e) => a + b + c + d + e).Sample(text =>
        {
            for (var at = 0; at < text.Length; at++)
            {
                var linear = Redactor.LinearAssignmentKey.Value.Match(text, at);
                var found = Redactor.AssignmentSpan().Match(text, at);
                found.Success.Should().Be(linear.Success, $"a candidate from {at} in {Show(text)}");
                if (!linear.Success) break;
                var read = Redactor.AssignmentKey().Match(text, found.Index, found.Length);
                foreach (var name in new[] { "flag", "key", "sep", "q" })
                    (read.Groups[name].Success, read.Groups[name].Index, read.Groups[name].Length)
                        .Should().Be((linear.Groups[name].Success, linear.Groups[name].Index, linear.Groups[name].Length), $"group {name} from {at} in {Show(text)}");
                (read.Index, read.Length).Should().Be((linear.Index, linear.Length));
            }
        });
    }

    private static string Show(string text) => text.Replace("\n", "\\n").Replace("\t", "\\t");
}
