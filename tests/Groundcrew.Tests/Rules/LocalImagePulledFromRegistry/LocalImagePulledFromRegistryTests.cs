using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.LocalImagePulledFromRegistry;

public class LocalImagePulledFromRegistryTests
{
    private const string Id = "local-image-pulled-from-registry";

    private static (string, string) Pod(string image, string? policy = null) => ("k8s/pod.yaml", $"""
        apiVersion: v1
        kind: Pod
        metadata: {"{"}name: p{"}"}
        spec:
          containers:
            - name: app
              image: {image}
        {(policy == null ? "" : "      imagePullPolicy: " + policy)}
        """);

    [Fact]
    public void Registry_required_makes_hostless_images_errors()
    {
        var config = new GroundcrewConfig { RegistryRequired = true };
        var result = Scan.Files(config, Pod("billing-service:1.0"));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("docker.io/library/billing-service").And.Contain("registry.required");
    }

    [Fact]
    public void Allowed_registries_accept_globs_and_repository_prefixes()
    {
        var config = new GroundcrewConfig();
        config.AllowedRegistries.AddRange(["*.dkr.ecr.*.amazonaws.com", "ghcr.io/acme"]);
        Scan.Files(config, Pod("932100697590.dkr.ecr.eu-west-1.amazonaws.com/app:1")).Of(Id).Should().BeEmpty();
        Scan.Files(config, Pod("ghcr.io/acme/app:1")).Of(Id).Should().BeEmpty();
        var other = Scan.Files(config, Pod("ghcr.io/someone-else/app:1")).Of(Id).Should().ContainSingle().Subject;
        other.Severity.Should().Be(Severity.Warning, "allowed without required is a warning");
        other.Message.Should().Contain("not in registry.allowed");
        Scan.Files(config, Pod("nginx:1.25")).Of(Id).Should().ContainSingle("docker.io is not allowed");
    }

    [Fact]
    public void Docker_hub_allowed_accepts_hostless_images()
    {
        var config = new GroundcrewConfig { RegistryRequired = false };
        config.AllowedRegistries.Add("docker.io");
        Scan.Files(config, Pod("nginx:1.25")).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_locally_built_never_pushed_image_with_default_always_policy_is_reported()
    {
        var result = Scan.Files(Pod("vextrus/finance"), ("Makefile", "build:\n\tdocker build -t vextrus/finance .\n"));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Message.Should().Contain("Makefile").And.Contain("untagged");
    }

    [Fact]
    public void A_repository_that_pushes_images_is_trusted()
    {
        var result = Scan.Files(Pod("vextrus/finance:1.0", "Always"),
            ("build.sh", "docker build -t vextrus/finance:1.0 .\ndocker push \"$REGISTRY/vextrus/finance:1.0\"\n"));
        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Compose_built_images_count_as_local()
    {
        var result = Scan.Files(Pod("shop-api:latest"), ("docker-compose.yml", """
            services:
              api:
                build: ./api
                image: shop-api:latest
            """));
        result.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("docker-compose.yml");
    }

    [Theory]
    [InlineData("nginx:1.25", "Always")]
    [InlineData("redis", null)]
    [InlineData("vextrus/finance:1.0", null)]
    [InlineData("vextrus/finance:1.0", "IfNotPresent")]
    public void Docker_hub_images_and_non_forcing_policies_are_not_reported(string image, string? policy)
    {
        Scan.Files(Pod(image, policy), ("build.sh", "docker build -t vextrus/finance:1.0 .")).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void An_image_named_after_a_service_folder_with_a_dockerfile_and_no_push_is_reported()
    {
        var result = Scan.Files(Pod("vextrus/finance-service:latest", "Always"), ("services/finance/Dockerfile.local", "FROM node:20-alpine\n"));
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("services/finance/Dockerfile.local").And.Contain("nothing in this repository pushes");
    }

    [Theory]
    [InlineData("docker/Dockerfile", "FROM x")]
    [InlineData("services/billing/Dockerfile", "FROM x")]
    public void Generic_or_unrelated_dockerfile_folders_do_not_link_an_image(string path, string text)
    {
        Scan.Files(Pod("vextrus/finance-service:latest", "Always"), (path, text)).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_dockerfile_link_is_dropped_when_a_workflow_pushes_images()
    {
        var result = Scan.Files(Pod("vextrus/finance-service:latest", "Always"), ("services/finance/Dockerfile", "FROM x"),
            (".github/workflows/release.yml", "jobs:\n  r:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n"));
        result.Of(Id).Should().BeEmpty();
    }
}
