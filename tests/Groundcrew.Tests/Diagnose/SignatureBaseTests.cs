using FluentAssertions;
using Groundcrew.Diagnose.Signatures;
using Groundcrew.Rules;
using Xunit;

namespace Groundcrew.Tests.Diagnose;

public class SignatureBaseTests
{
    // Every check rule the registry runs; preventedBy may only name these, so a link to a renamed or missing rule fails here.
    private static readonly string[] CheckRuleIds = RuleRegistry.Rules.Select(r => r.Id).ToArray();

    private static readonly SignatureBase Base = SignatureBase.Load();

    [Fact]
    public void Every_preventing_rule_is_a_known_check_rule()
    {
        var named = Base.Signatures.SelectMany(s => s.PreventedBy.Concat(s.Hypotheses.SelectMany(h => h.PreventedBy))).Distinct();
        named.Should().BeSubsetOf(CheckRuleIds);
    }

    [Fact]
    public void Most_signatures_name_a_preventing_rule()
    {
        var withRule = Base.Signatures.Count(s => s.PreventedBy.Count > 0 || s.Hypotheses.Any(h => h.PreventedBy.Count > 0));
        withRule.Should().BeGreaterThan(Base.Signatures.Count * 6 / 10);
    }

    [Fact]
    public void A_rule_lists_the_failures_it_prevents()
    {
        Base.PreventedByRule("private-subnet-no-egress").Select(s => s.Id)
            .Should().Contain(["ecs-secrets-network-timeout", "image-pull-network-timeout", "ecs-resource-initialization-error"]);
        Base.PreventedByRule("no-such-rule").Should().BeEmpty();
    }

    [Fact]
    public void Bad_signature_files_fail_loudly_with_the_file_and_id()
    {
        var act = () => SignatureBase.Parse([("broken.yaml", """
            signatures:
              - id: bad-pattern
                title: t
                cause: c
                fix: [f]
                sources: [https://example.com]
                match:
                  - message: '(unclosed'
            """)]);

        act.Should().Throw<SignatureFormatException>().WithMessage("broken.yaml: bad-pattern: bad pattern /(unclosed/*");
    }

    [Fact]
    public void A_clause_needs_a_fact_or_a_pattern()
    {
        var act = () => SignatureBase.Parse([("empty.yaml", """
            signatures:
              - id: empty-clause
                title: t
                cause: c
                fix: [f]
                sources: [https://example.com]
                match:
                  - {}
            """)]);

        act.Should().Throw<SignatureFormatException>().WithMessage("*a match clause needs a structured fact or a message pattern");
    }

    [Theory]
    [InlineData("    titel: t\n", "misspelled.yaml line 4: unknown key 'titel'")]
    [InlineData("    fix: just one step\n", "misspelled.yaml line 4: expected a list")]
    [InlineData("    match:\n      - exitCode: [one]\n", "misspelled.yaml line 5: expected an integer")]
    public void A_misspelled_key_or_a_wrong_shape_names_its_line(string entryLine, string message)
    {
        var act = () => SignatureBase.Parse([("misspelled.yaml", "family: f\nsignatures:\n  - id: typo\n" + entryLine)]);

        act.Should().Throw<SignatureFormatException>().WithMessage(message);
    }
}

public class SignatureDocsTests
{
    [Fact]
    public void Generated_signature_list_in_docs_is_up_to_date()
    {
        var path = Path.Combine(DiagnoseFixtures.RepositoryRoot, SignatureDocs.RelativePath);
        var expected = SignatureDocs.Render(SignatureBase.Load());
        if (Environment.GetEnvironmentVariable("GROUNDCREW_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        File.Exists(path).Should().BeTrue($"{SignatureDocs.RelativePath} must exist; regenerate with GROUNDCREW_UPDATE_DOCS=1");
        File.ReadAllText(path).Should().Be(expected, "the signature docs are generated from the YAML; regenerate with GROUNDCREW_UPDATE_DOCS=1");
    }
}
