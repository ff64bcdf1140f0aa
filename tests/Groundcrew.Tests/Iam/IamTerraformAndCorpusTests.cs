using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Xunit;
using Xunit.Abstractions;

namespace Groundcrew.Tests.Iam;

public class IamTerraformAndCorpusTests(ITestOutputHelper output)
{
    private static PolicyDocument FromTerraform(string tf, string name = "doc")
    {
        var module = TerraformModule.FromSources("/x", ("main.tf", tf));
        module.Errors.Should().BeEmpty();
        var data = new HclEvaluator(module).Data("aws_iam_policy_document", name);
        data.Kind.Should().Be(TfKind.Map);
        var tree = TerraformValueToTree.DecodeJson(data.Map["json"], SourceSpan.OfFile("main.tf"));
        return PolicyDocument.Parse(tree, $"data.aws_iam_policy_document.{name}");
    }

    private const string Secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf";

    [Fact]
    public void Terraform_policy_document_statements_point_at_their_hcl_lines()
    {
        var doc = FromTerraform("""
            data "aws_iam_policy_document" "doc" {
              statement {
                sid       = "Secrets"
                actions   = ["secretsmanager:GetSecretValue"]
                resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-*"]
              }
            }
            """);
        doc.IsUnknown.Should().BeFalse();
        var d = IamEvaluator.Evaluate([doc], "secretsmanager:GetSecretValue", Secret);
        d.Outcome.Should().Be(Outcome.Allowed);
        var s = d.DecidingStatements.Single();
        s.Span.File.Should().Be("main.tf");
        s.Span.StartLine.Should().Be(2);
        s.Statement!.Resource!.Values.Single().Span.StartLine.Should().Be(5);
    }

    [Fact]
    public void An_unknown_resource_makes_the_statement_unknown_not_a_match_or_a_miss()
    {
        var doc = FromTerraform("""
            variable "secret_arn" {}
            data "aws_iam_policy_document" "doc" {
              statement {
                actions   = ["secretsmanager:GetSecretValue"]
                resources = [var.secret_arn]
              }
              statement {
                actions   = ["ssm:GetParameters"]
                resources = ["*"]
              }
            }
            """);
        var d = IamEvaluator.Evaluate([doc], "secretsmanager:GetSecretValue", Secret);
        d.Outcome.Should().Be(Outcome.Unknown);
        d.DecidingStatements.Single().Span.StartLine.Should().Be(3);
        IamEvaluator.Evaluate([doc], "ssm:GetParameters", "arn:aws:ssm:us-east-1:1:parameter/x").Outcome
            .Should().Be(Outcome.Allowed, "the known statement still decides its own actions");
        IamEvaluator.Evaluate([doc], "s3:GetObject", "arn:aws:s3:::b/k").Outcome
            .Should().Be(Outcome.ImplicitDeny, "the unknown resource cannot matter when the action does not match");
    }

    [Fact]
    public void An_unknown_deny_blocks_a_known_allow_from_being_certain()
    {
        var doc = FromTerraform("""
            variable "denied_actions" { type = list(string) }
            data "aws_iam_policy_document" "doc" {
              statement {
                actions   = ["secretsmanager:GetSecretValue"]
                resources = ["*"]
              }
              statement {
                effect    = "Deny"
                actions   = var.denied_actions
                resources = ["*"]
              }
            }
            """);
        IamEvaluator.Evaluate([doc], "secretsmanager:GetSecretValue", Secret).Outcome.Should().Be(Outcome.Unknown);
    }

    [Fact]
    public void Terraform_trust_with_an_irsa_condition_from_a_principals_block()
    {
        var doc = FromTerraform("""
            data "aws_iam_policy_document" "doc" {
              statement {
                actions = ["sts:AssumeRoleWithWebIdentity"]
                principals {
                  type        = "Federated"
                  identifiers = ["arn:aws:iam::305032652600:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"]
                }
                condition {
                  test     = "StringEquals"
                  variable = "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"
                  values   = ["system:serviceaccount:ftc-app:os-service"]
                }
              }
            }
            """);
        var irsa = TrustPolicy.IrsaSubjects(doc, "oidc.eks.us-east-1.amazonaws.com/id/ABC").Single();
        irsa.Subjects.Single().Namespace.Should().Be("ftc-app");
        irsa.Subjects.Single().Span.StartLine.Should().Be(11);
        irsa.HasUnknown.Should().BeFalse();
    }

    [Fact]
    public void Unknown_condition_variable_makes_the_irsa_subjects_unknown()
    {
        var doc = FromTerraform("""
            variable "oidc_key" {}
            data "aws_iam_policy_document" "doc" {
              statement {
                actions = ["sts:AssumeRoleWithWebIdentity"]
                principals {
                  type        = "Federated"
                  identifiers = ["arn:aws:iam::305032652600:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"]
                }
                condition {
                  test     = "StringEquals"
                  variable = var.oidc_key
                  values   = ["system:serviceaccount:ftc-app:os-service"]
                }
              }
            }
            """);
        var irsa = TrustPolicy.IrsaSubjects(doc).Single();
        irsa.HasUnknown.Should().BeTrue();
        irsa.Allows("other", "sa").Should().Be(Applies.Unknown, "an unreadable condition must not be reported as 'no service account trusted'");
    }

    [Theory]
    [InlineData("\"${var.oidc_host}:sub\"")]
    [InlineData("\"${replace(aws_iam_openid_connect_provider.eks.url, \"https://\", \"\")}:sub\"")]
    public void A_condition_key_whose_issuer_host_is_computed_keeps_its_claim(string variable)
    {
        var doc = FromTerraform($$"""
            variable "oidc_host" {}
            resource "aws_eks_cluster" "main" {
              name = "main"
            }
            resource "aws_iam_openid_connect_provider" "eks" {
              url = aws_eks_cluster.main.identity[0].oidc[0].issuer
            }
            data "aws_iam_policy_document" "doc" {
              statement {
                actions = ["sts:AssumeRoleWithWebIdentity"]
                principals {
                  type        = "Federated"
                  identifiers = [aws_iam_openid_connect_provider.eks.arn]
                }
                condition {
                  test     = "StringEquals"
                  variable = {{variable}}
                  values   = ["system:serviceaccount:ftc-app:os-service"]
                }
              }
            }
            """);
        var irsa = TrustPolicy.IrsaSubjects(doc).Single();
        irsa.ProviderArn.Should().Be(TrustPolicy.UnknownProvider);
        irsa.HasUnknown.Should().BeFalse("the host is unknown, but the claim and the service account are written out");
        irsa.Subjects.Single().Namespace.Should().Be("ftc-app");
        irsa.Allows("ftc-app", "os-service").Should().Be(Applies.Yes);
        irsa.Allows("other", "sa").Should().Be(Applies.No);
    }

    [Fact]
    public void Jsonencode_inline_policy_with_a_computed_secret_arn_is_unknown_for_that_secret_only()
    {
        var module = TerraformModule.FromSources("/x", ("iam.tf", """
            resource "aws_secretsmanager_secret" "db" {
              name = "app/db"
            }
            resource "aws_iam_role_policy" "exec" {
              name = "exec"
              role = "ecsTaskExecutionRole"
              policy = jsonencode({
                Version = "2012-10-17"
                Statement = [
                  {
                    Effect   = "Allow"
                    Action   = ["secretsmanager:GetSecretValue"]
                    Resource = [aws_secretsmanager_secret.db.arn]
                  },
                  {
                    Effect   = "Allow"
                    Action   = "logs:CreateLogGroup"
                    Resource = "arn:aws:logs:*:*:log-group:/ecs/*"
                  }
                ]
              })
            }
            """));
        module.Errors.Should().BeEmpty();
        var instance = new HclEvaluator(module).Resource("aws_iam_role_policy", "exec");
        instance.Kind.Should().Be(TfKind.Map);
        var doc = PolicyDocument.Parse(TerraformValueToTree.DecodeJson(instance.Map["policy"], SourceSpan.OfFile("iam.tf")), "aws_iam_role_policy.exec");
        doc.IsUnknown.Should().BeFalse("jsonencode keeps the structure even when one value is computed");
        doc.Statements.Should().HaveCount(2);
        var d = IamEvaluator.Evaluate([doc], "secretsmanager:GetSecretValue", Secret);
        d.Outcome.Should().Be(Outcome.Unknown, "the secret ARN is only known after apply");
        d.DecidingStatements.Single().Span.File.Should().Be("iam.tf");
        IamEvaluator.Evaluate([doc], "logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api").Outcome.Should().Be(Outcome.Allowed);
        IamEvaluator.Evaluate([doc], "logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x").Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void An_unknown_statement_item_is_unknown_for_every_request_but_a_known_deny_still_wins()
    {
        var root = new MapNode();
        var statements = new SeqNode();
        var allow = new MapNode();
        allow.Add(Key("Effect"), new ScalarNode { Value = "Allow", Kind = ScalarKind.Quoted });
        allow.Add(Key("Action"), new ScalarNode { Value = "s3:GetObject", Kind = ScalarKind.Quoted });
        allow.Add(Key("Resource"), new ScalarNode { Value = "*", Kind = ScalarKind.Quoted });
        statements.Add(allow);
        statements.Add(new UnknownNode { Reason = "local.extra_statement is not known", Span = new SourceSpan("main.tf", 12, 5) });
        root.Add(Key("Statement"), statements);
        var doc = PolicyDocument.Parse(root, "p");
        doc.Statements.Should().HaveCount(2);
        var d = IamEvaluator.Evaluate([doc], "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q");
        d.Outcome.Should().Be(Outcome.Unknown);
        d.DecidingStatements.Single().Span.StartLine.Should().Be(12);
        IamEvaluator.Evaluate([doc], "s3:GetObject", "arn:aws:s3:::b/k").Outcome.Should().Be(Outcome.Unknown, "the unknown statement could be a Deny");
        var deny = IamEvaluatorTests.Doc("""{ "Statement": [{ "Effect": "Deny", "Action": "sqs:*", "Resource": "*" }] }""");
        IamEvaluator.Evaluate([doc, deny], "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q").Outcome.Should().Be(Outcome.Denied);
    }

    [Fact]
    public void An_unknown_principal_is_listed_as_unknown_in_who_can_assume()
    {
        var root = new MapNode();
        var st = new MapNode();
        st.Add(Key("Effect"), new ScalarNode { Value = "Allow", Kind = ScalarKind.Quoted });
        st.Add(Key("Action"), new ScalarNode { Value = "sts:AssumeRole", Kind = ScalarKind.Quoted });
        st.Add(Key("Principal"), new UnknownNode { Reason = "var.principal is not known" });
        root.Add(Key("Statement"), st);
        var doc = PolicyDocument.Parse(root, "trust");
        TrustPolicy.WhoCanAssume(doc).Single().Kind.Should().Be(PrincipalKind.Unknown);
        TrustPolicy.AllowsService(doc, "ecs-tasks.amazonaws.com").Outcome.Should().Be(Outcome.Unknown);
    }

    private static ScalarNode Key(string k) => new() { Value = k, Kind = ScalarKind.Quoted };

    [Fact]
    public void A_wholly_unknown_policy_is_unknown()
    {
        var unknown = PolicyDocument.Parse(new UnknownNode { Reason = "data.external.x is not known", Span = new SourceSpan("main.tf", 7, 3) }, "aws_iam_role_policy.x");
        unknown.IsUnknown.Should().BeTrue();
        var d = IamEvaluator.Evaluate([unknown], "s3:GetObject", "arn:aws:s3:::b/k");
        d.Outcome.Should().Be(Outcome.Unknown);
        d.DecidingStatements.Single().Span.StartLine.Should().Be(7);
    }

    [Fact]
    public void Every_iam_policy_json_of_the_corpus_parses_and_evaluates_without_exceptions()
    {
        const string corpus = "/work/shared/corpus";
        if (!Directory.Exists(corpus))
        {
            output.WriteLine($"SKIPPED: the corpus folder {corpus} is absent");
            Environment.GetEnvironmentVariable("CI").Should().NotBe("true", "the corpus must be present in CI");
            return;
        }
        var files = Directory.EnumerateFiles(corpus, "*.json", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("\"Statement\"", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        files.Count.Should().BeGreaterThan(50, "the corpus holds about a hundred IAM policy documents");
        var statements = 0;
        var unreadable = new List<string>();
        var outcomes = new Dictionary<Outcome, int>();
        foreach (var f in files)
        {
            var doc = PolicyDocument.ParseJson(File.ReadAllText(f), f, Path.GetFileName(f));
            statements += doc.Statements.Count;
            if (doc.IsUnknown || doc.Problems.Count > 0) unreadable.Add($"{f}: {doc.UnknownReason} {string.Join("; ", doc.Problems)}");
            foreach (var (action, arn) in new[] { ("secretsmanager:GetSecretValue", Secret), ("iam:CreateRole", "arn:aws:iam::123456789012:role/x"), ("s3:GetObject", "arn:aws:s3:::b/k") })
            {
                var d = IamEvaluator.Evaluate([doc], action, arn);
                outcomes[d.Outcome] = outcomes.GetValueOrDefault(d.Outcome) + 1;
                d.Explanation.Should().NotBeNullOrEmpty();
            }
            TrustPolicy.WhoCanAssume(doc);
            TrustPolicy.IrsaSubjects(doc);
            TrustPolicy.AllowsService(doc, "ecs-tasks.amazonaws.com");
        }
        output.WriteLine($"{files.Count} documents, {statements} statements; outcomes: {string.Join(", ", outcomes.Select(kv => $"{kv.Key}={kv.Value}"))}");
        statements.Should().BeGreaterThan(files.Count, "most documents hold statements");
        unreadable.Should().BeEmpty("every corpus policy is well-formed IAM JSON and must be read completely");
    }
}
