using FluentAssertions;
using Groundcrew.Load.Builds;
using Groundcrew.Model;
using Xunit;

namespace Groundcrew.Tests.Architecture;

public class BuildCommandsTests
{
    private static IReadOnlyList<BuildCommand> Parse(string path, string text) => BuildCommands.Parse([(path, text)]);

    [Fact]
    public void Shell_script_build_tagged_then_pushed_is_a_push_with_the_developer_as_builder()
    {
        var b = Parse("orchestration/build.sh", """
            #!/bin/bash
            ECR_URL=305032652600.dkr.ecr.us-east-1.amazonaws.com
            cd ../os-service
            docker build -t os-service:latest .
            docker tag os-service:latest "$ECR_URL/os-service:latest"
            docker push "$ECR_URL/os-service:latest"
            """).Should().ContainSingle().Subject;
        b.Span.StartLine.Should().Be(4);
        b.Tool.Should().Be("docker build");
        b.Pushes.Should().BeTrue();
        b.Platform.Should().BeNull();
        b.BuilderKind.Should().Be(BuilderKind.DeveloperScript);
        b.Builder.Should().Be(CpuArch.Unknown);
        b.Tags.Should().Equal("os-service:latest", "$ECR_URL/os-service:latest");
        b.ResolvedTags.Should().Contain("305032652600.dkr.ecr.us-east-1.amazonaws.com/os-service:latest");
    }

    [Fact]
    public void A_build_that_is_never_pushed_is_not_a_push()
    {
        Parse("build.sh", "docker build -t api:dev .\ndocker run --rm api:dev npm test\n").Should().ContainSingle().Which.Pushes.Should().BeFalse();
    }

    [Fact]
    public void Continuation_lines_platform_and_file_flags_are_read()
    {
        var b = Parse("scripts/release.sh", """
            docker buildx build \
              --platform=linux/amd64,linux/arm64 \
              -f services/api/Dockerfile \
              --build-arg VERSION=1 \
              -t registry.example.com/team/api:1.0 \
              --push \
              services/api
            """).Should().ContainSingle().Subject;
        b.Span.StartLine.Should().Be(1);
        b.Tool.Should().Be("docker buildx build");
        b.PlatformArch.Should().Be(CpuArch.Amd64 | CpuArch.Arm64);
        b.DockerfilePath.Should().Be("services/api/Dockerfile");
        b.Context.Should().Be("services/api");
        b.Pushes.Should().BeTrue();
    }

    [Fact]
    public void Makefile_variables_are_resolved_and_recipes_found()
    {
        var b = Parse("Makefile", "REGISTRY ?= 305032652600.dkr.ecr.eu-west-1.amazonaws.com\nIMAGE := $(REGISTRY)/billing\n\npush:\n\tdocker build -t $(IMAGE):$(TAG) .\n\tdocker push $(IMAGE):$(TAG)\n")
            .Should().ContainSingle().Subject;
        b.Span.StartLine.Should().Be(5);
        b.Pushes.Should().BeTrue();
        b.ResolvedTags.Should().Equal("305032652600.dkr.ecr.eu-west-1.amazonaws.com/billing:$(TAG)");
        b.BuilderWhy.Should().Contain("Makefile");
    }

    [Fact]
    public void Docker_default_platform_counts_as_a_platform()
    {
        var b = Parse("build.sh", "export DOCKER_DEFAULT_PLATFORM=linux/amd64\ndocker build -t x/api:1 . && docker push x/api:1\n").Should().ContainSingle().Subject;
        b.PlatformFrom.Should().Be("DOCKER_DEFAULT_PLATFORM=linux/amd64");
    }

    [Fact]
    public void GitHub_workflow_run_steps_get_the_job_runner_and_the_file_line()
    {
        var builds = Parse(".github/workflows/deploy.yml", """
            name: deploy
            on: push
            jobs:
              build:
                runs-on: macos-14
                steps:
                  - uses: actions/checkout@v4
                  - name: Build
                    run: |
                      cd os-service
                      docker build -t ${{ env.ECR_URL }}/os-service:${{ github.sha }} .
                      docker push ${{ env.ECR_URL }}/os-service:${{ github.sha }}
              other:
                runs-on: [self-hosted, linux, x64]
                steps:
                  - run: docker build -t ghcr.io/acme/tool:1 . && docker push ghcr.io/acme/tool:1
            """);
        builds.Should().HaveCount(2);
        var mac = builds.Single(b => b.Tags[0].Contains("os-service"));
        mac.Span.StartLine.Should().Be(11);
        mac.Builder.Should().Be(CpuArch.Arm64);
        mac.BuilderWhy.Should().Be("runs-on: macos-14");
        mac.Pushes.Should().BeTrue();
        BuildCommands.RepositoryName(mac.Tags[0]).Should().Be("os-service");
        var self = builds.Single(b => b.Tags[0].Contains("tool"));
        self.Span.StartLine.Should().Be(16);
        self.Builder.Should().Be(CpuArch.Amd64);
    }

    [Fact]
    public void Build_push_action_reads_platforms_push_and_tags()
    {
        var b = Parse(".github/workflows/ci.yaml", """
            jobs:
              image:
                runs-on: ubuntu-latest
                steps:
                  - uses: docker/build-push-action@v6
                    with:
                      platforms: linux/arm64
                      push: ${{ github.event_name != 'pull_request' }}
                      tags: |
                        ghcr.io/acme/api:latest
                        ghcr.io/acme/api:${{ github.sha }}
            """).Should().ContainSingle().Subject;
        b.Span.StartLine.Should().Be(5);
        b.PlatformArch.Should().Be(CpuArch.Arm64);
        b.Pushes.Should().BeFalse("a push that depends on an expression is not known to push");
        b.Tags.Should().HaveCount(2);
    }

    [Fact]
    public void A_script_run_by_a_workflow_job_gets_that_runner()
    {
        var builds = BuildCommands.Parse([
            (".github/workflows/release.yml", "jobs:\n  r:\n    runs-on: ubuntu-24.04-arm\n    steps:\n      - run: ./scripts/push.sh\n"),
            ("scripts/push.sh", "docker build -t x/api:1 .\ndocker push x/api:1\n"),
        ]);
        var b = builds.Should().ContainSingle().Subject;
        b.BuilderKind.Should().Be(BuilderKind.GitHubActions);
        b.Builder.Should().Be(CpuArch.Arm64);
    }

    [Fact]
    public void GitLab_jobs_use_their_runner_tags()
    {
        var b = Parse(".gitlab-ci.yml", """
            build:
              tags: [saas-linux-small-arm64]
              script:
                - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
                - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
            """).Should().ContainSingle().Subject;
        b.Span.StartLine.Should().Be(4);
        b.Builder.Should().Be(CpuArch.Arm64);
        b.BuilderKind.Should().Be(BuilderKind.OtherCi);
        b.Pushes.Should().BeTrue();
    }

    [Fact]
    public void Package_json_scripts_are_developer_builds()
    {
        var b = Parse("package.json", """
            {
              "name": "api",
              "scripts": {
                "build": "tsc",
                "docker:push": "docker build -t 305032652600.dkr.ecr.us-east-1.amazonaws.com/api:latest . && docker push 305032652600.dkr.ecr.us-east-1.amazonaws.com/api:latest"
              }
            }
            """).Should().ContainSingle().Subject;
        b.Span.StartLine.Should().Be(5);
        b.Pushes.Should().BeTrue();
        b.BuilderKind.Should().Be(BuilderKind.DeveloperScript);
    }

    [Theory]
    [InlineData("$ECR/os-service:$TAG", "os-service")]
    [InlineData("305032652600.dkr.ecr.us-east-1.amazonaws.com/team/api@sha256:abc", "api")]
    [InlineData("${{ env.REGISTRY }}/web:${{ github.sha }}", "web")]
    [InlineData("localhost:5000/web", "web")]
    [InlineData("$REGISTRY/$SERVICE:latest", null)]
    public void Repository_names(string image, string? expected) => BuildCommands.RepositoryName(image).Should().Be(expected);

    [Fact]
    public void Buildx_output_names_and_push_are_tags_and_a_push()
    {
        var b = Parse("build.sh", "docker buildx build --output type=image,name=305032652600.dkr.ecr.us-east-1.amazonaws.com/vllm:1,push=true .\n").Should().ContainSingle().Subject;
        b.Tags.Should().Equal("305032652600.dkr.ecr.us-east-1.amazonaws.com/vllm:1");
        b.Pushes.Should().BeTrue();
    }

    [Fact]
    public void Commands_that_only_mention_build_are_not_builds()
    {
        Parse("ci.sh", "npm run build\ndocker run --rm node:20 npm run build\necho docker-build-cache\ngo build ./...\n").Should().BeEmpty();
    }
}
