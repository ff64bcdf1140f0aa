using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ExecutionRoleCannotReadSecret;

/// <summary>
/// Tests written from the Stryker run over Rules/Iam (docs/testing.md, "Rules slices"): each covers a path of
/// TaskSecrets or of the rule that no test reached (no coverage) or that a mutant changed with no test failing: the
/// other places ECS reads a secret from, two uses of one secret, Parameter Store ARNs and references, KMS on a
/// SecureString, literal secret policies, Terraform references by name, CloudFormation, and roles inside a module.
/// </summary>
public class SecretSourceMutationTests
{
    private const string Id = "execution-role-cannot-read-secret";
    private const string Arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:";

    private const string Trust = ExecutionRoleCannotReadSecretTests.Trust;

    /// <summary>A role "exec" whose one inline statement allows <paramref name="actions"/> (HCL list items) on <paramref name="resources"/> (HCL list items).</summary>
    private static string Role(string actions, string resources, string extra = "") => $$"""
        resource "aws_iam_role" "exec" {
          name = "exec"
        {{Trust}}
          inline_policy {
            name = "secrets"
            policy = jsonencode({
              Version   = "2012-10-17"
              Statement = [{ Effect = "Allow", Action = [{{actions}}], Resource = [{{resources}}] }]
            })
          }
        }
        {{extra}}
        """;

    /// <summary>A Terraform task definition run by role exec whose container reads <paramref name="secrets"/> (HCL list items).</summary>
    private static string TerraformTask(string secrets) => $$"""
        resource "aws_ecs_task_definition" "app" {
          family             = "app"
          execution_role_arn = aws_iam_role.exec.arn
          container_definitions = jsonencode([{ name = "app", image = "example/app:1", secrets = [{{secrets}}] }])
        }
        """;

    private static List<Finding> Check(params (string Path, string Content)[] files) => Scan.Files(files).Of(Id).ToList();

    private static string Line(string text, string needle) => (text.Split('\n').ToList().FindIndex(l => l.Contains(needle)) + 1).ToString();

    [Fact]
    public void Log_secret_options_and_registry_credentials_are_read_with_the_execution_role_and_named_so()
    {
        var td = $$"""
            {
              "family": "app",
              "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [
                {
                  "name": "app",
                  "image": "registry.example.com/app:1",
                  "repositoryCredentials": { "credentialsParameter": "{{Arn}}ops/registry" },
                  "logConfiguration": {
                    "logDriver": "splunk",
                    "secretOptions": [{ "name": "splunk-token", "valueFrom": "{{Arn}}ops/splunk" }]
                  }
                }
              ]
            }
            """;
        var findings = Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", td));
        findings.Should().HaveCount(2);
        var creds = findings.Should().ContainSingle(f => f.Message.Contains("ops/registry")).Subject;
        creds.Message.Should().Contain("the registry credentials (repositoryCredentials) of container `app`");
        creds.Span.StartLine.ToString().Should().Be(Line(td, "credentialsParameter"));
        var log = findings.Should().ContainSingle(f => f.Message.Contains("ops/splunk")).Subject;
        log.Message.Should().Contain("log option `splunk-token` of container `app`");
        log.Span.StartLine.ToString().Should().Be(Line(td, "splunk-token"));
    }

    [Fact]
    public void Two_keys_of_one_secret_are_one_finding_that_names_the_other_use()
    {
        var td = $$"""
            {
              "family": "app",
              "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [
                { "name": "app", "image": "example/app:1", "secrets": [
                  { "name": "DB_USER", "valueFrom": "{{Arn}}app/db-AbC123:username::" },
                  { "name": "DB_PASSWORD", "valueFrom": "{{Arn}}app/db-AbC123:password::" }
                ] }
              ]
            }
            """;
        var f = Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", td)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("secret `DB_USER` of container `app` (also read by secret `DB_PASSWORD` of container `app`)");
        f.Span.StartLine.ToString().Should().Be(Line(td, "DB_USER"));
    }

    [Fact]
    public void A_parameter_ARN_with_a_version_selector_is_judged_by_its_name()
    {
        var td = """
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "name": "TOKEN", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/app/token:3" }] }] }
            """;
        Check(("iam.tf", Role("\"ssm:GetParameters\"", "\"arn:aws:ssm:us-east-1:111122223333:parameter/app/token\"")), ("td.json", td))
            .Should().BeEmpty("the selector :3 is not part of the parameter's ARN");
        var f = Check(("iam.tf", Role("\"ssm:GetParameters\"", "\"arn:aws:ssm:us-east-1:111122223333:parameter/app/other\"")), ("td.json", td))
            .Should().ContainSingle().Subject;
        f.Message.Should().Contain("parameter /app/token").And.Contain("ssm:GetParameters");
        f.Fix.Should().Contain("arn:aws:ssm:us-east-1:111122223333:parameter/app/token");
    }

    [Fact]
    public void An_SSM_ARN_of_something_other_than_a_parameter_is_not_judged()
    {
        // ecs-secret-valuefrom-invalid reports it; this rule must not read it as a parameter (and cut its name at "parameter/".Length).
        var td = """
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "name": "DOC", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:document/abcdefghijkl" }] }] }
            """;
        Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", td)).Should().BeEmpty();
    }

    [Fact]
    public void A_Secrets_Manager_reference_through_Parameter_Store_is_not_judged()
    {
        var td = """
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "name": "DB", "valueFrom": "/aws/reference/secretsmanager/app/db" }] }] }
            """;
        Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", td)).Should().BeEmpty();
    }

    [Fact]
    public void A_SecureString_parameter_with_a_customer_key_needs_kms_Decrypt_on_that_key()
    {
        string Tf(string type, string resources) => Role("\"ssm:GetParameters\", \"kms:Decrypt\"", resources, $$"""
            resource "aws_kms_key" "params" {
              description = "parameters"
            }
            resource "aws_ssm_parameter" "token" {
              name   = "/app/token"
              type   = "{{type}}"
              key_id = aws_kms_key.params.arn
              value  = "x"
            }
            {{TerraformTask("{ name = \"TOKEN\", valueFrom = aws_ssm_parameter.token.arn }")}}
            """);
        var f = Check(("iam.tf", Tf("SecureString", "aws_ssm_parameter.token.arn"))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("parameter /app/token").And.Contain("kms:Decrypt on the customer managed key aws_kms_key.params")
            .And.NotContain("ssm:GetParameters on", "the parameter itself is granted");
        f.Fix.Should().Contain("Resource = [aws_kms_key.params.arn]");
        Check(("iam.tf", Tf("SecureString", "aws_ssm_parameter.token.arn, aws_kms_key.params.arn"))).Should().BeEmpty();
        Check(("iam.tf", Tf("String", "aws_ssm_parameter.token.arn"))).Should().BeEmpty("a String parameter is not encrypted");
        Check(("iam.tf", Tf("SecureString", "aws_ssm_parameter.token.arn, aws_kms_alias.params.arn") + """
            resource "aws_kms_alias" "params" {
              name          = "alias/params"
              target_key_id = aws_kms_key.params.key_id
            }
            """)).Should().BeEmpty("an alias of a key may be that key: not known, so not reported");
    }

    [Fact]
    public void A_parameter_referenced_in_Terraform_is_compared_with_the_parameters_the_policy_names()
    {
        string Tf(string resources) => Role("\"ssm:GetParameters\"", resources, $$"""
            resource "aws_ssm_parameter" "token" {
              name  = "/app/token"
              type  = "String"
              value = "x"
            }
            resource "aws_ssm_parameter" "other" {
              name  = "/app/other"
              type  = "String"
              value = "x"
            }
            {{TerraformTask("{ name = \"TOKEN\", valueFrom = aws_ssm_parameter.token.name }")}}
            """);
        Check(("iam.tf", Tf("aws_ssm_parameter.token.arn"))).Should().BeEmpty();
        var f = Check(("iam.tf", Tf("aws_ssm_parameter.other.arn"))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("parameter /app/token").And.Contain("ssm:GetParameters");
        f.Fix.Should().Contain("Resource = [aws_ssm_parameter.token.arn]");
    }

    [Fact]
    public void A_parameter_with_a_generated_name_is_named_by_its_address()
    {
        var tf = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_ssm_parameter" "token" {
              type  = "String"
              value = "x"
            }
            {{TerraformTask("{ name = \"TOKEN\", valueFrom = aws_ssm_parameter.token.arn }")}}
            """);
        var f = Check(("iam.tf", tf)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("cannot read the parameter aws_ssm_parameter.token").And.Contain("ssm:GetParameters");
    }

    [Fact]
    public void A_literal_secret_ARN_is_compared_by_name_with_the_secrets_the_policy_references()
    {
        // No secret named app/db is declared: the policy's references are judged by the names they declare.
        var other = Role("\"secretsmanager:GetSecretValue\"", "aws_secretsmanager_secret.cache.arn", """
            resource "aws_secretsmanager_secret" "cache" {
              name = "app/cache"
            }
            """);
        var td = $$"""
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "name": "DB", "valueFrom": "{{Arn}}app/db" }] }] }
            """;
        Check(("iam.tf", other), ("td.json", td)).Should().ContainSingle("the policy names secret app/cache only");

        // A bare parameter name and a parameter declared without its leading slash are the same parameter.
        var same = Role("\"ssm:GetParameters\"", "aws_ssm_parameter.token.arn", """
            resource "aws_ssm_parameter" "token" {
              name  = "app/token"
              type  = "String"
              value = "x"
            }
            """);
        var bare = """
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "name": "TOKEN", "valueFrom": "/app/token" }] }] }
            """;
        Check(("iam.tf", same), ("td.json", bare)).Should().BeEmpty();
    }

    [Fact]
    public void A_secret_policy_given_by_literal_ARN_grants_only_the_secret_it_names()
    {
        string Tf(string secretArn) => Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret_policy" "db" {
              secret_arn = "{{secretArn}}"
              policy     = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """);
        var td = $$"""
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "name": "DB", "valueFrom": "{{Arn}}app/db" }] }] }
            """;
        Check(("iam.tf", Tf($"{Arn}app/db-AbCdEf")), ("td.json", td)).Should().BeEmpty("the secret's own policy may grant the role");
        Check(("iam.tf", Tf($"{Arn}app/other-AbCdEf")), ("td.json", td)).Should().ContainSingle("the policy is on another secret");
        var own = Role("\"s3:GetObject\"", "\"*\"", """
            resource "aws_secretsmanager_secret" "db" {
              name   = "app/db"
              policy = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """);
        Check(("iam.tf", own), ("td.json", td)).Should().BeEmpty("a policy argument on the declared secret may grant the role");
        Check(("iam.tf", own.Replace("  policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })\n", "")), ("td.json", td))
            .Should().ContainSingle();
    }

    [Fact]
    public void CloudFormation_secrets_are_compared_by_reference_and_the_fix_is_JSON()
    {
        string Template(string resource) => $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              DbSecret:
                Type: AWS::SecretsManager::Secret
                Properties:
                  Name: app/db
              CacheSecret:
                Type: AWS::SecretsManager::Secret
                Properties:
                  Name: app/cache
              ExecRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: exec
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: { Service: ecs-tasks.amazonaws.com }
                        Action: sts:AssumeRole
                  Policies:
                    - PolicyName: secrets
                      PolicyDocument:
                        Version: "2012-10-17"
                        Statement:
                          - Effect: Allow
                            Action: secretsmanager:GetSecretValue
                            Resource: {{resource}}
              Task:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  Family: app
                  ExecutionRoleArn: !GetAtt ExecRole.Arn
                  ContainerDefinitions:
                    - Name: app
                      Image: example/app:1
                      Secrets:
                        - Name: DB
                          ValueFrom: !Ref DbSecret
            """;
        Check(("template.yaml", Template("!Ref DbSecret"))).Should().BeEmpty();
        var f = Check(("template.yaml", Template("!Ref CacheSecret"))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("`exec`").And.Contain("secret app/db").And.Contain("secretsmanager:GetSecretValue");
        f.Fix.Should().Contain("Add to a policy of `exec`:")
            .And.Contain("{ \"Effect\": \"Allow\", \"Action\": [\"secretsmanager:GetSecretValue\"], \"Resource\": [\"<the ARN of ")
            .And.Contain("DbSecret");
    }

    [Fact]
    public void A_role_inside_a_module_gets_a_fix_written_as_inside_that_module()
    {
        var module = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret" "db" {
              name = "app/db"
            }
            {{TerraformTask("{ name = \"DB\", valueFrom = aws_secretsmanager_secret.db.arn }")}}
            """);
        var root = """
            module "app" {
              source = "./app"
            }
            """;
        var f = Check(("main.tf", root), ("app/main.tf", module)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("`exec`");
        f.Fix.Should().Contain("role = aws_iam_role.exec.id").And.Contain("Resource = [aws_secretsmanager_secret.db.arn]").And.NotContain("module.app");
        f.Related.Should().Contain(r => r.Message.Contains("module.app.aws_iam_role.exec"));
    }

    [Theory]
    [InlineData("aws_s3_bucket")]
    [InlineData("aws_sqs_queue")]
    [InlineData("aws_sns_topic")]
    [InlineData("aws_dynamodb_table")]
    [InlineData("aws_cloudwatch_log_group")]
    [InlineData("aws_ecr_repository")]
    [InlineData("aws_lambda_function")]
    [InlineData("aws_ecs_cluster")]
    [InlineData("aws_iam_role")]
    public void The_ARN_of_a_resource_of_another_service_never_grants_a_secret(string kind)
    {
        var tf = Role("\"secretsmanager:GetSecretValue\"", $"{kind}.other.arn", $$"""
            resource "{{kind}}" "other" {
              name = "other"
            }
            """);
        var td = $$"""
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "name": "DB", "valueFrom": "{{Arn}}app/db" }] }] }
            """;
        Check(("iam.tf", tf), ("td.json", td)).Should().ContainSingle();
    }
}
