using FluentAssertions;
using Groundcrew.Diagnose.Signatures;
using Xunit;

namespace Groundcrew.Tests.Diagnose;

public class SignatureBaseTests
{
    // The stable check rule ids (issue 5); preventedBy may only name these, so links never dangle.
    private static readonly string[] CheckRuleIds =
    [
        "placeholder-value", "plaintext-credential", "long-lived-aws-credentials", "invalid-image-reference", "local-image-pulled-from-registry",
        "alb-https-without-certificate", "aws-name-too-long", "invalid-enum-value", "unknown-field", "pdb-blocks-eviction",
        "hpa-conflicts-with-replicas", "hpa-target-missing", "missing-secret-key", "missing-configmap-key", "missing-secret", "missing-configmap",
        "service-selects-nothing", "ingress-backend-missing", "missing-service-account", "browser-env-internal-address",
        "config-change-not-rolled-out", "irsa-role-arn-invalid", "ecs-revision-drops-secrets", "ecs-duplicate-env-name",
        "ecs-secret-valuefrom-invalid", "execution-role-cannot-read-secret", "task-role-not-assumable-by-ecs", "irsa-trust-mismatch", "irsa-oidc-provider-missing",
        "queue-policy-missing-for-eventbridge", "consumer-cannot-receive", "private-subnet-no-egress", "image-architecture-mismatch",
        "required-env-missing", "secret-key-not-in-secret", "secret-value-used-as-id", "npx-unpinned", "pnpm-node-modules-split",
        "build-without-platform", "unmet-peer-dependency", "nest-string-token-without-inject", "mongoose-enum-without-type",
        "prisma-migrations-not-applied",
    ];

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
