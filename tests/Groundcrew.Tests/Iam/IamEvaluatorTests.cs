using FluentAssertions;
using Groundcrew.Iam;
using Xunit;

namespace Groundcrew.Tests.Iam;

public class IamEvaluatorTests
{
    private const string Secret = "arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/development-G9l4vD";

    internal static PolicyDocument Doc(string json, string file = "policy.json") => PolicyDocument.ParseJson(json, file, file);

    private static Decision Eval(string action, string resource, params string[] policies) =>
        IamEvaluator.Evaluate(policies.Select((p, i) => Doc(p, $"p{i}.json")), action, resource);

    [Fact]
    public void Allow_statement_grants_and_names_the_statement_with_its_line()
    {
        var d = Eval("s3:GetObject", "arn:aws:s3:::bucket/key", """
            {
              "Version": "2012-10-17",
              "Statement": [
                { "Sid": "Other", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*" },
                {
                  "Sid": "Read",
                  "Effect": "Allow",
                  "Action": ["s3:GetObject"],
                  "Resource": "arn:aws:s3:::bucket/*"
                }
              ]
            }
            """);
        d.Outcome.Should().Be(Outcome.Allowed);
        d.DecidingStatements.Should().ContainSingle();
        d.DecidingStatements[0].Statement!.Sid.Should().Be("Read");
        d.DecidingStatements[0].Span.File.Should().Be("p0.json");
        d.DecidingStatements[0].Span.StartLine.Should().Be(5, "the statement object opens on line 5");
        d.Explanation.Should().Contain("'Read'").And.Contain("p0.json:5");
    }

    [Fact]
    public void Nothing_allowing_is_an_implicit_deny()
    {
        var d = Eval("s3:PutObject", "arn:aws:s3:::bucket/key",
            """{ "Statement": { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } }""");
        d.Outcome.Should().Be(Outcome.ImplicitDeny);
        d.IsDenied.Should().BeTrue();
        d.Explanation.Should().Contain("no statement allows s3:PutObject");
    }

    [Fact]
    public void Explicit_deny_beats_allow_even_in_another_policy()
    {
        var allow = """{ "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] }""";
        var deny = """{ "Statement": [{ "Sid": "NoSecrets", "Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*" }] }""";
        var d = Eval("secretsmanager:GetSecretValue", Secret, allow, deny);
        d.Outcome.Should().Be(Outcome.Denied);
        d.DecidingStatements.Single().Statement!.Sid.Should().Be("NoSecrets");
        Eval("s3:GetObject", "arn:aws:s3:::b/k", allow, deny).Outcome.Should().Be(Outcome.Allowed, "the deny covers secretsmanager only");
    }

    [Fact]
    public void NotAction_allows_everything_but_the_listed_actions()
    {
        var p = """{ "Statement": [{ "Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*" }] }""";
        Eval("s3:GetObject", "arn:aws:s3:::b/k", p).Outcome.Should().Be(Outcome.Allowed);
        Eval("iam:CreateRole", "arn:aws:iam::123456789012:role/x", p).Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void Deny_with_NotResource_denies_everything_outside_the_listed_resources()
    {
        var p = """
            { "Statement": [
              { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
              { "Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::mine", "arn:aws:s3:::mine/*"] }
            ] }
            """;
        Eval("s3:GetObject", "arn:aws:s3:::mine/k", p).Outcome.Should().Be(Outcome.Allowed);
        Eval("s3:GetObject", "arn:aws:s3:::theirs/k", p).Outcome.Should().Be(Outcome.Denied);
    }

    [Theory]
    [InlineData("s3:Get*", "s3:GetObject", true)]
    [InlineData("S3:getobject", "s3:GetObject", true)]
    [InlineData("s3:GetObject", "S3:GETOBJECT", true)]
    [InlineData("s3:Get?bject", "s3:GetObject", true)]
    [InlineData("s3:Get?bject", "s3:GetObjject", false)]
    [InlineData("s3:*Object", "s3:PutObject", true)]
    [InlineData("s3:*Object", "s3:PutObjectAcl", false)]
    [InlineData("*", "anything:AtAll", true)]
    [InlineData("sqs:*", "sqs", false)]
    [InlineData("ssm:GetParameter", "ssm:GetParameters", false)]
    public void Action_wildcards_are_case_insensitive(string pattern, string action, bool expected) =>
        IamMatch.Action(pattern, action).Should().Be(expected);

    [Theory]
    [InlineData("*", "arn:aws:s3:::b/k", true)]
    [InlineData("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", true)]
    [InlineData("arn:aws:s3:::b/*", "arn:aws:s3:::bb/k", false)]
    [InlineData("arn:aws:s3:::B/*", "arn:aws:s3:::b/k", false)] // resource ARNs are case-sensitive
    [InlineData("arn:aws:ssm:*:*:parameter/app/*", "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/url", true)]
    [InlineData("arn:aws:ssm:us-east-?:*:parameter/app/*", "arn:aws:ssm:us-east-1:123456789012:parameter/app/x", true)]
    [InlineData("arn:aws:ssm:us-west-?:*:parameter/app/*", "arn:aws:ssm:us-east-1:123456789012:parameter/app/x", false)]
    [InlineData("arn:aws:logs:*", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*", true)]
    [InlineData("arn:aws:logs:*:*:*", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:log-stream:x", true)]
    [InlineData("arn:aws:*:*:*:*", "arn:aws:logs:us-east-1:123456789012:log-group:x", true)]
    [InlineData("arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1", true)]
    [InlineData("arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", false)]
    [InlineData("arn:aws:sqs:*:123456789012:*", "arn:aws:sqs:eu-west-1:210987654321:q", false)] // the wildcard in region does not swallow the account
    [InlineData("arn:aws:s3:::b", "arn:aws:s3:::b/k", false)]
    [InlineData("arn:aws:ecr:*:*:*", "*", false)] // an action without resource-level permission needs Resource "*"
    public void Resource_arns_match_segment_by_segment(string pattern, string arn, bool expected) =>
        IamMatch.Resource(pattern, arn).Should().Be(expected);

    [Fact]
    public void Secret_resource_needs_the_six_character_suffix_or_a_wildcard()
    {
        IamMatch.Resource("arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/development-*", Secret).Should().BeTrue();
        IamMatch.Resource("arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/development-??????", Secret).Should().BeTrue();
        IamMatch.Resource("arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/development", Secret).Should().BeFalse();
        IamMatch.Resource(Secret, Secret).Should().BeTrue();

        var d = Eval("secretsmanager:GetSecretValue", Secret, """
            { "Statement": [{ "Sid": "Secrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
              "Resource": "arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/development" }] }
            """);
        d.Outcome.Should().Be(Outcome.ImplicitDeny);
        d.Explanation.Should().Contain("without the 6-character suffix").And.Contain("development-*");
        d.DecidingStatements.Single().Statement!.Sid.Should().Be("Secrets");
    }

    [Fact]
    public void C2_fix_from_the_post_mortem_grants_the_secret_and_the_parameters()
    {
        // The inline policy SecretsManagerAccess added in /work/shared/seeds/002 ("Fix Applied").
        var fix = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["secretsmanager:GetSecretValue"],
                  "Resource": [
                    "arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/development-*",
                    "arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/redis/development/auth-token-*"
                  ]
                },
                {
                  "Effect": "Allow",
                  "Action": ["ssm:GetParameters", "ssm:GetParameter"],
                  "Resource": ["arn:aws:ssm:us-east-1:932100697590:parameter/hokusai/development/*"]
                }
              ]
            }
            """;
        var policies = new[] { ManagedPolicies.DocumentFor("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"), Doc(fix) };
        IamEvaluator.Evaluate(policies, "secretsmanager:GetSecretValue", Secret).Outcome.Should().Be(Outcome.Allowed);
        IamEvaluator.Evaluate(policies, "ssm:GetParameters", "arn:aws:ssm:us-east-1:932100697590:parameter/hokusai/development/database/url")
            .Outcome.Should().Be(Outcome.Allowed);
        IamEvaluator.Evaluate(policies, "ssm:GetParameters", "arn:aws:ssm:us-east-1:932100697590:parameter/other/x")
            .Outcome.Should().Be(Outcome.ImplicitDeny);
        IamEvaluator.Evaluate(policies, "secretsmanager:GetSecretValue",
                "arn:aws:secretsmanager:us-east-1:932100697590:secret:hokusai/app-secrets/production-Ab12Cd")
            .Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void Allow_with_a_condition_is_conditional_and_reports_the_condition()
    {
        var p = """
            { "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
              "Condition": { "StringEquals": { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } }] }
            """;
        var d = Eval("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/abc", p);
        d.Outcome.Should().Be(Outcome.Conditional);
        d.Explanation.Should().Contain("kms:ViaService");
        d.DecidingStatements.Single().Statement!.Conditions.Single().Operator.Should().Be("StringEquals");
    }

    [Fact]
    public void Conditions_are_evaluated_when_the_context_gives_the_key()
    {
        var p = Doc("""
            { "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
              "Condition": { "StringLike": { "kms:ViaService": "secretsmanager.*.amazonaws.com" } } }] }
            """);
        var key = "arn:aws:kms:us-east-1:123456789012:key/abc";
        IamEvaluator.Evaluate([p], "kms:Decrypt", key, new Dictionary<string, string> { ["kms:ViaService"] = "secretsmanager.us-east-1.amazonaws.com" })
            .Outcome.Should().Be(Outcome.Allowed);
        IamEvaluator.Evaluate([p], "kms:Decrypt", key, new Dictionary<string, string> { ["kms:ViaService"] = "s3.us-east-1.amazonaws.com" })
            .Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void A_conditional_deny_over_an_allow_is_conditional_but_cannot_turn_an_implicit_deny_into_an_allow()
    {
        var p = """
            { "Statement": [
              { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },
              { "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
            ] }
            """;
        Eval("s3:GetObject", "arn:aws:s3:::b/k", p).Outcome.Should().Be(Outcome.Conditional);
        Eval("s3:PutObject", "arn:aws:s3:::b/k", p).Outcome.Should().Be(Outcome.ImplicitDeny);
        IamEvaluator.Evaluate([Doc(p)], "s3:GetObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["aws:SecureTransport"] = "true" })
            .Outcome.Should().Be(Outcome.Allowed);
    }

    [Fact]
    public void A_managed_policy_we_do_not_carry_is_unknown_unless_a_known_statement_settles_it()
    {
        var unknownManaged = ManagedPolicies.DocumentFor("arn:aws:iam::aws:policy/SomePolicyWeDoNotCarry");
        unknownManaged.IsUnknown.Should().BeTrue();
        var d = IamEvaluator.Evaluate([unknownManaged], "secretsmanager:GetSecretValue", Secret);
        d.Outcome.Should().Be(Outcome.Unknown);
        d.Explanation.Should().Contain("SomePolicyWeDoNotCarry");

        var deny = Doc("""{ "Statement": [{ "Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*" }] }""");
        IamEvaluator.Evaluate([unknownManaged, deny], "secretsmanager:GetSecretValue", Secret).Outcome.Should().Be(Outcome.Denied, "a known explicit deny wins whatever the unknown policy says");

        var allow = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*" }] }""");
        IamEvaluator.Evaluate([unknownManaged, allow], "secretsmanager:GetSecretValue", Secret).Outcome
            .Should().Be(Outcome.Unknown, "the unknown policy could hold a Deny");
    }

    [Fact]
    public void Managed_policy_lookup_by_arn_respects_the_path()
    {
        ManagedPolicies.Find("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy").Should().NotBeNull();
        ManagedPolicies.Find("arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy").Should().BeNull("the policy lives under service-role/");
        ManagedPolicies.Find("arn:aws:iam::123456789012:policy/AmazonEKS_CNI_Policy").Should().BeNull("a customer policy of the same name is not the AWS one");
        ManagedPolicies.Find(null).Should().BeNull();
        ManagedPolicies.IsAwsManagedArn("arn:aws:iam::aws:policy/AdministratorAccess").Should().BeTrue();
        ManagedPolicies.IsAwsManagedArn("arn:aws:iam::123456789012:policy/Mine").Should().BeFalse();
        foreach (var p in ManagedPolicies.Known)
        {
            p.Source.Should().StartWith("https://docs.aws.amazon.com/", p.Name);
            p.Document.Problems.Should().BeEmpty(p.Name);
            p.Document.Statements.Should().NotBeEmpty(p.Name);
            ManagedPolicies.Find(p.Arn).Should().BeSameAs(p);
        }
        ManagedPolicies.Known.Select(p => p.Name).Should().Contain(["AmazonECSTaskExecutionRolePolicy", "AmazonEKSWorkerNodePolicy",
            "AmazonEC2ContainerRegistryReadOnly", "AmazonEKS_CNI_Policy", "AmazonSSMReadOnlyAccess", "AmazonSQSReadOnlyAccess"]);
    }

    [Fact]
    public void C2_the_task_execution_managed_policy_alone_cannot_read_secrets_or_parameters()
    {
        // /work/shared/seeds/002: the execution role had only AmazonECSTaskExecutionRolePolicy and the task failed
        // with AccessDeniedException on secretsmanager:GetSecretValue.
        var exec = ManagedPolicies.DocumentFor("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
        exec.IsUnknown.Should().BeFalse();
        IamEvaluator.Evaluate([exec], "secretsmanager:GetSecretValue", Secret).Outcome.Should().Be(Outcome.ImplicitDeny);
        IamEvaluator.Evaluate([exec], "ssm:GetParameters", "arn:aws:ssm:us-east-1:932100697590:parameter/hokusai/development/database/url")
            .Outcome.Should().Be(Outcome.ImplicitDeny);
        var pull = IamEvaluator.Evaluate([exec], "ecr:BatchGetImage", "arn:aws:ecr:us-east-1:932100697590:repository/api");
        pull.Outcome.Should().Be(Outcome.Allowed);
        pull.Explanation.Should().Contain("AmazonECSTaskExecutionRolePolicy");
        IamEvaluator.Evaluate([exec], "logs:CreateLogGroup", "arn:aws:logs:us-east-1:932100697590:log-group:/ecs/api")
            .Outcome.Should().Be(Outcome.ImplicitDeny, "awslogs-create-group needs a permission the managed policy does not give");
    }

    [Fact]
    public void Managed_ssm_read_only_allows_get_parameters_by_wildcard()
    {
        var ssm = ManagedPolicies.DocumentFor("arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess");
        IamEvaluator.Evaluate([ssm], "ssm:GetParameters", "arn:aws:ssm:us-east-1:1:parameter/x").Outcome.Should().Be(Outcome.Allowed);
        IamEvaluator.Evaluate([ssm], "ssm:PutParameter", "arn:aws:ssm:us-east-1:1:parameter/x").Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void Single_statement_object_and_single_string_forms_are_read()
    {
        var d = Doc("""{ "Version": "2012-10-17", "Statement": { "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1:q" } }""");
        d.Statements.Should().ContainSingle();
        d.Statements[0].Action!.Values.Select(v => v.Value).Should().Equal("sqs:SendMessage");
        IamEvaluator.Evaluate([d], "SQS:sendmessage", "arn:aws:sqs:us-east-1:1:q").Outcome.Should().Be(Outcome.Allowed);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{}")]
    [InlineData("""{ "Statement": 5 }""")]
    [InlineData("""{ "Statement": [1, "x", null, {}] }""")]
    [InlineData("""{ "Statement": [{ "Effect": "Maybe", "Action": {"a": 1}, "Resource": [1, null], "Condition": "x", "Principal": 3 }] }""")]
    [InlineData("not json")]
    public void Malformed_documents_never_throw_and_never_allow(string json)
    {
        var doc = Doc(json);
        var d = IamEvaluator.Evaluate([doc], "s3:GetObject", "arn:aws:s3:::b/k");
        d.Outcome.Should().NotBe(Outcome.Allowed);
        TrustPolicy.WhoCanAssume(doc).Should().BeEmpty();
        TrustPolicy.IrsaSubjects(doc).Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_effect_is_unknown_when_the_statement_would_apply()
    {
        var doc = Doc("""{ "Statement": [{ "Effect": "Maybe", "Action": "s3:*", "Resource": "*" }] }""");
        doc.Problems.Should().ContainSingle(p => p.Contains("Effect"));
        IamEvaluator.Evaluate([doc], "s3:GetObject", "arn:aws:s3:::b/k").Outcome.Should().Be(Outcome.Unknown);
        IamEvaluator.Evaluate([doc], "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q").Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-*", Applies.Yes)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-??????", Applies.Yes)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/*", Applies.Yes)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db*", Applies.Yes)]
    [InlineData("*", Applies.Yes)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf", Applies.Unknown)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-A*", Applies.Unknown)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db", Applies.No)]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/other-*", Applies.No)]
    [InlineData("arn:aws:secretsmanager:us-east-1:2:secret:app/db-*", Applies.No)]
    public void Secret_known_without_its_suffix_matches_only_patterns_covering_any_suffix(string pattern, Applies expected) =>
        IamMatch.ResourceForSecretWithoutSuffix(pattern, "arn:aws:secretsmanager:us-east-1:1:secret:app/db").Should().Be(expected);

    [Fact]
    public void Evaluating_a_partial_secret_arn_is_unknown_when_the_policy_spells_out_a_suffix()
    {
        const string partial = "arn:aws:secretsmanager:us-east-1:1:secret:app/db";
        var wildcard = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:1:secret:app/db-*" }] }""");
        var exact = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf" }] }""");
        var bare = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:1:secret:app/db" }] }""");
        IamEvaluator.EvaluateSecretWithoutSuffix([wildcard], "secretsmanager:GetSecretValue", partial).Outcome.Should().Be(Outcome.Allowed);
        var d = IamEvaluator.EvaluateSecretWithoutSuffix([exact], "secretsmanager:GetSecretValue", partial);
        d.Outcome.Should().Be(Outcome.Unknown);
        d.Explanation.Should().Contain("db-AbCdEf");
        IamEvaluator.EvaluateSecretWithoutSuffix([bare], "secretsmanager:GetSecretValue", partial).Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf:password::", "arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf")]
    [InlineData("arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf", "arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf")]
    [InlineData("arn:aws:ssm:us-east-1:1:parameter/app/db", null)]
    [InlineData("app/db", null)]
    public void Secret_arn_is_taken_from_an_ecs_value_from(string valueFrom, string? expected) =>
        IamMatch.SecretArnOf(valueFrom).Should().Be(expected);

    [Fact]
    public void Complete_secret_arns_are_recognised_by_their_suffix_shape()
    {
        IamMatch.LooksLikeCompleteSecretArn(Secret).Should().BeTrue();
        IamMatch.LooksLikeCompleteSecretArn("arn:aws:secretsmanager:us-east-1:1:secret:app/db").Should().BeFalse();
        IamMatch.LooksLikeCompleteSecretArn("arn:aws:secretsmanager:us-east-1:1:secret:db-pass_w").Should().BeFalse();
    }

    [Fact]
    public void Policy_variables_and_template_placeholders_are_unknown_not_a_match_or_a_miss()
    {
        var p = Doc("""
            { "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject",
              "Resource": ["arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::${bucket_name}/*"] }] }
            """);
        var d = IamEvaluator.Evaluate([p], "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt");
        d.Outcome.Should().Be(Outcome.Unknown);
        d.Explanation.Should().Contain("${aws:username}");
        IamEvaluator.Evaluate([p], "s3:GetObject", "arn:aws:s3:::data/k").Outcome.Should().Be(Outcome.Unknown, "${bucket_name} could be data");
        IamEvaluator.Evaluate([p], "s3:PutObject", "arn:aws:s3:::data/k").Outcome.Should().Be(Outcome.ImplicitDeny);
        var other = Doc("""{ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*" }] }""");
        IamEvaluator.Evaluate([other], "s3:GetObject", "arn:aws:s3:::work/alice/x").Outcome.Should().Be(Outcome.ImplicitDeny, "no value of the variable makes home/ match work/");
    }

    [Fact]
    public void Managed_power_user_grants_by_NotAction_everything_but_iam()
    {
        var power = ManagedPolicies.DocumentFor("arn:aws:iam::aws:policy/PowerUserAccess");
        IamEvaluator.Evaluate([power], "secretsmanager:GetSecretValue", Secret).Outcome.Should().Be(Outcome.Allowed);
        IamEvaluator.Evaluate([power], "iam:PassRole", "arn:aws:iam::1:role/task").Outcome.Should().Be(Outcome.ImplicitDeny);
        IamEvaluator.Evaluate([power], "iam:ListRoles", "*").Outcome.Should().Be(Outcome.Allowed);
    }
}
