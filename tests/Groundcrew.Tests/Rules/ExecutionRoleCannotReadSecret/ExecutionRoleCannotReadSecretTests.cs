using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ExecutionRoleCannotReadSecret;

public class ExecutionRoleCannotReadSecretTests
{
    private const string Id = "execution-role-cannot-read-secret";

    /// <summary>The trust policy of an ECS role, as HCL (shared with <see cref="SecretSourceMutationTests"/>).</summary>
    internal const string Trust = """
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
          })
        """;

    /// <summary>A role "exec" with one inline statement allowing <paramref name="action"/> on <paramref name="resource"/> (HCL expression), plus extra HCL.</summary>
    private static string Role(string action, string resource, string extra = "") => $$"""
        resource "aws_iam_role" "exec" {
          name = "exec"
        {{Trust}}
          inline_policy {
            name = "secrets"
            policy = jsonencode({
              Version   = "2012-10-17"
              Statement = [{ Effect = "Allow", Action = "{{action}}", Resource = {{resource}} }]
            })
          }
        }
        {{extra}}
        """;

    private static string TaskDefinition(string valueFrom, string role = "arn:aws:iam::111122223333:role/exec") => $$"""
        {
          "family": "app",
          "executionRoleArn": "{{role}}",
          "containerDefinitions": [
            { "name": "app", "image": "example/app:1", "secrets": [{ "name": "VALUE", "valueFrom": "{{valueFrom}}" }] }
          ]
        }
        """;

    private static List<Finding> Check(string tf, string taskDefinition) =>
        Scan.Files(("iam.tf", tf), ("td.json", taskDefinition)).Of(Id).ToList();

    [Fact]
    public void A_policy_naming_the_secret_without_its_suffix_covers_neither_the_full_nor_the_partial_ARN()
    {
        var role = Role("secretsmanager:GetSecretValue", "\"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db\"");
        Check(role, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbC123:password::"))
            .Should().ContainSingle().Which.Message.Should().Contain("without the 6-character suffix");
        Check(role, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db:password::")).Should().ContainSingle();
    }

    [Theory]
    [InlineData("\"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-*\"")]
    [InlineData("\"arn:aws:secretsmanager:*:111122223333:secret:app/*\"")]
    [InlineData("\"*\"")]
    [InlineData("\"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbC123\"")] // one suffix spelt out: may be the secret's
    public void A_statement_that_covers_or_may_cover_a_partial_secret_ARN_is_not_reported(string resource) =>
        Check(Role("secretsmanager:GetSecretValue", resource), TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db:password::"))
            .Should().BeEmpty();

    [Fact]
    public void A_secret_whose_own_name_ends_like_a_suffix_is_judged_both_ways()
    {
        // "app/api-keys-abcdef" may be the full ARN of "app/api-keys" or the partial ARN of a secret named "app/api-keys-abcdef".
        Check(Role("secretsmanager:GetSecretValue", "\"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/api-keys-abcdef-*\""),
            TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/api-keys-abcdef")).Should().BeEmpty();
    }

    [Fact]
    public void A_bare_parameter_name_is_read_in_the_tasks_account_and_region()
    {
        var other = Role("ssm:GetParameters", "\"arn:aws:ssm:*:999999999999:parameter/app/*\"");
        var finding = Check(other, TaskDefinition("/app/token")).Should().ContainSingle().Subject;
        finding.Message.Should().Contain("ssm:GetParameters").And.Contain("parameter/app/token");
        finding.Fix.Should().Contain("arn:aws:ssm:*:111122223333:parameter/app/token");
        Check(Role("ssm:GetParameters", "\"arn:aws:ssm:eu-west-1:111122223333:parameter/app/*\""), TaskDefinition("/app/token"))
            .Should().BeEmpty("the task may run in eu-west-1");
        Check(Role("ssm:GetParameter", "\"*\""), TaskDefinition("/app/token"))
            .Should().ContainSingle("ECS calls ssm:GetParameters, which ssm:GetParameter does not grant");
    }

    [Fact]
    public void The_finding_names_role_secret_and_action_and_points_at_the_role_and_its_attachments()
    {
        var tf = Role("s3:GetObject", "\"*\"", """
            resource "aws_iam_role_policy_attachment" "exec" {
              role       = aws_iam_role.exec.name
              policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
            }
            """);
        var f = Check(tf, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbC123:password::")).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.File.Should().Be("td.json");
        f.Message.Should().Contain("`exec`").And.Contain("app/db-AbC123").And.Contain("secretsmanager:GetSecretValue").And.Contain("`VALUE`");
        var attachmentLine = tf.Split('\n').ToList().FindIndex(l => l.Contains("policy_arn")) + 1;
        f.Related.Should().Contain(r => r.Span.File == "iam.tf" && r.Span.StartLine == attachmentLine && r.Message.Contains("AmazonECSTaskExecutionRolePolicy"),
            "the related location points at the attachment, not at the role's name its `role = aws_iam_role.exec.name` evaluates to");
        f.Related.Should().Contain(r => r.Span.File == "iam.tf" && r.Message.Contains("inline_policy"));
        f.Fix.Should().Contain("Effect   = \"Allow\"").And.Contain("Action   = [\"secretsmanager:GetSecretValue\"]")
            .And.Contain("Resource = [\"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbC123\"]");
    }

    [Fact]
    public void The_fix_for_a_secret_named_without_suffix_uses_a_wildcard_suffix() =>
        Check(Role("s3:GetObject", "\"*\""), TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db"))
            .Should().ContainSingle().Which.Fix.Should().Contain("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-*");

    [Fact]
    public void Nothing_is_said_when_an_attachment_targets_a_role_we_cannot_identify()
    {
        var tf = Role("s3:GetObject", "\"*\"", """
            variable "role_name" {
              type = string
            }
            resource "aws_iam_role_policy_attachment" "elsewhere" {
              role       = var.role_name
              policy_arn = "arn:aws:iam::111122223333:policy/secrets"
            }
            """);
        Check(tf, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db")).Should().BeEmpty();
    }

    [Fact]
    public void A_resource_policy_on_the_secret_may_grant_the_role()
    {
        var tf = Role("s3:GetObject", "\"*\"", """
            resource "aws_secretsmanager_secret" "db" {
              name = "app/db"
            }
            resource "aws_secretsmanager_secret_policy" "db" {
              secret_arn = aws_secretsmanager_secret.db.arn
              policy     = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """);
        Check(tf, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db")).Should().BeEmpty();
        Check(tf, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/other")).Should().ContainSingle("the policy is on another secret");
    }

    [Fact]
    public void A_customer_key_with_its_own_key_policy_is_not_judged()
    {
        var tf = Role("secretsmanager:GetSecretValue", "[aws_secretsmanager_secret.db.arn]", """
            resource "aws_kms_key" "db" {
              policy = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            resource "aws_secretsmanager_secret" "db" {
              name       = "app/db"
              kms_key_id = aws_kms_key.db.arn
            }
            resource "aws_ecs_task_definition" "app" {
              family             = "app"
              execution_role_arn = aws_iam_role.exec.arn
              container_definitions = jsonencode([{ name = "app", image = "example/app:1", secrets = [{ name = "DB", valueFrom = aws_secretsmanager_secret.db.arn }] }])
            }
            """);
        Scan.Files(("iam.tf", tf)).Of(Id).Should().BeEmpty();
        Scan.Files(("iam.tf", tf.Replace("policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })", "description = \"db\"")))
            .Of(Id).Should().ContainSingle().Which.Message.Should().Contain("kms:Decrypt").And.Contain("aws_kms_key.db");
    }

    [Fact]
    public void Terraform_references_in_the_policy_are_compared_with_the_secret_the_task_reads()
    {
        string Tf(string resource) => Role("secretsmanager:GetSecretValue", resource, """
            resource "aws_secretsmanager_secret" "db" {
              name = "app/db"
            }
            resource "aws_secretsmanager_secret" "cache" {
              name = "app/cache"
            }
            resource "aws_ecs_task_definition" "app" {
              family             = "app"
              execution_role_arn = aws_iam_role.exec.arn
              container_definitions = jsonencode([{ name = "app", image = "example/app:1", secrets = [{ name = "DB", valueFrom = "${aws_secretsmanager_secret.db.arn}:password::" }] }])
            }
            """);
        Scan.Files(("iam.tf", Tf("[aws_secretsmanager_secret.db.arn]"))).Of(Id).Should().BeEmpty();
        Scan.Files(("iam.tf", Tf("[aws_secretsmanager_secret.db.id]"))).Of(Id).Should().BeEmpty("the id of a secret is its ARN");
        var f = Scan.Files(("iam.tf", Tf("[aws_secretsmanager_secret.cache.arn]"))).Of(Id).Should().ContainSingle().Subject;
        f.Fix.Should().Contain("Resource = [aws_secretsmanager_secret.db.arn]");
        Scan.Files(("iam.tf", Tf("\"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-*\""))).Of(Id)
            .Should().BeEmpty("the secret's region and account are not known: the literal may be its ARN");
        Scan.Files(("iam.tf", Tf("\"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/cache-*\""))).Of(Id).Should().ContainSingle();
    }

    [Fact]
    public void Secrets_with_generated_names_are_compared_by_reference()
    {
        // The shape of aws-containers/retail-store-sample-app: random secret names, valueFrom through the secret
        // version, a customer managed key by key_id, the grant in an aws_iam_policy attached by reference.
        string Tf(string granted) => Role("s3:GetObject", "\"*\"", $$"""
            resource "random_string" "suffix" {
              length = 4
            }
            resource "aws_kms_key" "cmk" {
              description = "secrets"
            }
            resource "aws_secretsmanager_secret" "db" {
              name       = "orders-db-${random_string.suffix.result}"
              kms_key_id = aws_kms_key.cmk.key_id
            }
            resource "aws_secretsmanager_secret" "mq" {
              name = "orders-mq-${random_string.suffix.result}"
            }
            resource "aws_secretsmanager_secret_version" "db" {
              secret_id     = aws_secretsmanager_secret.db.id
              secret_string = "{}"
            }
            data "aws_iam_policy_document" "secrets" {
              statement {
                actions   = ["secretsmanager:GetSecretValue", "kms:Decrypt*"]
                resources = [{{granted}}, aws_kms_key.cmk.arn]
              }
            }
            resource "aws_iam_policy" "secrets" {
              name   = "orders-secrets"
              policy = data.aws_iam_policy_document.secrets.json
            }
            resource "aws_iam_role_policy_attachment" "secrets" {
              role       = aws_iam_role.exec.name
              policy_arn = aws_iam_policy.secrets.arn
            }
            resource "aws_ecs_task_definition" "app" {
              family             = "app"
              execution_role_arn = aws_iam_role.exec.arn
              container_definitions = jsonencode([{ name = "app", image = "example/app:1", secrets = [
                { name = "DB_HOST", valueFrom = "${aws_secretsmanager_secret_version.db.arn}:host::" },
                { name = "MQ_PASSWORD", valueFrom = "${aws_secretsmanager_secret.mq.arn}:password::" },
              ] }])
            }
            """);
        Scan.Files(("iam.tf", Tf("aws_secretsmanager_secret.db.arn, aws_secretsmanager_secret.mq.arn"))).Of(Id).Should().BeEmpty();
        var f = Scan.Files(("iam.tf", Tf("aws_secretsmanager_secret.mq.arn"))).Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("aws_secretsmanager_secret.db").And.Contain("secretsmanager:GetSecretValue").And.NotContain("kms:Decrypt on")
            .And.NotContain("MQ_PASSWORD", "two secrets with generated names are two problems, not one");
        Scan.Files(("iam.tf", Tf("aws_secretsmanager_secret.db.arn"))).Of(Id).Should().ContainSingle().Which.Message.Should().Contain("MQ_PASSWORD");
        f.Fix.Should().Contain("Resource = [aws_secretsmanager_secret.db.arn]");
        Scan.Files(("iam.tf", Tf("\"arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-*\""))).Of(Id)
            .Should().BeEmpty("a literal ARN may name the generated secret");
    }

    [Fact]
    public void An_explicit_deny_is_reported_with_the_denying_statement()
    {
        var tf = """
            resource "aws_iam_role" "exec" {
              name = "exec"
              assume_role_policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
              })
              inline_policy {
                name = "secrets"
                policy = jsonencode({
                  Version = "2012-10-17"
                  Statement = [
                    { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" },
                    { Sid = "NoProd", Effect = "Deny", Action = "secretsmanager:*", Resource = "arn:aws:secretsmanager:*:*:secret:prod/*" },
                  ]
                })
              }
            }
            """;
        var f = Check(tf, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db")).Should().ContainSingle().Subject;
        f.Message.Should().Contain("explicitly denied").And.Contain("NoProd");
        f.Fix.Should().Contain("Remove or narrow the Deny");
        f.Related.Should().Contain(r => r.Span.StartLine == 13);
        Check(tf, TaskDefinition("arn:aws:secretsmanager:us-east-1:111122223333:secret:staging/db")).Should().BeEmpty();
    }

    [Fact]
    public void Clean_example_roles_are_found_and_grant_what_the_task_reads()
    {
        var result = Scan.Folder(Path.Combine(Repo.Root, "examples", "clean"));
        result.Model.IamRoles.FindByArn("arn:aws:iam::305032652600:role/shop-orders-worker-execution").Should().NotBeNull();
        result.Model.IamRoles.HasUnresolvedAttachments.Should().BeFalse();
        result.Of(Id).Should().BeEmpty();
    }
}
