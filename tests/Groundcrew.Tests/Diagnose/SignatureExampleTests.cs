using FluentAssertions;
using Groundcrew.Diagnose;
using Groundcrew.Diagnose.Input;
using Groundcrew.Diagnose.Matching;
using Groundcrew.Diagnose.Signatures;
using Xunit;

namespace Groundcrew.Tests.Diagnose;

/// <summary>
/// Every signature carries real message shapes it must match (`examples`) and look-alikes it must not
/// (`nearMisses`); these theories run them all through the same input readers users' files go through.
/// </summary>
public class SignatureExampleTests
{
    private static readonly SignatureBase Base = SignatureBase.Load();

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var s in Base.Signatures)
            for (var i = 0; i < s.Examples.Count; i++) data.Add(s.Id, i);
        return data;
    }

    public static TheoryData<string, int> NearMisses()
    {
        var data = new TheoryData<string, int>();
        foreach (var s in Base.Signatures)
            for (var i = 0; i < s.NearMisses.Count; i++) data.Add(s.Id, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_matches_its_signature(string id, int index)
    {
        var signature = Base.Find(id)!;
        var example = signature.Examples[index].Text;
        var observations = InputReader.Read(new InputDocument("example", example)).Observations;

        SignatureMatcher.MatchOne(signature, observations).Should().NotBeNull($"example {index} of {id} must match:\n{example}");
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void Near_miss_does_not_match_its_signature(string id, int index)
    {
        var signature = Base.Find(id)!;
        var nearMiss = signature.NearMisses[index];
        var observations = InputReader.Read(new InputDocument("near-miss", nearMiss)).Observations;

        SignatureMatcher.MatchOne(signature, observations).Should().BeNull($"near miss {index} of {id} must not match:\n{nearMiss}");
    }

    public static TheoryData<string, int> SourcedExamples()
    {
        var data = new TheoryData<string, int>();
        foreach (var s in Base.Signatures)
            for (var i = 0; i < s.Examples.Count; i++)
                if (s.Examples[i].Source != null) data.Add(s.Id, i);
        return data;
    }

    // A real wording (an example with its source) must not only match its signature but win the ranking: a generic
    // signature that also matches must step aside (yieldsTo) or rank below, or the user reads the wrong cause first.
    [Theory]
    [MemberData(nameof(SourcedExamples))]
    public void A_real_wording_ranks_its_signature_first(string id, int index)
    {
        var example = Base.Find(id)!.Examples[index].Text;

        var ranked = DiagnoseRun.Run(new InputDocument("example.log", example)).Matches.Select(m => m.Signature.Id).ToList();

        ranked.Should().NotBeEmpty($"example {index} of {id} must be explained:\n{example}");
        ranked[0].Should().Be(id, $"example {index} of {id} must rank first, got [{string.Join(", ", ranked)}]:\n{example}");
    }

    [Fact]
    public void Every_signature_has_examples_and_near_misses()
    {
        Base.Signatures.Where(s => s.Examples.Count == 0 || s.NearMisses.Count == 0).Select(s => s.Id)
            .Should().BeEmpty("each signature needs at least one example that matches and one near miss that does not");
    }

    [Fact]
    public void The_base_holds_at_least_sixty_signatures_each_with_a_source_url()
    {
        Base.Signatures.Should().HaveCountGreaterThanOrEqualTo(60);
        Base.Signatures.SelectMany(s => s.Sources).Should().OnlyContain(u => u.StartsWith("https://"));
    }

    [Theory]
    [InlineData("Error: something failed")]
    [InlineData("ERROR: request failed with status code 500")]
    [InlineData("fatal: an error occurred while processing the request")]
    [InlineData("Exception in thread \"main\" java.lang.RuntimeException: failure")]
    [InlineData("2024-05-01T10:00:00Z error connection failed, retrying")]
    [InlineData("npm ERR! A complete log of this run can be found in: /root/.npm/_logs/debug.log")]
    public void No_signature_is_a_blanket_error_grep(string genericLine)
    {
        var observations = InputReader.Read(new InputDocument("generic", genericLine)).Observations;

        Base.Signatures.Where(s => SignatureMatcher.MatchOne(s, observations) != null).Select(s => s.Id)
            .Should().BeEmpty("a line that only says something failed must not be explained as a specific failure");
    }
}
