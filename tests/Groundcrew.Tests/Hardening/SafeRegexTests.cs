using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Diagnose.Signatures;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>
/// SafeRegex answers on the cheap backtracking engine and moves a pattern to the linear engine when input makes it
/// backtrack. What a user relies on: a hostile line never hangs a scan, and the engine that answered never changes the answer.
/// </summary>
public class SafeRegexTests
{
    [Fact]
    public void A_pattern_that_backtracks_on_hostile_input_moves_to_the_linear_engine_and_still_answers()
    {
        // Exponential on the backtracking engine: 40 a's then a '!' would take longer than the age of the machine.
        var nested = new SafeRegex(@"^(a+)+$");
        nested.IsMatch(new string('a', 40) + "!").Should().BeFalse();
        nested.MovedToLinear.Should().BeTrue("the quick engine ran past its budget on that input");
        nested.IsMatch("aaaa").Should().BeTrue("the linear engine keeps answering after the move");

        var fresh = new SafeRegex(@"^(a+)+$");
        fresh.IsMatch("aaaa").Should().BeTrue();
        fresh.MovedToLinear.Should().BeFalse("ordinary input never leaves the quick engine");
    }

    [Fact]
    public void Every_api_answers_after_the_move_as_it_did_before()
    {
        var pattern = @"(?<word>[a-z]+)(x+x+)+y";
        var hostile = new string('x', 36);
        var text = "abcxxy zz defxy " + hostile;
        var moved = new SafeRegex(pattern);
        moved.IsMatch(hostile).Should().BeFalse();
        moved.MovedToLinear.Should().BeTrue();
        var quick = new SafeRegex(pattern);

        moved.Matches(text).Select(m => (m.Index, m.Value, m.Groups["word"].Value)).Should()
            .Equal(quick.Matches("abcxxy zz defxy ").Select(m => (m.Index, m.Value, m.Groups["word"].Value)));
        moved.MatchSpans("abcxxy").Should().Equal([(0, 6)]);
        moved.Replace("abcxxy!", "_").Should().Be("_!");
        moved.Match("abcxxy defxxy", 3).Index.Should().Be(7);
    }

    [Fact]
    public void A_lookaround_pattern_stays_on_the_backtracking_engine_and_sees_only_the_bounded_input()
    {
        var lookahead = new SafeRegex("secret(?=:)");
        lookahead.NeedsBacktracking.Should().BeTrue();
        lookahead.IsMatch("a secret: b").Should().BeTrue();
        lookahead.IsMatch(new string(' ', Limits.MaxRegexInputChars) + "secret:").Should().BeFalse("past the bound a backtracking pattern is not run");
        new SafeRegex(@"[(?=]").NeedsBacktracking.Should().BeTrue("the syntax check is conservative: a class that holds the characters only costs the bound");
        new SafeRegex(@"plain [a-z]+ pattern").NeedsBacktracking.Should().BeFalse();
    }

    [Fact]
    public void Bad_syntax_fails_where_the_pattern_is_built()
    {
        var act = () => new SafeRegex("(unclosed");
        act.Should().Throw<ArgumentException>();
    }

    // Every data-file pattern of the diagnose signatures, over the example texts and near misses of its own signature
    // (the texts it was written to tell apart): the quick engine and the linear engine find the same matches at the same
    // places, so moving never changes a diagnosis.
    [Fact]
    public void Signature_patterns_match_their_examples_the_same_on_both_engines()
    {
        const RegexOptions options = RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
        var compared = 0;
        var differing = new List<string>();
        foreach (var signature in SignatureBase.Load().Signatures)
        {
            var texts = signature.Examples.Select(e => e.Text).Concat(signature.NearMisses).ToList();
            var patterns = signature.Clauses.Select(c => c.Message).OfType<SafeRegex>().Concat(signature.Hypotheses.SelectMany(h => h.SupportedBy))
                .Where(p => !p.NeedsBacktracking);
            foreach (var pattern in patterns)
            {
                var linear = new Regex(pattern.Pattern, options | RegexOptions.NonBacktracking);
                foreach (var text in texts)
                {
                    var quick = pattern.Matches(text).Select(m => (m.Index, m.Length)).ToList();
                    var slow = linear.Matches(text).Select(m => (m.Index, m.Length)).ToList();
                    compared++;
                    if (!quick.SequenceEqual(slow)) differing.Add($"{signature.Id}: /{pattern.Pattern}/ on \"{text[..Math.Min(60, text.Length)]}\"");
                }
            }
        }
        compared.Should().BeGreaterThan(300, "every signature carries examples");
        differing.Should().BeEmpty();
    }
}
