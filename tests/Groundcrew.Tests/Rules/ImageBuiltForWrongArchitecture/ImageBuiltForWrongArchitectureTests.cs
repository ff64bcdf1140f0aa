using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ImageBuiltForWrongArchitecture;

public class ImageBuiltForWrongArchitectureTests
{
    private const string Id = "image-built-for-wrong-architecture";
    private const string Ecr = "305032652600.dkr.ecr.us-east-1.amazonaws.com";

    private static (string, string) Workflow(string runsOn, string run) => (".github/workflows/build.yml", $"""
        jobs:
          build:
            runs-on: {runsOn}
            steps:
              - uses: actions/checkout@v4
              - run: {run}
        """);

    private static (string, string) Deployment(string image) => ("k8s/app.yaml", $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {"{"}name: app{"}"}
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: {image}
        """);

    private static (string, string) NodeGroup(string instanceType) => ("infra/eks.tf", $"resource \"aws_eks_node_group\" \"main\" {{\n  instance_types = [\"{instanceType}\"]\n}}\n");

    [Fact]
    public void An_amd64_runner_building_for_graviton_nodes_is_an_error_too()
    {
        var f = Scan.Files(Workflow("ubuntu-latest", $"docker build -t {Ecr}/app:1 . && docker push {Ecr}/app:1"), Deployment($"{Ecr}/app:1"), NodeGroup("m7g.large"))
            .Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.File.Should().Be(".github/workflows/build.yml");
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("built for amd64").And.Contain("runs on arm64").And.Contain("m7g.large").And.Contain("runs-on: ubuntu-latest");
        f.Fix.Should().Contain("--platform linux/arm64");
        f.Related.Should().Contain(r => r.Span.File == "k8s/app.yaml" && r.Span.StartLine == 9);
        f.Related.Should().Contain(r => r.Span.File == "infra/eks.tf");
    }

    [Fact]
    public void The_same_runner_architecture_as_the_nodes_is_fine()
    {
        Scan.Files(Workflow("ubuntu-latest", $"docker build -t {Ecr}/app:1 . && docker push {Ecr}/app:1"), Deployment($"{Ecr}/app:1"), NodeGroup("m5.large"))
            .Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Developer_script_with_the_configured_platform_is_a_warning_naming_the_unknown_builder()
    {
        var config = new GroundcrewConfig { Platform = "linux/amd64", PlatformLine = 1 };
        var f = Scan.Files(config, ("build.sh", $"docker build -t {Ecr}/app:latest .\ndocker push {Ecr}/app:latest\n"))
            .Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Message.Should().StartWith("developer script: the builder's architecture is unknown");
        f.Message.Should().Contain("platform: linux/amd64");
    }

    [Fact]
    public void Nothing_is_said_when_the_target_architecture_is_unknown()
    {
        Scan.Files(("build.sh", $"docker build -t {Ecr}/app:latest .\ndocker push {Ecr}/app:latest\n"), Deployment($"{Ecr}/app:latest"))
            .Of(Id).Should().BeEmpty("no node group, task definition or platform says where the image runs");
        Scan.Files(Workflow("macos-14", $"docker build -t {Ecr}/app:1 . && docker push {Ecr}/app:1"), Deployment($"{Ecr}/app:1"))
            .Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void An_image_pushed_to_ecr_that_no_manifest_names_takes_the_architecture_every_target_agrees_on()
    {
        var f = Scan.Files(Workflow("macos-latest", $"docker build -t {Ecr}/batch:1 . && docker push {Ecr}/batch:1"), NodeGroup("c6i.large"))
            .Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        Scan.Files(Workflow("macos-latest", "docker build -t ghcr.io/acme/batch:1 . && docker push ghcr.io/acme/batch:1"), NodeGroup("c6i.large"))
            .Of(Id).Should().BeEmpty("not ECR and not used by a scanned target");
    }

    [Fact]
    public void A_ci_runner_of_unknown_architecture_says_nothing()
    {
        var config = new GroundcrewConfig { Platform = "linux/amd64" };
        Scan.Files(config, (".gitlab-ci.yml", $"build:\n  script:\n    - docker build -t {Ecr}/app:1 .\n    - docker push {Ecr}/app:1\n"))
            .Of(Id).Should().BeEmpty();
        Scan.Files(config, Workflow("[self-hosted]", $"docker build -t {Ecr}/app:1 . && docker push {Ecr}/app:1")).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void From_platform_buildplatform_is_never_flagged_and_a_pinned_final_stage_decides()
    {
        var dockerfile = ("Dockerfile", "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nRUN go build -o /app .\nFROM --platform=linux/amd64 alpine:3.20\nCOPY --from=build /app /app\n");
        var result = Scan.Files(Workflow("macos-14", $"docker build -t {Ecr}/app:1 . && docker push {Ecr}/app:1"), Deployment($"{Ecr}/app:1"), NodeGroup("m5.large"), dockerfile);
        result.Of(Id).Should().BeEmpty("the final stage is pinned to linux/amd64");
        result.Findings.Should().NotContain(f => f.Span.File == "Dockerfile" && f.RuleId == Id);

        var crossCompiled = ("Dockerfile", "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n");
        var f = Scan.Files(Workflow("macos-14", $"docker build -t {Ecr}/app:1 . && docker push {Ecr}/app:1"), Deployment($"{Ecr}/app:1"), NodeGroup("m5.large"), crossCompiled)
            .Of(Id).Should().ContainSingle().Subject;
        f.Span.File.Should().Be(".github/workflows/build.yml", "the build command is what to fix, never the FROM --platform=$BUILDPLATFORM line");
    }

    [Fact]
    public void A_multi_architecture_build_covers_every_target()
    {
        Scan.Files(Workflow("macos-14", $"docker buildx build --platform linux/amd64,linux/arm64 -t {Ecr}/app:1 --push ."), Deployment($"{Ecr}/app:1"), NodeGroup("m5.large"))
            .Of(Id).Should().BeEmpty();
    }
}
