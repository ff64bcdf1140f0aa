using FluentAssertions;
using Groundcrew.Iam;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Xunit;

namespace Groundcrew.Tests.Iam;

/// <summary>
/// Decisions and explanations that the second Iam mutation run (docs/testing.md, 2026-12-07 11:43) showed no test
/// pinned: a case-sensitive StringNotLike, a policy variable inside the resource part of a partly known ARN, a KMS
/// key ARN cut off after "key/", the suffix hint for a secret known by name, and the words of each explanation a
/// finding quotes (who allowed, who denies under which condition, which piece is not known).
/// </summary>
public class IamDecisionAndExplanationTests
{
    private const string Object = "arn:aws:s3:::b/k";

    private static PolicyDocument Doc(string json, string file = "p0.json") => IamEvaluatorTests.Doc(json, file);

    // --- decisions ---

    [Theory]
    [InlineData("Prod-*", "prod-eu", Outcome.Allowed)]   // StringNotLike compares case-sensitively: prod-eu is not like Prod-*
    [InlineData("prod-*", "prod-eu", Outcome.ImplicitDeny)]
    public void StringNotLike_compares_case_sensitively(string pattern, string tag, Outcome expected)
    {
        var p = Doc($$"""
            { "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
              "Condition": { "StringNotLike": { "aws:PrincipalTag/env": "{{pattern}}" } } }] }
            """);
        IamEvaluator.Evaluate([p], "s3:GetObject", Object, new Dictionary<string, string> { ["aws:PrincipalTag/env"] = tag })
            .Outcome.Should().Be(expected);
    }

    [Fact]
    public void A_policy_variable_in_the_path_of_a_parameter_without_its_region_may_match()
    {
        // ECS reads a bare parameter name in the task's Region; the policy scopes the path by a principal tag.
        var parameter = new ResourceTarget { Service = "ssm", Account = "123456789012", Resource = "parameter/app/key" };
        var p = Doc("""
            { "Statement": [{ "Effect": "Allow", "Action": "ssm:GetParameters",
              "Resource": "arn:aws:ssm:*:123456789012:parameter/${aws:PrincipalTag/app}/*" }] }
            """);
        parameter.Match("arn:aws:ssm:*:123456789012:parameter/${aws:PrincipalTag/app}/*").Should().Be(Applies.Unknown);
        IamEvaluator.Evaluate([p], "ssm:GetParameters", parameter).Outcome
            .Should().Be(Outcome.Unknown, "the tag may be app: known only at request time");
        parameter.Match("arn:aws:ssm:*:123456789012:parameter/${aws:PrincipalTag/app}/other").Should().Be(Applies.No);
    }

    [Fact]
    public void A_key_arn_cut_off_after_key_slash_does_not_grant_a_generated_key()
    {
        var key = new ResourceTarget { Service = "kms", Region = "us-east-1", Account = "123456789012", Resource = "key/", ResourceIdUnknown = true };
        var p = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:123456789012:key/" }] }""");
        key.Match("arn:aws:kms:us-east-1:123456789012:key/").Should().NotBe(Applies.Yes, "a key id is never empty");
        IamEvaluator.Evaluate([p], "kms:Decrypt", key).Outcome.Should().NotBe(Outcome.Allowed);
    }

    [Fact]
    public void A_secret_known_by_name_gets_no_missing_suffix_hint_for_a_shorter_secret_name()
    {
        // The task reads the secret "app-backup" by name; the policy names the secret "app" (without suffix).
        // "app" + "-backup" has the length of a suffixed ARN, but the hint is about the secret asked for only.
        var p = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app" }] }""");
        var d = IamEvaluator.EvaluateSecretWithoutSuffix([p], "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-backup");
        d.Outcome.Should().Be(Outcome.ImplicitDeny);
        d.DecidingStatements.Should().BeEmpty();
        d.Explanation.Should().NotContain("suffix");
    }

    [Fact]
    public void The_allowed_flag_is_set_for_an_allow_only()
    {
        var p = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }] }""");
        var allowed = IamEvaluator.Evaluate([p], "s3:GetObject", Object);
        allowed.IsAllowed.Should().BeTrue();
        allowed.ToString().Should().Be("Allowed: allowed by statement #1 (p0.json:1) of p0.json");
        IamEvaluator.Evaluate([p], "s3:PutObject", Object).IsAllowed.Should().BeFalse();
    }

    // --- explanations a finding quotes ---

    [Fact]
    public void An_explicit_deny_is_explained_by_the_denying_statement()
    {
        var p = Doc("""{ "Statement": [{ "Sid": "NoWrites", "Effect": "Deny", "Action": "s3:Put*", "Resource": "*" }] }""");
        IamEvaluator.Evaluate([p], "s3:PutObject", Object).Explanation
            .Should().Be("explicitly denied by statement 'NoWrites' (p0.json:1) of p0.json");
    }

    [Fact]
    public void An_allow_under_a_conditional_deny_names_the_allow_and_the_condition()
    {
        var p = Doc("""
            { "Statement": [
              { "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },
              { "Sid": "TlsOnly", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
            ] }
            """);
        IamEvaluator.Evaluate([p], "s3:GetObject", Object).Explanation.Should().Be(
            "allowed by statement 'Read' (p0.json:2) of p0.json, but statement 'TlsOnly' (p0.json:3) of p0.json denies under conditions (condition Bool aws:SecureTransport false)");
    }

    [Fact]
    public void An_allow_beside_an_unknown_managed_policy_names_the_policy_and_why_it_is_unknown()
    {
        var allow = Doc("""{ "Statement": [{ "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }] }""");
        var managed = ManagedPolicies.DocumentFor("arn:aws:iam::aws:policy/SomePolicyWeDoNotCarry");
        IamEvaluator.Evaluate([allow, managed], "s3:GetObject", Object).Explanation.Should().Be(
            "allowed by statement 'Read' (p0.json:1) of p0.json, but arn:aws:iam::aws:policy/SomePolicyWeDoNotCarry " +
            "(the AWS managed policy arn:aws:iam::aws:policy/SomePolicyWeDoNotCarry is not in Groundcrew's data) is not known and could deny " +
            "(the AWS managed policy arn:aws:iam::aws:policy/SomePolicyWeDoNotCarry is not in Groundcrew's data)");
        IamEvaluator.Evaluate([PolicyDocument.Unknown("the policy string is not JSON")], "s3:GetObject", Object).Explanation
            .Should().Contain("a policy (the policy string is not JSON) is not known");
    }

    [Fact]
    public void A_conditional_allow_names_each_open_condition()
    {
        var p = Doc("""
            { "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
              "Condition": { "StringEquals": { "aws:SourceVpc": ["vpc-1", "vpc-2"] }, "Bool": { "aws:SecureTransport": "true" } } }] }
            """);
        IamEvaluator.Evaluate([p], "s3:GetObject", Object).Explanation.Should().Be(
            "allowed only under the conditions of statement #1 (p0.json:1) of p0.json (condition StringEquals aws:SourceVpc vpc-1,vpc-2 and Bool aws:SecureTransport true)");
    }

    [Fact]
    public void An_implicit_deny_lists_every_policy_read_and_a_trust_policy_names_no_resource()
    {
        var a = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }] }""", "a.json");
        var b = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*" }] }""", "b.json");
        IamEvaluator.Evaluate([a, b], "s3:PutObject", Object).Explanation
            .Should().Be("no statement allows s3:PutObject on arn:aws:s3:::b/k (policies: a.json, b.json)");

        var trust = PolicyDocument.ParseJson("""
            { "Statement": [{ "Effect": "Allow", "Principal": { "Service": "ec2.amazonaws.com" }, "Action": "sts:AssumeRole" }] }
            """, "trust.json");
        TrustPolicy.AllowsService(trust, "ecs-tasks.amazonaws.com").Explanation.Should().Be("no statement allows sts:AssumeRole");
    }

    [Fact]
    public void An_unknown_effect_or_statement_says_which_piece_is_not_known()
    {
        var effect = Doc("""{ "Statement": [{ "Effect": "${effect}", "Action": "s3:GetObject", "Resource": "*" }] }""");
        IamEvaluator.Evaluate([effect], "s3:GetObject", Object).Explanation
            .Should().EndWith("is not known and could (the effect is not known)");
    }

    [Fact]
    public void Several_unknown_parts_of_one_statement_are_all_named()
    {
        var p = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "s3:${verb}", "Resource": "arn:aws:s3:::${bucket}/*" }] }""");
        IamEvaluator.Evaluate([p], "s3:GetObject", Object).Explanation
            .Should().EndWith("(action may match s3:${verb}; resource may match arn:aws:s3:::${bucket}/*)");
    }

    [Theory]
    [InlineData("\"NotAction\": \"s3:${verb}\", \"Resource\": \"*\"", "(action may be excluded by NotAction s3:${verb})")]
    [InlineData("\"Action\": \"s3:GetObject\", \"NotResource\": \"arn:aws:s3:::${bucket}/*\"", "(resource may be excluded by NotResource arn:aws:s3:::${bucket}/*)")]
    public void A_NotAction_or_NotResource_that_may_exclude_the_request_is_named(string elements, string why)
    {
        var p = Doc($$"""{ "Statement": [{ "Effect": "Allow", {{elements}} }] }""");
        var d = IamEvaluator.Evaluate([p], "s3:GetObject", Object);
        d.Outcome.Should().Be(Outcome.Unknown);
        d.Explanation.Should().EndWith(why);
    }

    [Fact]
    public void A_statement_matching_through_a_policy_variable_is_unknown_with_the_matching_parts_named()
    {
        var p = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::other/*" }] }""");
        IamEvaluator.Evaluate([p], "s3:GetObject", Object).DecidingStatements.Single().Why.Should().Be("matches");
        var listed = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"], "Condition": { "Bool": { "aws:SecureTransport": "true" } } }] }""");
        IamEvaluator.Match(listed.Statements[0], "s3:GetObject", Object, null, null).Why.Should().Be("condition Bool aws:SecureTransport true");
    }

    // --- pieces only known at apply time (Terraform) ---

    private static PolicyDocument FromTerraform(string tf)
    {
        var module = TerraformModule.FromSources("/x", ("main.tf", tf));
        module.Errors.Should().BeEmpty();
        var data = new HclEvaluator(module).Data("aws_iam_policy_document", "doc");
        return PolicyDocument.Parse(TerraformValueToTree.DecodeJson(data.Map["json"], SourceSpan.OfFile("main.tf")), "data.aws_iam_policy_document.doc");
    }

    [Theory]
    [InlineData("resources", "the resource list is not fully known")]
    [InlineData("not_resources", "the NotResource list is not fully known")]
    public void A_resource_list_holding_a_variable_says_the_list_is_not_fully_known(string element, string why)
    {
        var doc = FromTerraform($$"""
            variable "bucket_arn" {}
            data "aws_iam_policy_document" "doc" {
              statement {
                actions = ["s3:GetObject"]
                {{element}} = [var.bucket_arn]
              }
            }
            """);
        var d = IamEvaluator.Evaluate([doc], "s3:GetObject", Object);
        d.Outcome.Should().Be(Outcome.Unknown);
        d.Explanation.Should().Contain(why);
    }

    private static ScalarNode Text(string v) => new() { Value = v, Kind = ScalarKind.Quoted };

    [Fact]
    public void An_unknown_statement_and_an_unknown_principal_are_named_in_the_explanation()
    {
        var root = new MapNode();
        var statements = new SeqNode();
        statements.Add(new UnknownNode { Reason = "local.extra_statement is not known", Span = new SourceSpan("main.tf", 12, 5) });
        root.Add(Text("Statement"), statements);
        IamEvaluator.Evaluate([PolicyDocument.Parse(root, "p")], "s3:GetObject", Object).Explanation
            .Should().Contain("(the statement is not known (local.extra_statement is not known))");

        var trust = new MapNode();
        var st = new MapNode();
        st.Add(Text("Effect"), Text("Allow"));
        st.Add(Text("Action"), Text("sts:AssumeRole"));
        st.Add(Text("Principal"), new UnknownNode { Reason = "var.principal is not known" });
        trust.Add(Text("Statement"), st);
        TrustPolicy.AllowsService(PolicyDocument.Parse(trust, "trust"), "ecs-tasks.amazonaws.com").Explanation.Should().EndWith("(principal)");
    }
}
