using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load;
using Groundcrew.Load.Builds;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PlaceholderValue;

/// <summary>
/// Task definition files whose image a GitHub workflow's amazon-ecs-render-task-definition step replaces at deploy time:
/// the file's stand-in image is not judged, everything the step does not replace still is.
/// </summary>
public class RenderedAtDeployTests
{
    private static string TaskDef(string image, string role = "arn:aws:iam::932100697590:role/app-execution", string env = "") => $$"""
        {
          "family": "app",
          "executionRoleArn": "{{role}}",
          "containerDefinitions": [
            {
              "name": "app",
              "image": "{{image}}",
              "environment": [{{env}}]
            }
          ]
        }
        """;

    private static string Workflow(string with) => $$"""
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - id: render
                uses: aws-actions/amazon-ecs-render-task-definition@v1
                with:
        {{with}}
        """;

    private static string With(string taskDefinition = ".aws/task-definition.json", string container = "app", string extra = "") =>
        $"          task-definition: {taskDefinition}\n          container-name: {container}\n          image: ${{{{ steps.build.outputs.image }}}}\n{extra}";

    [Theory]
    [InlineData("ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/app:latest")]
    [InlineData("<IMAGE>")]
    [InlineData("REPLACE_ME")]
    public void A_placeholder_image_that_the_render_step_replaces_is_not_reported(string image)
    {
        var result = Scan.Files((".aws/task-definition.json", TaskDef(image)), (".github/workflows/deploy.yml", Workflow(With())));
        result.Of("placeholder-value").Should().BeEmpty();
        result.Of("invalid-image-reference").Should().BeEmpty();
    }

    [Fact]
    public void The_same_placeholder_image_without_a_render_step_is_reported()
    {
        var result = Scan.Files((".aws/task-definition.json", TaskDef("ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/app:latest")));
        var f = result.Of("placeholder-value").Should().ContainSingle().Subject;
        f.Span.File.Should().Be(".aws/task-definition.json");
        f.Span.StartLine.Should().Be(7);
    }

    [Fact]
    public void A_render_step_for_another_container_or_file_leaves_the_image_reported()
    {
        var image = "ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/app:latest";
        Scan.Files((".aws/task-definition.json", TaskDef(image)), (".github/workflows/deploy.yml", Workflow(With(container: "web"))))
            .Of("placeholder-value").Should().ContainSingle().Which.Span.StartLine.Should().Be(7);
        Scan.Files((".aws/task-definition.json", TaskDef(image)), (".github/workflows/deploy.yml", Workflow(With(taskDefinition: ".aws/other.json"))))
            .Of("placeholder-value").Should().ContainSingle().Which.Span.StartLine.Should().Be(7);
    }

    [Fact]
    public void The_account_placeholder_in_the_role_arn_is_still_reported_unless_the_step_sets_the_role()
    {
        var files = (".aws/task-definition.json", TaskDef("ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/app:latest", role: "arn:aws:iam::ACCOUNT_ID:role/app-execution"));
        var f = Scan.Files(files, (".github/workflows/deploy.yml", Workflow(With()))).Of("placeholder-value").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(3);
        f.Message.Should().Contain("executionRoleArn");

        Scan.Files(files, (".github/workflows/deploy.yml", Workflow(With(extra: "          execution-role-arn: ${{ secrets.EXECUTION_ROLE }}\n"))))
            .Of("placeholder-value").Should().BeEmpty();
    }

    [Fact]
    public void Env_values_are_skipped_only_for_the_names_the_step_sets()
    {
        var env = """{ "name": "LOG_LEVEL", "value": "CHANGEME" }, { "name": "DB_HOST", "value": "CHANGEME" }""";
        var result = Scan.Files((".aws/task-definition.json", TaskDef("932100697590.dkr.ecr.us-east-1.amazonaws.com/app:1", env: env)),
            (".github/workflows/deploy.yml", Workflow(With(extra: "          environment-variables: |\n            LOG_LEVEL=info\n"))));
        result.Of("placeholder-value").Should().ContainSingle().Which.Message.Should().Contain("DB_HOST");
    }

    [Fact]
    public void An_invalid_image_replaced_by_the_step_is_not_reported_but_is_without_it()
    {
        var td = (".aws/task-definition.json", TaskDef("My-Registry/App:latest"));
        Scan.Files(td).Of("invalid-image-reference").Should().ContainSingle();
        Scan.Files(td, (".github/workflows/deploy.yml", Workflow(With()))).Of("invalid-image-reference").Should().BeEmpty();
    }

    [Fact]
    public void A_registry_less_stand_in_image_is_not_held_to_registry_required_when_the_step_replaces_it()
    {
        var config = new Groundcrew.Config.GroundcrewConfig { RegistryRequired = true };
        var td = (".aws/task-definition.json", TaskDef("app:latest"));
        Scan.Files(config, td).Of("local-image-pulled-from-registry").Should().ContainSingle().Which.Span.StartLine.Should().Be(7);
        Scan.Files(config, td, (".github/workflows/deploy.yml", Workflow(With()))).Of("local-image-pulled-from-registry").Should().BeEmpty();
    }

    private static string ArmWorkflow(string platform, bool render) => $$$"""
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-24.04-arm
            steps:
              - id: build-image
                run: |
                  docker build {{{platform}}}-t $REGISTRY/app:${{ github.sha }} .
                  docker push $REGISTRY/app:${{ github.sha }}
                  echo "image=$REGISTRY/app:${{ github.sha }}" >> $GITHUB_OUTPUT
              - id: render
                uses: aws-actions/amazon-ecs-render-task-definition@v1
                with:
                  task-definition: .aws/task-definition.json
                  container-name: {{{(render ? "app" : "sidecar")}}}
                  image: ${{ steps.build-image.outputs.image }}
        """;

    private const string X86TaskDef = """
        {
          "family": "app",
          "runtimePlatform": { "cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX" },
          "containerDefinitions": [ { "name": "app", "image": "<IMAGE>" } ]
        }
        """;

    [Fact]
    public void The_build_whose_output_the_render_step_inserts_is_judged_against_the_task_definitions_architecture()
    {
        var td = (".aws/task-definition.json", X86TaskDef);
        var f = Scan.Files(td, (".github/workflows/deploy.yml", ArmWorkflow("", render: true))).Of("image-built-for-wrong-architecture").Should().ContainSingle().Subject;
        f.Span.File.Should().Be(".github/workflows/deploy.yml");
        f.Span.StartLine.Should().Be(8);
        f.Message.Should().Contain("arm64").And.Contain("task definition app (container app").And.Contain("deploy.yml:12");

        Scan.Files(td, (".github/workflows/deploy.yml", ArmWorkflow("--platform linux/amd64 ", render: true))).Of("image-built-for-wrong-architecture").Should().BeEmpty();
        Scan.Files(td, (".github/workflows/deploy.yml", ArmWorkflow("", render: false))).Of("image-built-for-wrong-architecture")
            .Should().BeEmpty("the step renders another container, and the stand-in <IMAGE> names no repository to tie the build by");
    }

    [Fact]
    public void Paths_resolve_from_the_repository_root_holding_the_workflow()
    {
        var root = MapRoot(Workflow(With(taskDefinition: "./deploy/../.aws/task-definition.json", container: "app, log_router")));
        var r = TaskDefinitionRenders.Parse("services/api/.github/workflows/deploy.yml", root).Should().ContainSingle().Subject;
        r.TaskDefinitionFile.Should().Be("services/api/.aws/task-definition.json");
        r.Containers.Should().Equal("app", "log_router");
        r.Span.StartLine.Should().Be(8);
        r.Covers("services/api/.aws/task-definition.json", "log_router").Should().BeTrue();
        r.Covers(".aws/task-definition.json", "app").Should().BeFalse();
    }

    [Fact]
    public void Env_expressions_and_chained_render_steps_are_resolved_and_unresolvable_files_tie_to_nothing()
    {
        var text = """
            env:
              TASK_DEF: .aws/td.json
            jobs:
              deploy:
                env:
                  CONTAINER: app
                steps:
                  - id: one
                    uses: aws-actions/amazon-ecs-render-task-definition@v1
                    with: { task-definition: "${{ env.TASK_DEF }}", container-name: "${{ env.CONTAINER }}", image: x }
                  - id: two
                    uses: aws-actions/amazon-ecs-render-task-definition@v1
                    with: { task-definition: "${{ steps.one.outputs.task-definition }}", container-name: "${{ matrix.name }}", image: y }
                  - uses: aws-actions/amazon-ecs-render-task-definition@v1
                    with: { task-definition: "${{ inputs.file }}", container-name: app, image: z }
            """;
        var renders = TaskDefinitionRenders.Parse(".github/workflows/d.yml", MapRoot(text));
        renders.Should().HaveCount(2);
        renders[0].TaskDefinitionFile.Should().Be(".aws/td.json");
        renders[0].Containers.Should().Equal("app");
        renders[1].TaskDefinitionFile.Should().Be(".aws/td.json");
        renders[1].Containers.Should().BeNull("an unresolvable container name may be any container of the file");
    }

    private static Node MapRoot(string yaml) => YamlTreeLoader.Load(yaml, "w.yml").Documents[0].Root;
}
