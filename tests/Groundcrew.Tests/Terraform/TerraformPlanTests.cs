using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Terraform;

/// <summary>
/// `terraform show -json plan.out`: the plan's fully resolved values are checked; with the .tf of the same root module
/// scanned too, the plan wins for values and the .tf for positions, and nothing is reported twice.
/// Fixtures/TerraformPlan/infra: .tf where the names depend on `var.environment` (no default) and the task definition's
/// environment on `var.extra_env`; plan.json is written in the shape terraform 1.9 prints (pretty-printed), for
/// environment = "staging-east" and extra_env = [LOG_LEVEL=debug]. Fixtures/TerraformPlanReal: a plan printed by terraform
/// 1.11 itself (one line, builtin provider only, since no AWS provider can be downloaded here).
/// </summary>
public class TerraformPlanTests
{
    private static string Fixture(string name) => Path.Combine(Scan.TestRoot, "Fixtures", name);

    /// <summary>Line (1-based) of the first line of plan.json containing <paramref name="text"/>.</summary>
    private static int PlanLine(string text)
    {
        var lines = File.ReadAllLines(Path.Combine(Fixture("TerraformPlan"), "infra", "plan.json"));
        return Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal)) + 1;
    }

    /// <summary>The fixture copied to a temp folder, without the files named (to scan .tf alone or the plan alone).</summary>
    private static CheckResultAndDir Copy(params string[] without)
    {
        var dir = new TempDir();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(Fixture("TerraformPlan"), "infra")))
            if (!without.Contains(Path.GetFileName(f))) dir.Write("infra/" + Path.GetFileName(f), File.ReadAllText(f));
        return new CheckResultAndDir(Scan.Folder(dir.Path), dir);
    }

    private sealed record CheckResultAndDir(Groundcrew.Check.CheckResult Result, TempDir Dir) : IDisposable
    {
        public void Dispose() => Dir.Dispose();
    }

    [Fact]
    public void The_tf_alone_cannot_know_the_names_built_from_a_variable_given_at_plan_time()
    {
        using var scan = Copy("plan.json");
        scan.Result.Of("aws-name-too-long").Should().BeEmpty();
        scan.Result.Of("ecs-duplicate-env-name").Should().BeEmpty();
    }

    [Fact]
    public void A_plan_alone_is_checked_at_its_json_lines()
    {
        using var scan = Copy("main.tf", "variables.tf");
        var r = scan.Result;
        r.Model.Resources.Where(x => x.Family == ResourceFamily.Terraform).Select(x => x.Address)
            .Should().BeEquivalentTo("aws_db_instance.main", "aws_iam_role.execution", "aws_lb.internal");
        r.Model.TaskDefinitions.Should().ContainSingle().Which.Family.Should().Be("stage3v3-staging-east-api");

        var name = r.Of("aws-name-too-long").Should().ContainSingle().Subject;
        name.Span.File.Should().Be("infra/plan.json");
        name.Span.StartLine.Should().Be(PlanLine("\"name\": \"stage3v3-staging-east-internal-alb\""));
        name.Message.Should().Contain("34 characters").And.Contain("the plan infra/plan.json").And.NotContain("may differ");

        r.Of("ecs-duplicate-env-name").Should().ContainSingle().Which.Span.Should().Match<SourceSpan>(s =>
            s.File == "infra/plan.json" && s.StartLine == PlanLine("\"container_definitions\""));
    }

    [Fact]
    public void With_the_tf_scanned_too_each_problem_is_reported_once_at_the_tf_line()
    {
        var r = Scan.Folder(Fixture("TerraformPlan"));
        r.Model.Resources.Where(x => x.Kind == "aws_lb").Should().ContainSingle("the plan replaces what the .tf evaluates");
        r.Model.TaskDefinitions.Should().ContainSingle();

        r.Of("aws-name-too-long").Should().ContainSingle().Which.Span.Should().Match<SourceSpan>(s => s.File == "infra/main.tf" && s.StartLine == 10,
            "name = \"${local.prefix}-internal-alb\" is the line to edit");
        var dup = r.Of("ecs-duplicate-env-name").Should().ContainSingle().Subject;
        dup.Span.Should().Match<SourceSpan>(s => s.File == "infra/main.tf" && s.StartLine == 35,
            "the second LOG_LEVEL comes from var.extra_env, given at plan time: the environment line is where it enters");
        dup.Related.Should().ContainSingle().Which.Span.StartLine.Should().Be(4, "the first LOG_LEVEL is in local.common_env");
        r.Findings.Should().OnlyContain(f => f.Span.File != "infra/plan.json");
    }

    [Fact]
    public void Values_known_after_apply_are_unknown_and_keep_the_reference_they_stand_for()
    {
        var r = Scan.Folder(Fixture("TerraformPlan"));
        var lb = r.Model.FindByAddress("aws_lb.internal")!;
        lb.Plan.Should().Be("infra/plan.json");
        lb.Body["arn"].Should().BeOfType<UnknownNode>();
        lb.Body["dns_name"].Should().BeOfType<UnknownNode>();
        lb.Body.GetString("idle_timeout").Should().Be("60", "provider defaults are in the plan");

        var td = r.Model.TaskDefinitions.Single();
        var role = td.Body["executionRoleArn"].Should().BeOfType<UnknownNode>().Subject;
        role.Ref.Should().Be("aws_iam_role.execution.arn");
        r.Model.ResolveRef(role.Ref).Should().NotBeNull().And.Match<(Resource Resource, string Attribute)?>(x => x!.Value.Resource.Kind == "aws_iam_role" && x.Value.Attribute == "arn");
        role.Span.Should().Match<SourceSpan>(s => s.File == "infra/main.tf" && s.StartLine == 29);
    }

    [Fact]
    public void Sensitive_values_are_never_read_so_never_printed()
    {
        var r = Scan.Folder(Fixture("TerraformPlan"));
        r.Model.FindByAddress("aws_db_instance.main")!.Body["password"].Should().BeOfType<UnknownNode>()
            .Which.Reason.Should().Be(TerraformPlan.SensitiveReason);
        r.Model.Resources.SelectMany(x => x.Body.Descendants()).OfType<ScalarNode>().Should().NotContain(s => s.Value == "Sup3rS3cretPassw0rd!");

        // A task definition whose container_definitions is sensitive (it uses a sensitive variable): not read at all.
        var plan = Scan.Files(("plan.json", """
            {"format_version":"1.2","terraform_version":"1.9.8","planned_values":{"root_module":{"resources":[
              {"address":"aws_ecs_task_definition.api","mode":"managed","type":"aws_ecs_task_definition","name":"api","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":1,
               "values":{"family":"api","container_definitions":"[{\"name\":\"api\",\"image\":\"nginx:1.27\",\"environment\":[{\"name\":\"AWS_SECRET_ACCESS_KEY\",\"value\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}]}]"},
               "sensitive_values":{"container_definitions":true}}]}},
             "resource_changes":[]}
            """));
        plan.Model.TaskDefinitions.Should().ContainSingle().Which.Body["containerDefinitions"].Should().BeOfType<UnknownNode>();
        plan.Findings.Should().NotContain(f => f.Message.Contains("wJalrXUtnFEMI"));
        plan.Of("long-lived-aws-credentials").Should().BeEmpty();
    }

    [Fact]
    public void A_plan_printed_by_terraform_is_read_with_child_modules_count_instances_and_marks()
    {
        var alone = Scan.Folder(Path.Combine(Fixture("TerraformPlanReal"), "plan.json"));
        alone.Model.Resources.Select(x => x.Address).Should().BeEquivalentTo(
            "terraform_data.lb", "terraform_data.after", "module.child.terraform_data.this[0]", "module.child.terraform_data.this[1]");
        var lb = alone.Model.FindByAddress("terraform_data.lb")!;
        lb.Body.GetMap("input")!.GetString("name").Should().Be("prod-front-door", "var.env = prod was given at plan time");
        lb.Body.GetMap("input")!["secret"].Should().BeOfType<UnknownNode>("sensitive_values marks input.secret");
        var after = alone.Model.FindByAddress("terraform_data.after")!;
        after.Body["input"].Should().BeOfType<UnknownNode>().Which.Ref.Should().Be("terraform_data.lb.id");
        alone.Model.FindByAddress("module.child.terraform_data.this[1]")!.Body.GetString("input").Should().Be("x-prod");

        var both = Scan.Folder(Fixture("TerraformPlanReal"));
        both.Model.Resources.Select(x => x.Address).Should().OnlyHaveUniqueItems().And.HaveCount(4);
        var child = both.Model.FindByAddress("module.child.terraform_data.this[1]")!;
        child.Plan.Should().Be("plan.json");
        var span = child.Body["input"]!.Span;
        $"{span.File}:{span.StartLine}".Should().Be("main.tf:17", "the child's input is var.name, set by the module call's argument");
    }

    [Fact]
    public void A_plan_kept_elsewhere_is_matched_to_its_root_module_by_addresses()
    {
        using var dir = new TempDir();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(Fixture("TerraformPlan"), "infra")))
            dir.Write((f.EndsWith(".json") ? "plans/staging-east/" : "infra/") + Path.GetFileName(f), File.ReadAllText(f));
        dir.Write("other/main.tf", "resource \"aws_lb\" \"internal\" {\n  name = \"other\"\n}\n");
        var r = Scan.Folder(dir.Path);
        r.Of("aws-name-too-long").Should().ContainSingle().Which.Span.Should().Match<SourceSpan>(s => s.File == "infra/main.tf" && s.StartLine == 10);
        r.Model.Resources.Where(x => x.Kind == "aws_lb").Select(x => x.File).Should().BeEquivalentTo("infra/main.tf", "other/main.tf");
    }

    [Theory]
    [InlineData("""{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{"root_module":{"resources":[{"address":"x"},5,{"address":"aws_lb.a","type":"aws_lb","name":"a","values":[1]}],"child_modules":[7]}},"resource_changes":[{"address":"aws_lb.a","change":{"after_unknown":true}}],"configuration":{"root_module":{"module_calls":{"m":3}}}}""")]
    [InlineData("""{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{"root_module":{"resources":[{"address":"aws_lb.a","type":"aws_lb","name":"a","values":{"name":1e400,"tags":{"a":null}},"sensitive_values":[true]}]}},"resource_changes":[{"address":"aws_lb.a","change":{"after_unknown":{"name":[true],"subnets":[true,false]},"after_sensitive":"x"}}]}""")]
    [InlineData("""{"format_version":"1.2","terraform_version":"1.9.8","values":{"root_module":{}}}""")]
    public void Odd_plan_shapes_never_break_the_check(string json)
    {
        var r = Scan.Files(("plan.json", json), ("main.tf", "resource \"aws_lb\" \"a\" {\n  name = \"a\"\n}\n"));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        r.Model.Resources.Where(x => x.Kind == "aws_lb").Should().HaveCountLessThanOrEqualTo(1);
    }

    [Fact]
    public void A_document_that_only_looks_a_bit_like_a_plan_is_not_one()
    {
        var r = Scan.Files(("settings.json", """{"format_version": "2", "configuration": {"root_module": {}}}"""));
        r.Model.OtherDocuments.Should().ContainSingle("without terraform_version it is some other tool's file, kept for other rules");
    }

    [Fact]
    public void Addresses_split_into_module_path_and_keys()
    {
        TerraformPlan.ModulePath("module.a[\"x.y\"].module.b.aws_lb.c[0]").Should().Be("module.a[\"x.y\"].module.b");
        TerraformPlan.StripKeys("module.a[\"x.y\"].module.b").Should().Be("module.a.module.b");
        TerraformPlan.ModulePath("data.aws_iam_policy_document.x").Should().BeEmpty();
    }
}
