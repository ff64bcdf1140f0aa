using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ExecutionRoleCannotReadSecret;

/// <summary>
/// Tests written from the surviving mutants of the Stryker runs over Rules/Iam (docs/testing.md, "Rules slices"):
/// the related location of the declared secret, valueFrom references with text around them, two declared secrets of
/// one kind (resource blocks and data sources), the kind word of a CloudFormation secret without a name, and a grant
/// on an S3 ARN read as a grant of a parameter.
/// </summary>
public class SecretReferenceSurvivorTests
{
    private const string Id = "execution-role-cannot-read-secret";
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

    /// <summary>A Terraform task definition run by role exec whose one container reads secret DB from <paramref name="valueFrom"/> (an HCL expression).</summary>
    private static string TerraformTask(string valueFrom) => $$"""
        resource "aws_ecs_task_definition" "app" {
          family             = "app"
          execution_role_arn = aws_iam_role.exec.arn
          container_definitions = jsonencode([{ name = "app", image = "example/app:1", secrets = [{ name = "DB", valueFrom = {{valueFrom}} }] }])
        }
        """;

    private static string TaskJson(string valueFrom) => $$"""
        { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
          "containerDefinitions": [{ "name": "app", "image": "example/app:1",
            "secrets": [{ "name": "DB", "valueFrom": "{{valueFrom}}" }] }] }
        """;

    private static List<Finding> Check(params (string Path, string Content)[] files) => Scan.Files(files).Of(Id).ToList();

    private static int Line(string text, string needle) => text.Split('\n').ToList().FindIndex(l => l.Contains(needle)) + 1;

    [Fact]
    public void The_finding_points_at_the_declared_secret_or_parameter_and_names_it()
    {
        var secret = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret" "db" {
              name = "app/db"
            }
            {{TerraformTask("aws_secretsmanager_secret.db.arn")}}
            """);
        var f = Check(("iam.tf", secret)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("cannot read secret app/db,", "the secret's name is known from its name argument");
        f.Related.Should().ContainSingle(r => r.Message == "secret declared as aws_secretsmanager_secret.db")
            .Which.Span.StartLine.Should().Be(Line(secret, "resource \"aws_secretsmanager_secret\" \"db\""));

        var parameter = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_ssm_parameter" "token" {
              name  = "/app/token"
              type  = "String"
              value = "x"
            }
            """);
        var p = Check(("iam.tf", parameter), ("td.json", TaskJson("/app/token"))).Should().ContainSingle().Subject;
        p.Related.Should().ContainSingle(r => r.Message == "parameter declared as aws_ssm_parameter.token")
            .Which.Span.StartLine.Should().Be(Line(parameter, "resource \"aws_ssm_parameter\" \"token\""));
        Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", TaskJson("/app/token"))).Should().ContainSingle()
            .Which.Related.Should().NotContain(r => r.Message.Contains("declared as"), "no parameter of that name is declared");
    }

    [Theory]
    [InlineData("\"${aws_secretsmanager_secret.db.arn}\"", true)]
    [InlineData("\"${aws_secretsmanager_secret.db.arn}:password::\"", true)]
    [InlineData("\"prefix-${aws_secretsmanager_secret.db.arn}\"", false)]  // some other ARN or name: not known
    [InlineData("\"${aws_secretsmanager_secret.db.arn}-old\"", false)]     // a suffix that is not a JSON key selector
    [InlineData("\"x${aws_secretsmanager_secret.db.arn}:password::\"", false)]
    public void A_reference_with_text_before_it_or_a_suffix_other_than_a_selector_is_not_judged(string valueFrom, bool judged)
    {
        var tf = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret" "db" {
              name = "app/db"
            }
            {{TerraformTask(valueFrom)}}
            """);
        Check(("iam.tf", tf)).Should().HaveCount(judged ? 1 : 0);
    }

    /// <summary>Two secrets with generated names (so neither is known by name) and the policy referencing <paramref name="granted"/>.</summary>
    private static string TwoSecrets(string granted, string read = "aws_secretsmanager_secret.db.arn") => Role("\"secretsmanager:GetSecretValue\"", granted, $$"""
        resource "aws_secretsmanager_secret" "db" {
          name_prefix = "db-"
        }
        resource "aws_secretsmanager_secret" "other" {
          name_prefix = "other-"
        }
        data "aws_secretsmanager_secret" "shared" {
          name = "shared/db"
        }
        {{TerraformTask(read)}}
        """);

    [Fact]
    public void Another_secret_resource_is_another_secret_but_a_data_source_or_its_name_may_be_the_same()
    {
        Check(("iam.tf", TwoSecrets("aws_secretsmanager_secret.db.arn"))).Should().BeEmpty();
        Check(("iam.tf", TwoSecrets("aws_secretsmanager_secret.other.arn"))).Should().ContainSingle("two resource blocks create two secrets")
            .Which.Message.Should().Contain("cannot read the secret aws_secretsmanager_secret.db, secret `DB` of container `app`");
        Check(("iam.tf", TwoSecrets("\"${aws_secretsmanager_secret.other.arn}-*\""))).Should().ContainSingle("a -* after the ARN is still that secret's ARN");
        Check(("iam.tf", TwoSecrets("data.aws_secretsmanager_secret.shared.arn")))
            .Should().BeEmpty("a data source may read the generated secret");
        Check(("iam.tf", TwoSecrets("aws_secretsmanager_secret.other.name")))
            .Should().BeEmpty("the name attribute is not an ARN: what it matches is not known");
        Check(("iam.tf", TwoSecrets("\"${aws_secretsmanager_secret.other.arn}/x\"")))
            .Should().BeEmpty("a reference with some other suffix is not known");
        Check(("iam.tf", TwoSecrets("aws_secretsmanager_secret.other.arn", read: "data.aws_secretsmanager_secret.shared.arn")))
            .Should().BeEmpty("the secret the task reads through a data source may be the other one");
    }

    [Fact]
    public void A_CloudFormation_secret_without_a_name_is_named_by_its_logical_id_as_a_secret()
    {
        var template = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              DbSecret:
                Type: AWS::SecretsManager::Secret
                Properties:
                  Description: db
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
                            Action: s3:GetObject
                            Resource: "*"
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
        var f = Check(("template.yaml", template)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("cannot read the secret DbSecret,").And.Contain("secretsmanager:GetSecretValue");
        f.Related.Should().Contain(r => r.Message == "secret declared as DbSecret");
    }

    [Theory]
    [InlineData("/app/token")]
    [InlineData("arn:aws:ssm:us-east-1:111122223333:parameter/app/token")]
    public void Parameter_Store_actions_granted_on_an_S3_ARN_do_not_grant_the_parameter(string valueFrom)
    {
        // ssm:GetParameters with Resource arn:aws:s3:::bucket/* (a copy-paste from an S3 statement) grants nothing.
        var f = Check(("iam.tf", Role("\"ssm:GetParameters\"", "\"arn:aws:s3:::bucket/*\"")), ("td.json", TaskJson(valueFrom)))
            .Should().ContainSingle().Subject;
        f.Message.Should().Contain("parameter /app/token").And.Contain("ssm:GetParameters");
        f.Fix.Should().Contain("parameter/app/token");

        var byReference = Role("\"ssm:GetParameters\"", "\"${aws_s3_bucket.config.arn}/*\"", """
            resource "aws_s3_bucket" "config" {
              bucket = "config"
            }
            """);
        Check(("iam.tf", byReference), ("td.json", TaskJson(valueFrom))).Should().ContainSingle("the bucket's objects are not the parameter");
        Check(("iam.tf", Role("\"ssm:GetParameters\"", "\"arn:aws:s3:::bucket/*\", \"arn:aws:ssm:*:111122223333:parameter/app/*\"")),
            ("td.json", TaskJson(valueFrom))).Should().BeEmpty();
    }

    [Fact]
    public void A_CloudFormation_parameter_is_read_by_its_Name_through_Ref()
    {
        string Template(string valueFrom) => $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              TokenParam:
                Type: AWS::SSM::Parameter
                Properties:
                  Name: /app/token
                  Type: String
                  Value: x
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
                            Action: ssm:GetParameters
                            Resource: arn:aws:ssm:*:*:parameter/app/other
              Task:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  Family: app
                  ExecutionRoleArn: !GetAtt ExecRole.Arn
                  ContainerDefinitions:
                    - Name: app
                      Image: example/app:1
                      Secrets:
                        - Name: TOKEN
                          ValueFrom: {{valueFrom}}
            """;
        var f = Check(("template.yaml", Template("!Ref TokenParam"))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("cannot read parameter /app/token,").And.Contain("ssm:GetParameters");
        f.Fix.Should().Contain("\"Action\": [\"ssm:GetParameters\"], \"Resource\": [\"<the ARN of TokenParam>\"]");
        f.Related.Should().Contain(r => r.Message == "parameter declared as TokenParam");
        Check(("template.yaml", Template("!GetAtt TokenParam.Type"))).Should().BeEmpty("an attribute other than the name is not a parameter to read");
        Check(("template.yaml", Template("!Ref TokenParam").Replace("Resource: arn:aws:ssm:*:*:parameter/app/other", "Resource: arn:aws:ssm:*:*:parameter/app/*")))
            .Should().BeEmpty();
    }

    [Fact]
    public void A_key_policy_resource_on_the_customer_key_may_grant_kms_Decrypt()
    {
        string Tf(string keyPolicy) => Role("\"ssm:GetParameters\"", "aws_ssm_parameter.token.arn", $$"""
            resource "aws_kms_key" "params" {
              description = "parameters"
            }
            resource "aws_kms_key" "other" {
              description = "other"
            }
            {{keyPolicy}}
            resource "aws_ssm_parameter" "token" {
              name   = "/app/token"
              type   = "SecureString"
              key_id = aws_kms_key.params.arn
              value  = "x"
            }
            {{TerraformTask("aws_ssm_parameter.token.arn")}}
            """);
        static string KeyPolicy(string keyId) => $$"""
            resource "aws_kms_key_policy" "p" {
              key_id = {{keyId}}
              policy = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """;
        Check(("iam.tf", Tf(""))).Should().ContainSingle().Which.Message.Should().Contain("kms:Decrypt on the customer managed key aws_kms_key.params");
        Check(("iam.tf", Tf(KeyPolicy("aws_kms_key.params.id")))).Should().BeEmpty("the key's policy may grant the role kms:Decrypt");
        Check(("iam.tf", Tf(KeyPolicy("\"1234abcd-12ab-34cd-56ef-1234567890ab\"")))).Should().BeEmpty("a literal key id may be that key");
        Check(("iam.tf", Tf(KeyPolicy("aws_kms_key.other.id")))).Should().ContainSingle("the policy is on another key");
    }

    [Fact]
    public void A_secret_or_log_option_without_a_name_is_labelled_with_a_question_mark()
    {
        var td = """
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1",
                "secrets": [{ "valueFrom": "/app/token" }],
                "logConfiguration": { "logDriver": "splunk", "secretOptions": [{ "valueFrom": "/app/splunk" }] } }] }
            """;
        var findings = Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", td));
        findings.Should().HaveCount(2);
        findings.Should().ContainSingle(f => f.Message.Contains("parameter /app/token, secret `?` of container `app`"));
        findings.Should().ContainSingle(f => f.Message.Contains("parameter /app/splunk, log option `?` of container `app`"));
    }

    private const string Arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:";

    [Fact]
    public void A_literal_ARN_is_tied_to_the_secret_declared_with_that_name_with_or_without_its_suffix()
    {
        // The declared secret brings its customer key: kms:Decrypt is needed although GetSecretValue is granted.
        var keyed = Role("\"secretsmanager:GetSecretValue\"", "\"*\"", """
            resource "aws_kms_key" "db" {
              description = "db"
            }
            resource "aws_secretsmanager_secret" "db" {
              name       = "app/db"
              kms_key_id = aws_kms_key.db.arn
            }
            """);
        var f = Check(("iam.tf", keyed), ("td.json", TaskJson($"{Arn}app/db-AbC123:password::"))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("cannot read secret app/db-AbC123, secret `DB` of container `app`: kms:Decrypt on the customer managed key aws_kms_key.db");
        f.Related.Should().Contain(r => r.Message == "secret declared as aws_secretsmanager_secret.db");

        // A name that ends like a suffix is first the secret of exactly that name.
        var two = Role("\"s3:GetObject\"", "\"*\"", """
            resource "aws_secretsmanager_secret" "keys" {
              name = "app/api-keys"
            }
            resource "aws_secretsmanager_secret" "exact" {
              name = "app/api-keys-abcdef"
            }
            """);
        Check(("iam.tf", two), ("td.json", TaskJson($"{Arn}app/api-keys-abcdef"))).Should().ContainSingle()
            .Which.Related.Should().ContainSingle(r => r.Message.Contains("declared as"))
            .Which.Message.Should().Be("secret declared as aws_secretsmanager_secret.exact");
    }

    [Fact]
    public void Each_gap_is_given_after_the_use_separated_by_a_semicolon()
    {
        var tf = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_kms_key" "params" {
              description = "parameters"
            }
            resource "aws_ssm_parameter" "token" {
              name   = "/app/token"
              type   = "SecureString"
              key_id = aws_kms_key.params.arn
              value  = "x"
            }
            {{TerraformTask("aws_ssm_parameter.token.arn")}}
            """);
        var m = Check(("iam.tf", tf)).Should().ContainSingle().Subject.Message;
        m.Should().StartWith("execution role `exec` of task definition `app` cannot read parameter /app/token, secret `DB` of container `app`: ")
            .And.Contain("; kms:Decrypt on the customer managed key aws_kms_key.params that encrypts it: ")
            .And.EndWith("; ECS fails to start the task (AccessDeniedException)");
        Check(("iam.tf", tf)).Single().Related.Should().ContainSingle(r => r.Message == "customer managed key aws_kms_key.params")
            .Which.Span.StartLine.Should().Be(Line(tf, "resource \"aws_kms_key\" \"params\""));
    }

    /// <summary>A role allowing GetSecretValue on everything but denying it on <paramref name="denied"/> (an HCL expression).</summary>
    private static string DenyRole(string denied) => $$"""
        resource "aws_iam_role" "exec" {
          name = "exec"
        {{Trust}}
          inline_policy {
            name = "secrets"
            policy = jsonencode({
              Version   = "2012-10-17"
              Statement = [
                { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" },
                { Effect = "Deny", Action = "secretsmanager:GetSecretValue", Resource = {{denied}} },
              ]
            })
          }
        }
        resource "aws_secretsmanager_secret" "db" {
          name_prefix = "db-"
        }
        {{TerraformTask("aws_secretsmanager_secret.db.arn")}}
        """;

    [Fact]
    public void A_deny_by_reference_to_the_secret_itself_forbids_it_only_through_its_ARN()
    {
        var denied = Check(("iam.tf", DenyRole("aws_secretsmanager_secret.db.arn"))).Should().ContainSingle().Subject;
        denied.Fix.Should().Contain("Remove or narrow the Deny");
        denied.Related.Should().ContainSingle(r => r.Message.StartsWith("denies secretsmanager:GetSecretValue: ", StringComparison.Ordinal));
        Check(("iam.tf", DenyRole("aws_secretsmanager_secret.db.name"))).Should().BeEmpty("a Deny on the name attribute may not match the ARN");
        Check(("iam.tf", DenyRole("\"${aws_secretsmanager_secret.db.arn}/x\""))).Should().BeEmpty("the ARN followed by other text is not known to match");
    }

    [Fact]
    public void References_to_other_services_are_other_resources_unless_text_comes_before_them()
    {
        var td = Role("\"secretsmanager:GetSecretValue\"", "aws_ecs_task_definition.other.arn", """
            resource "aws_secretsmanager_secret" "db" {
              name_prefix = "db-"
            }
            resource "aws_ecs_task_definition" "other" {
              family                = "other"
              container_definitions = jsonencode([{ name = "other", image = "example/other:1" }])
            }
            """ + "\n" + TerraformTask("aws_secretsmanager_secret.db.arn"));
        Check(("iam.tf", td)).Should().ContainSingle("a task definition's ARN is not a secret's");
        var queue = Role("\"secretsmanager:GetSecretValue\"", "\"x${aws_sqs_queue.q.arn}\"", """
            resource "aws_sqs_queue" "q" {
              name = "q"
            }
            resource "aws_secretsmanager_secret" "db" {
              name_prefix = "db-"
            }
            """ + "\n" + TerraformTask("aws_secretsmanager_secret.db.arn"));
        Check(("iam.tf", queue)).Should().BeEmpty("text before a reference may make it any ARN");
    }

    [Fact]
    public void A_secret_read_through_a_data_source_gets_a_fix_naming_the_data_source()
    {
        var tf = Role("\"s3:GetObject\"", "\"*\"", $$"""
            data "aws_secretsmanager_secret" "shared" {
              name = "shared/db"
            }
            {{TerraformTask("data.aws_secretsmanager_secret.shared.arn")}}
            """);
        Check(("iam.tf", tf)).Should().ContainSingle().Which.Fix.Should().Contain("Resource = [data.aws_secretsmanager_secret.shared.arn]");
    }

    [Theory]
    [InlineData("!Sub \"${CacheSecret}\"", 1)]
    [InlineData("!Sub \"${DbSecret}\"", 0)]
    [InlineData("!Sub \"x${CacheSecret}\"", 0)] // text before it: not known
    public void A_CloudFormation_Sub_of_a_secret_is_compared_like_its_Ref(string resource, int findings)
    {
        var template = $$"""
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
        Check(("template.yaml", template)).Should().HaveCount(findings);
    }

    [Fact]
    public void A_secret_policy_on_the_ARN_without_suffix_may_be_on_the_secret_read_by_its_full_ARN()
    {
        string Tf(string secretArn) => Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret_policy" "db" {
              secret_arn = "{{secretArn}}"
              policy     = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """);
        var td = TaskJson($"{Arn}app/db-AbC123:password::");
        Check(("iam.tf", Tf($"{Arn}app/db")), ("td.json", td)).Should().BeEmpty("app/db-AbC123 is the full ARN of a secret named app/db");
        Check(("iam.tf", Tf($"{Arn}app/cache")), ("td.json", td)).Should().ContainSingle();
        Check(("iam.tf", Tf($"{Arn}app/db-AbC123")), ("td.json", TaskJson($"{Arn}app/db"))).Should().BeEmpty();
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/not-in-the-scan", "/app/token")]
    [InlineData("arn:aws:iam::111122223333:role/exec", "arn:aws:ssm:us-east-1:111122223333")]                    // cut short
    [InlineData("arn:aws:iam::111122223333:role/exec", "arn:aws:secretsmanager::111122223333:secret:app/db")]    // no Region
    [InlineData("arn:aws:iam::111122223333:role/exec", "arn:aws:secretsmanager:us-east-1::secret:app/db")]       // no account
    [InlineData("arn:aws:iam::111122223333:role/exec", "/app/to ken")]
    [InlineData("arn:aws:iam::111122223333:role/exec", "/app/$token")]
    public void A_role_or_a_secret_reference_the_rule_cannot_read_is_not_judged_and_fails_nothing(string role, string valueFrom)
    {
        var td = TaskJson(valueFrom).Replace("arn:aws:iam::111122223333:role/exec", role);
        var result = Scan.Files(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", td));
        result.Of(Id).Should().BeEmpty();
        result.Of("internal-error").Should().BeEmpty();
    }

    [Fact]
    public void A_bare_parameter_name_may_hold_underscores_dots_and_dashes() =>
        Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", TaskJson("/app/db_password.v2-x")))
            .Should().ContainSingle().Which.Message.Should().Contain("parameter /app/db_password.v2-x");

    [Fact]
    public void A_null_policy_argument_or_a_policy_on_another_secret_does_not_grant_the_secret()
    {
        var nullPolicy = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret" "db" {
              name   = "app/db"
              policy = null
            }
            {{TerraformTask("aws_secretsmanager_secret.db.arn")}}
            """);
        Check(("iam.tf", nullPolicy)).Should().ContainSingle("policy = null sets no resource policy");

        var other = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret" "db" {
              name = "app/db"
            }
            resource "aws_secretsmanager_secret" "other" {
              name_prefix = "other-"
            }
            resource "aws_secretsmanager_secret_policy" "other" {
              secret_arn = aws_secretsmanager_secret.other.arn
              policy     = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            {{TerraformTask("aws_secretsmanager_secret.db.arn")}}
            """);
        Check(("iam.tf", other)).Should().ContainSingle("the policy is on another declared secret");

        var byName = Role("\"s3:GetObject\"", "\"*\"", $$"""
            resource "aws_secretsmanager_secret_policy" "p" {
              secret_arn = "{{Arn}}app/db-AbCdEf"
              policy     = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """);
        Check(("iam.tf", byName), ("td.json", TaskJson($"{Arn}db"))).Should().ContainSingle("secret db is not secret app/db");
    }

    [Fact]
    public void Three_keys_of_one_secret_name_both_other_uses()
    {
        var td = $$"""
            { "family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
              "containerDefinitions": [{ "name": "app", "image": "example/app:1", "secrets": [
                { "name": "A", "valueFrom": "{{Arn}}app/db:a::" },
                { "name": "B", "valueFrom": "{{Arn}}app/db:b::" },
                { "name": "C", "valueFrom": "{{Arn}}app/db:c::" }
              ] }] }
            """;
        Check(("iam.tf", Role("\"s3:GetObject\"", "\"*\"")), ("td.json", td)).Should().ContainSingle()
            .Which.Message.Should().Contain("secret `A` of container `app` (also read by secret `B` of container `app`, secret `C` of container `app`): ");
    }

    [Fact]
    public void A_CloudFormation_role_reading_a_literal_secret_ARN_gets_that_ARN_in_its_JSON_fix()
    {
        var template = $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
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
                          ValueFrom: {{Arn}}app/db
            """;
        Check(("template.yaml", template)).Should().ContainSingle()
            .Which.Fix.Should().Contain($"\"Action\": [\"secretsmanager:GetSecretValue\"], \"Resource\": [\"{Arn}app/db-*\"]");
    }

    [Theory]
    [InlineData("/app/token", "arn:aws:ssm:us-east-1:111122223333:parameter/app/token")]
    [InlineData("app/token", "arn:aws:ssm:us-east-1:111122223333:parameter/app/token")]
    [InlineData("/app/token", "/app/token")]
    public void A_parameter_named_by_ARN_or_by_name_is_tied_to_the_declared_one_and_its_key(string declaredName, string valueFrom)
    {
        var tf = Role("\"ssm:GetParameters\"", "\"*\"", $$"""
            resource "aws_kms_key" "params" {
              description = "parameters"
            }
            resource "aws_ssm_parameter" "token" {
              name   = "{{declaredName}}"
              type   = "SecureString"
              key_id = aws_kms_key.params.arn
              value  = "x"
            }
            """);
        var f = Check(("iam.tf", tf), ("td.json", TaskJson(valueFrom))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("kms:Decrypt on the customer managed key aws_kms_key.params").And.NotContain("ssm:GetParameters on");
        f.Related.Should().Contain(r => r.Message == "parameter declared as aws_ssm_parameter.token");
    }
}
