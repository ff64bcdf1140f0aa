using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>Inputs a review found could end or stall a scan, leak a secret, or blame the wrong role.</summary>
public class SessionTwoReviewRegressionTests
{
    [Fact]
    public void Cloudformation_properties_written_as_an_intrinsic_do_not_end_the_scan()
    {
        var r = Scan.Files(
            ("stack.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: !If [C, {BucketName: x}, {BucketName: y}]\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !Ref P\n"),
            ("k8s.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: still-read\n"));
        r.Model.Resources.Should().Contain(x => x.Name == "still-read");
        r.Model.Resources.Should().Contain(x => x.Name == "B");
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
    }

    [Fact]
    public void A_pathological_makefile_line_does_not_stall_the_scan()
    {
        var makefile = "X=x" + new string(' ', 200_000) + "y\nbuild:\n\tdocker build -t app:1 .\n";
        var workflow = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build . && ./" + new string('-', 200_000) + "\n";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Scan.Files(("Makefile", makefile), (".github/workflows/ci.yml", workflow));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "a regex gives up after 250 ms instead of running for minutes");
    }

    [Fact]
    public void Sensitive_values_of_a_one_line_plan_are_redacted_in_the_console_excerpt()
    {
        using var dir = new TempDir();
        dir.Write("plan.json", """{"format_version":"1.2","terraform_version":"1.9.0","variables":{"db_password":{"value":"HunterTwo-Var-9"}},"planned_values":{"root_module":{"resources":[{"address":"aws_db_instance.d","mode":"managed","type":"aws_db_instance","name":"d","values":{"identifier":"db","password":"HunterTwo-Secret-9"},"sensitive_values":{"password":true}},{"address":"aws_lb.web","mode":"managed","type":"aws_lb","name":"web","values":{"name":"this-load-balancer-name-is-far-too-long-for-aws"},"sensitive_values":{}}]}},"configuration":{"root_module":{"variables":{"db_password":{"sensitive":true}}}}}""");
        var run = GroundcrewCli.ExecIn(dir.Path, null, "check", ".");
        run.Stdout.Should().Contain("aws-name-too-long", "the plan is read and a finding shows the one-line plan");
        run.Stdout.Should().NotContain("HunterTwo-Secret-9").And.NotContain("HunterTwo-Var-9");
    }

    [Fact]
    public void Two_roles_with_one_name_in_two_roots_do_not_blame_either_for_a_json_task_definition()
    {
        static string Role(string service) => $"resource \"aws_iam_role\" \"task\" {{\n  name = \"app-task\"\n  assume_role_policy = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Principal = {{ Service = \"{service}\" }}, Action = \"sts:AssumeRole\" }}] }})\n}}\n";
        var r = Scan.Files(("env/a/iam.tf", Role("ec2.amazonaws.com")), ("env/b/iam.tf", Role("ecs-tasks.amazonaws.com")),
            ("taskdef.json", """{"family":"app","taskRoleArn":"arn:aws:iam::305032652600:role/app-task","containerDefinitions":[{"name":"app","image":"nginx:1.27"}]}"""));
        r.Model.IamRoles.FindByName("app-task").Should().BeNull("the name alone cannot tell the two roles apart");
        r.Of("task-role-not-assumable-by-ecs").Should().BeEmpty();
    }
}
