using FluentAssertions;
using Groundcrew.Iam;
using Xunit;

namespace Groundcrew.Tests.Iam;

/// <summary>
/// Behaviour that mutants of the IAM matcher changed with no test failing (dotnet-stryker, see docs/testing.md):
/// each case pins a decision a rule finding depends on (a condition operator, a short or malformed ARN, the
/// secret suffix, a resource known only in part).
/// </summary>
public class IamMutationSurvivorTests
{
    private const string Partial = "arn:aws:secretsmanager:us-east-1:1:secret:app/db";

    private static PolicyDocument Doc(string json, string file = "p0.json") => IamEvaluatorTests.Doc(json, file);

    private static PolicyDocument Allow(string action, string resource) =>
        Doc($$"""{ "Statement": [{ "Effect": "Allow", "Action": "{{action}}", "Resource": "{{resource}}" }] }""");

    // --- IamMatch: ARNs shorter or stranger than the pattern never match and never throw ---

    [Theory]
    [InlineData("arn:aws:s3:::bucket/key", "arn:aws")]
    [InlineData("arn:aws:ssm:us-east-1:1:parameter/a", "arn:aws:ssm")]
    public void A_resource_arn_with_fewer_parts_than_the_pattern_does_not_match(string pattern, string arn) =>
        IamMatch.Resource(pattern, arn).Should().BeFalse();

    [Theory]
    [InlineData("arn:aws:s3:::bucket", "s3")]
    [InlineData("arn:aws:s3", "s3")]
    [InlineData("arn:aws", null)]
    [InlineData("s3", null)]
    [InlineData("urn:aws:secretsmanager:us-east-1:1:secret:x", null)]
    public void The_service_is_read_from_arns_only(string arn, string? service) =>
        IamMatch.ServiceOf(arn).Should().Be(service);

    [Theory]
    [InlineData(Partial, Partial + "-AbCdEf", true)]
    [InlineData(Partial, Partial + "XAbCdEf", false)]   // no hyphen before the suffix
    [InlineData(Partial, Partial + "-AbC", false)]      // suffix too short
    [InlineData(Partial + "*", Partial + "*-AbCdEf", false)] // a wildcard pattern is not the "missing suffix" mistake
    [InlineData(Partial + "?", Partial + "?-AbCdEf", false)]
    [InlineData("arn:aws:s3:::b", "arn:aws:s3:::b-AbCdEf", false)] // only Secrets Manager adds a suffix
    public void The_missing_suffix_mistake_is_recognised_exactly(string pattern, string arn, bool expected) =>
        IamMatch.IsSecretWithoutSuffix(pattern, arn).Should().Be(expected);

    [Theory]
    [InlineData(Partial + "-", Applies.No)]               // the hyphen alone matches no secret
    [InlineData(Partial + "-AbCdEfG", Applies.No)]        // seven characters: never a Secrets Manager suffix
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/*-A*", Applies.Unknown)] // suffixes starting with A only
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/*-z*", Applies.Unknown)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/*-0*", Applies.Unknown)]
    public void A_pattern_covering_some_suffixes_of_a_partial_secret_is_unknown_and_none_is_no(string pattern, Applies expected) =>
        IamMatch.ResourceForSecretWithoutSuffix(pattern, Partial).Should().Be(expected);

    [Theory]
    [InlineData("arn:aws")]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret")]
    public void A_short_value_from_is_no_secret_arn(string valueFrom) =>
        IamMatch.SecretArnOf(valueFrom).Should().BeNull();

    [Theory]
    [InlineData("abc", false)]
    [InlineData("-AbCdEf", false)] // nothing before the suffix
    [InlineData("x-AbCdEf", true)]
    public void Complete_secret_arn_shape_needs_a_name_before_the_suffix(string arn, bool expected) =>
        IamMatch.LooksLikeCompleteSecretArn(arn).Should().Be(expected);

    // --- Conditions evaluated from the context, one operator at a time ---

    [Theory]
    [InlineData("StringEquals", "prod", "prod", true)]
    [InlineData("StringEquals", "prod", "dev", false)]
    [InlineData("StringNotEquals", "prod", "dev", true)]
    [InlineData("StringNotEquals", "prod", "prod", false)]
    [InlineData("StringEqualsIgnoreCase", "PROD", "prod", true)]
    [InlineData("StringEqualsIgnoreCase", "PROD", "dev", false)]
    [InlineData("StringNotEqualsIgnoreCase", "PROD", "prod", false)]
    [InlineData("StringNotEqualsIgnoreCase", "PROD", "dev", true)]
    [InlineData("StringLike", "prod-*", "prod-eu", true)]
    [InlineData("StringLike", "Prod-*", "prod-eu", false)] // StringLike is case-sensitive
    [InlineData("StringNotLike", "prod-*", "prod-eu", false)]
    [InlineData("StringNotLike", "prod-*", "dev-eu", true)]
    [InlineData("ArnEquals", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/a", true)]
    [InlineData("ArnEquals", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b", false)]
    [InlineData("ArnNotEquals", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b", true)]
    [InlineData("ArnNotEquals", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/a", false)]
    [InlineData("ArnLike", "arn:aws:iam::1:role/*", "arn:aws:iam::1:role/a", true)]
    [InlineData("ArnLike", "arn:aws:iam::2:role/*", "arn:aws:iam::1:role/a", false)]
    [InlineData("ArnNotLike", "arn:aws:iam::1:role/*", "arn:aws:iam::1:role/a", false)]
    [InlineData("ArnNotLike", "arn:aws:iam::2:role/*", "arn:aws:iam::1:role/a", true)]
    [InlineData("Bool", "true", "TRUE", true)]
    [InlineData("Bool", "true", "false", false)]
    public void Each_simple_condition_operator_is_evaluated_from_the_context(string op, string value, string actual, bool allowed)
    {
        var p = Doc($$"""
            { "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
              "Condition": { "{{op}}": { "test:Key": "{{value}}" } } }] }
            """);
        var d = IamEvaluator.Evaluate([p], "s3:GetObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["test:Key"] = actual });
        d.Outcome.Should().Be(allowed ? Outcome.Allowed : Outcome.ImplicitDeny, $"{op} {value} against {actual}");
    }

    [Fact]
    public void A_condition_with_several_values_holds_when_any_value_matches()
    {
        var p = Doc("""
            { "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
              "Condition": { "StringEquals": { "aws:SourceAccount": ["111", "222"] } } }] }
            """);
        IamEvaluator.Evaluate([p], "s3:GetObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["aws:SourceAccount"] = "222" })
            .Outcome.Should().Be(Outcome.Allowed);
    }

    [Fact]
    public void A_condition_on_a_key_the_context_lacks_stays_conditional()
    {
        var p = Doc("""
            { "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
              "Condition": { "StringEquals": { "aws:SourceAccount": "111" } } }] }
            """);
        IamEvaluator.Evaluate([p], "s3:GetObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["aws:SourceVpc"] = "vpc-1" })
            .Outcome.Should().Be(Outcome.Conditional);
    }

    [Fact]
    public void A_condition_value_holding_a_policy_variable_is_not_evaluated()
    {
        var p = Doc("""
            { "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
              "Condition": { "StringEquals": { "aws:SourceAccount": ["${aws:PrincipalAccount}", "111"] } } }] }
            """);
        IamEvaluator.Evaluate([p], "s3:GetObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["aws:SourceAccount"] = "111" })
            .Outcome.Should().Be(Outcome.Conditional, "the variable is only known at request time");
    }

    [Fact]
    public void An_unreadable_condition_block_leaves_the_allow_conditional()
    {
        var p = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": "aws:SecureTransport" }] }""");
        var d = IamEvaluator.Evaluate([p], "s3:GetObject", "arn:aws:s3:::b/k");
        d.Outcome.Should().Be(Outcome.Conditional);
        d.Explanation.Should().Contain("allowed only under the conditions of").And.Contain("not readable");
    }

    // --- Decisions and their explanations ---

    [Fact]
    public void A_deny_that_may_apply_never_counts_as_an_allow()
    {
        var deny = Doc("""{ "Statement": [{ "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*" }] }""");
        IamEvaluator.Evaluate([deny], "s3:GetObject", "arn:aws:s3:::b/k").Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void An_implicit_deny_names_the_resource_and_the_policies_read()
    {
        var d = IamEvaluator.Evaluate([Allow("s3:GetObject", "*")], "s3:PutObject", "arn:aws:s3:::b/k");
        d.Explanation.Should().Be("no statement allows s3:PutObject on arn:aws:s3:::b/k (policies: p0.json)");
    }

    [Fact]
    public void The_near_miss_hint_needs_the_statement_to_allow_the_action()
    {
        var arn = Partial + "-AbCdEf";
        var listed = Doc($$"""{ "Statement": [{ "Effect": "Allow", "Action": ["kms:Decrypt", "secretsmanager:GetSecretValue"], "Resource": "{{Partial}}" }] }""");
        IamEvaluator.Evaluate([listed], "secretsmanager:GetSecretValue", arn).Explanation
            .Should().Contain("without the 6-character suffix").And.Contain(Partial + "-*");
        IamEvaluator.Evaluate([Allow("kms:Decrypt", Partial)], "secretsmanager:GetSecretValue", arn).Explanation
            .Should().NotContain("suffix", "that statement does not allow reading the secret at all");
    }

    // --- ResourceTarget: a resource known only in part ---

    private static ResourceTarget Parameter(string? region = "us-east-1", string? account = "1") =>
        new() { Service = "ssm", Region = region, Account = account, Resource = "parameter/app/key" };

    private static readonly ResourceTarget Key = new() { Service = "kms", Region = "us-east-1", Account = "1", Resource = "key/", ResourceIdUnknown = true };
    private static readonly ResourceTarget Secret = new() { Service = "secretsmanager", Region = "us-east-1", Account = "1", Resource = "secret:app/db", SecretSuffixUnknown = true };

    [Fact]
    public void A_target_is_complete_only_when_every_part_is_known()
    {
        Parameter().IsComplete.Should().BeTrue();
        Parameter().Arn.Should().Be("arn:aws:ssm:us-east-1:1:parameter/app/key");
        Parameter(region: null).IsComplete.Should().BeFalse();
        Parameter(account: null).IsComplete.Should().BeFalse();
        Key.IsComplete.Should().BeFalse();
        Secret.IsComplete.Should().BeFalse();
    }

    [Fact]
    public void A_target_shows_its_unknown_parts_by_name_and_suggests_the_narrowest_resource()
    {
        Parameter(region: null, account: null).Display.Should().Be("arn:aws:ssm:(region):(account):parameter/app/key");
        Key.Display.Should().Be("arn:aws:kms:us-east-1:1:key/(id)");
        Secret.Display.Should().Be("arn:aws:secretsmanager:us-east-1:1:secret:app/db-(6 random characters)");
        (Key with { Label = "the ARN of aws_kms_key.app" }).Display.Should().Be("the ARN of aws_kms_key.app");
        Parameter(region: null, account: null).PolicyResource.Should().Be("arn:aws:ssm:*:*:parameter/app/key");
        Key.PolicyResource.Should().Be("arn:aws:kms:us-east-1:1:key/*");
        Secret.PolicyResource.Should().Be("arn:aws:secretsmanager:us-east-1:1:secret:app/db-*");
        (Parameter() with { Partition = "aws-cn" }).PolicyResource.Should().Be("arn:aws-cn:ssm:us-east-1:1:parameter/app/key");
    }

    [Theory]
    [InlineData("*", Applies.Yes)]
    [InlineData("arn:aws:ssm:*:1:parameter/app/*", Applies.Yes)]
    [InlineData("arn:aws:ssm:eu-west-1:1:parameter/app/key", Applies.Unknown)] // if the task runs in eu-west-1
    [InlineData("arn:aws:ssm:eu-west-1:2:parameter/app/key", Applies.No)]      // the account is known
    [InlineData("arn:aws:ssm:${aws:region}:1:parameter/app/key", Applies.Unknown)]
    [InlineData("arn:aws:ssm:${aws:region}:1:parameter/other", Applies.No)]
    [InlineData("arn:aws-cn:ssm:*:1:parameter/app/key", Applies.No)]          // another partition
    [InlineData("arn:aws:ssm", Applies.No)]
    public void A_parameter_without_its_region_matches_patterns_by_the_parts_it_knows(string pattern, Applies expected) =>
        Parameter(region: null).Match(pattern).Should().Be(expected);

    [Theory]
    [InlineData("arn:aws:ssm:us-east-1:*:parameter/app/key", Applies.Yes)]
    [InlineData("arn:aws:ssm:us-east-1:2:parameter/app/key", Applies.Unknown)]
    [InlineData("arn:aws:ssm:us-east-1", Applies.No)]
    [InlineData("arn:aws:ssm:us-east-1:2", Applies.No)]
    public void A_parameter_without_its_account_is_unknown_for_a_named_account(string pattern, Applies expected) =>
        Parameter(account: null).Match(pattern).Should().Be(expected);

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:1:key/*", Applies.Yes)]
    [InlineData("arn:aws:kms:us-east-1:1:key/1234abcd", Applies.Unknown)]
    [InlineData("arn:aws:kms:us-east-1:1:alias/app", Applies.No)]
    [InlineData("arn:aws:kms:us-east-2:1:key/1234abcd", Applies.No)]
    [InlineData("arn:aws:kms", Applies.No)]
    public void A_key_with_a_generated_id_is_unknown_for_one_named_key(string pattern, Applies expected) =>
        Key.Match(pattern).Should().Be(expected);

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-*", Applies.Yes)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf", Applies.Unknown)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db", Applies.No)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/other-*", Applies.No)]
    public void A_secret_known_by_name_matches_only_patterns_covering_its_suffix(string pattern, Applies expected) =>
        Secret.Match(pattern).Should().Be(expected);

    [Fact]
    public void Evaluating_a_target_uses_its_arn_when_complete_and_its_unknown_parts_otherwise()
    {
        const string action = "ssm:GetParameters";
        var named = Allow(action, "arn:aws:ssm:eu-west-1:1:parameter/app/key");
        IamEvaluator.Evaluate([named], action, Parameter(region: null)).Outcome.Should().Be(Outcome.Unknown, "the task may run in eu-west-1");
        IamEvaluator.Evaluate([named], action, Parameter(region: "eu-west-1")).Outcome.Should().Be(Outcome.Allowed);

        // A complete secret ARN gets the near-miss hint for a policy naming the secret without its suffix.
        var complete = new ResourceTarget { Service = "secretsmanager", Region = "us-east-1", Account = "1", Resource = "secret:app/db-AbCdEf" };
        var d = IamEvaluator.Evaluate([Allow("secretsmanager:GetSecretValue", Partial)], "secretsmanager:GetSecretValue", complete);
        d.Outcome.Should().Be(Outcome.ImplicitDeny);
        d.Explanation.Should().Contain("without the 6-character suffix");
    }
}
