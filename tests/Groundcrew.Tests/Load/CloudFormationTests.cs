using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>
/// CloudFormation templates (YAML short forms and JSON long forms, as CDK synthesizes them): task definitions join the
/// ECS rules, roles join the IAM role index, and intrinsic functions are references or unknowns, never guesses.
/// </summary>
public class CloudFormationTests
{
    private const string Yaml = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Image:
            Type: String
        Resources:
          ExecRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: { Service: ecs-tasks.amazonaws.com }
                    Action: sts:AssumeRole
              ManagedPolicyArns:
                - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
          ReadDb:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: read-db
              Roles: [!Ref ExecRole]
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: secretsmanager:GetSecretValue
                    Resource: !Ref DbSecret
          DbSecret:
            Type: AWS::SecretsManager::Secret
            Properties:
              Name: prod/db
          TaskDef:
            Type: AWS::ECS::TaskDefinition
            Properties:
              Family: api
              ExecutionRoleArn: !GetAtt ExecRole.Arn
              ContainerDefinitions:
                - Name: api
                  Image: !Ref Image
                  DockerLabels:
                    Com.Example.Team: payments
                  Secrets:
                    - Name: DB_HOST
                      ValueFrom: !Sub "${DbSecret}:host::"
                  Environment:
                    - Name: TABLE
                      Value: !Sub "${AWS::StackName}-table"
                    - Name: REGION_TEXT
                      Value: !Sub "plain text"
                    - Name: AWS_SECRET_ACCESS_KEY
                      Value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        """;

    [Fact]
    public void A_yaml_template_gives_an_ecs_task_definition_in_the_api_shape()
    {
        var r = Scan.Files(("stack.yaml", Yaml));
        var td = r.Model.TaskDefinitions.Should().ContainSingle().Subject;
        td.Family.Should().Be("api");
        var c = td.Containers.Single();
        c.Name.Should().Be("api");
        c.Node["image"].Should().BeOfType<UnknownNode>().Which.Ref.Should().BeNull("a parameter is given at deploy time");
        c.Node.GetMap("dockerLabels")!.Entries.Single().Key.Value.Should().Be("Com.Example.Team", "label keys are user data, not property names");
        var env = c.Node.GetSeq("environment")!.Maps.ToDictionary(m => m.GetString("name")!, m => m["value"]);
        env["TABLE"].Should().BeOfType<UnknownNode>();
        env["REGION_TEXT"].Should().BeOfType<ScalarNode>().Which.Value.Should().Be("plain text");
        var secret = c.Node.GetSeq("secrets")!.Maps.Single()["valueFrom"].Should().BeOfType<UnknownNode>().Subject;
        (secret.Ref, secret.RefSuffix).Should().Be(("DbSecret", ":host::"));
        r.Model.ResolveRef(secret)!.Value.Resource.Kind.Should().Be("AWS::SecretsManager::Secret");
    }

    [Fact]
    public void Ecs_rules_apply_at_the_template_line_and_sub_variables_are_not_placeholders()
    {
        var r = Scan.Files(("stack.yaml", Yaml));
        r.Of("long-lived-aws-credentials").Should().ContainSingle().Which.Span.StartLine.Should().Be(Line("wJalrXUtnFEMI"));
        r.Of("placeholder-value").Should().BeEmpty("${AWS::StackName} in !Sub is CloudFormation's own substitution");
        r.Findings.Should().NotContain(f => f.RuleId == "input-error");
    }

    [Fact]
    public void The_execution_role_resolves_through_getatt_with_policies_attached_by_ref()
    {
        var r = Scan.Files(("stack.yaml", Yaml));
        var td = r.Model.TaskDefinitions.Single();
        var role = r.Model.IamRoles.Find(td.Body["executionRoleArn"])!;
        role.Should().NotBeNull();
        role.Resource.Name.Should().Be("ExecRole");
        role.Name.Should().BeNull("CloudFormation generates the name");
        role.Policies.Select(p => p.Via).Should().BeEquivalentTo("AWS managed policy AmazonECSTaskExecutionRolePolicy via ManagedPolicyArns", "ReadDb");
        TrustPolicy.AllowsService(role.Trust!, "ecs-tasks.amazonaws.com").Outcome.Should().Be(Outcome.Allowed);
        var readDb = role.Policies.Single(p => p.Via == "ReadDb").Document.Statements.Single();
        readDb.Resource!.References.Single().Ref.Should().Be("DbSecret");
    }

    [Fact]
    public void An_escaped_sub_variable_is_literal_text_that_is_deployed_as_is()
    {
        var r = Scan.Files(("stack.yaml", Yaml.Replace("!Sub \"plain text\"", "!Sub \"uses ${!Literal} braces\"")));
        var env = r.Model.TaskDefinitions.Single().Containers.Single().Node.GetSeq("environment")!.Maps.Single(m => m.GetString("name") == "REGION_TEXT");
        env.GetString("value").Should().Be("uses ${Literal} braces", "${!Literal} is CloudFormation's escape for a literal ${Literal}");
        r.Of("placeholder-value").Should().ContainSingle("the text ${Literal} really reaches the container");
    }

    [Fact]
    public void A_json_template_in_long_form_reads_the_same()
    {
        var r = Scan.Files(("cdk.out/Stack.template.json", """
            {
              "Resources": {
                "ExecRole": { "Type": "AWS::IAM::Role", "Properties": { "RoleName": "api-exec" } },
                "TaskDef": {
                  "Type": "AWS::ECS::TaskDefinition",
                  "Properties": {
                    "ExecutionRoleArn": { "Fn::GetAtt": ["ExecRole", "Arn"] },
                    "ContainerDefinitions": [{ "Name": "api", "Image": "nginx:1.27" }]
                  }
                }
              }
            }
            """));
        var td = r.Model.TaskDefinitions.Single();
        td.Family.Should().Be("TaskDef", "without Family the logical id names it");
        td.Body["executionRoleArn"].Should().BeOfType<UnknownNode>().Which.Ref.Should().Be("ExecRole.Arn");
        r.Model.IamRoles.Find(td.Body["executionRoleArn"])!.Name.Should().Be("api-exec");
    }

    [Fact]
    public void The_same_logical_id_in_two_templates_resolves_within_each_template()
    {
        static string Stack(string roleName) => $$"""
            Resources:
              ExecRole:
                Type: AWS::IAM::Role
                Properties: { RoleName: {{roleName}} }
              TaskDef:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  Family: {{roleName}}
                  ExecutionRoleArn: !GetAtt ExecRole.Arn
                  ContainerDefinitions: [{ Name: api, Image: "nginx:1.27" }]
            """;
        var r = Scan.Files(("dev.yaml", Stack("dev-exec")), ("prod.yaml", Stack("prod-exec")));
        foreach (var td in r.Model.TaskDefinitions)
            r.Model.IamRoles.Find(td.Body["executionRoleArn"])!.Name.Should().Be(td.Family);
        r.Model.FindByAddress("ExecRole").Should().BeNull("ambiguous without the template it is used in");
    }

    [Fact]
    public void Yaml_with_a_resources_key_that_is_not_a_template_is_left_alone()
    {
        var r = Scan.Files(("config.yaml", "Resources:\n  cpu: 2\n  memory: 4Gi\n"), ("other.yaml", "Resources:\n  thing:\n    Type: widget\n"));
        r.Model.Resources.Should().BeEmpty();
    }

    private static int Line(string text) => Yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(text)).i + 1;
}
