using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using Xunit;

namespace Groundcrew.Tests.CommandLine;

public class ConfigTests
{
    [Fact]
    public void Every_setting_is_read()
    {
        using var dir = new TempDir();
        var path = dir.Write(".groundcrew.yaml", """
            failOn: warning
            complete: true
            platform: linux/arm64
            registry: { required: true, allowed: [ghcr.io] }
            browserEnv: ["PUBLIC_*"]
            exclude: [docs/**]
            maxFileSizeMB: 2
            rules: { input-error: off, placeholder-value: note }
            terraform:
              varFiles: [infra/env/prod.tfvars, { path: ./config/prod.tfvars.json, module: infra/ }]
            """);
        var (config, errors) = GroundcrewConfig.Load(path);
        errors.Should().BeEmpty();
        config.FailOn.Should().Be(Severity.Warning);
        config.Complete.Should().BeTrue();
        config.Platform.Should().Be("linux/arm64");
        config.RegistryRequired.Should().BeTrue();
        config.AllowedRegistries.Should().Equal("ghcr.io");
        config.BrowserEnvPatterns.Should().Equal("PUBLIC_*");
        config.Exclude.Should().Equal("docs/**");
        config.MaxFileBytes.Should().Be(2 * 1024 * 1024);
        config.EffectiveSeverity("input-error", Severity.Error).Should().BeNull();
        config.EffectiveSeverity("placeholder-value", Severity.Error).Should().Be(Severity.Note);
        config.TerraformVarFiles.Should().Equal(("infra/env/prod.tfvars", (string?)null), ("config/prod.tfvars.json", "infra"));
    }

    [Fact]
    public void Unknown_settings_and_bad_values_are_named_with_their_line()
    {
        using var dir = new TempDir();
        var path = dir.Write(".groundcrew.yaml", "failOn: error\nfailon: warning\nrules:\n  x: loud\n");
        var (_, errors) = GroundcrewConfig.Load(path);
        errors.Should().Contain(e => e.Contains(":2:") && e.Contains("failon"));
        errors.Should().Contain(e => e.Contains(":4:") && e.Contains("rule x"));
    }

    [Fact]
    public void Excluded_paths_are_not_scanned()
    {
        using var dir = new TempDir();
        dir.Write("docs/broken.yaml", "a: [");
        dir.Write(".groundcrew.yaml", "exclude: [docs/**]\n");
        Scan.Folder(dir.Path).Of("input-error").Should().BeEmpty();
    }

    [Fact]
    public void Gitignored_paths_are_not_scanned()
    {
        using var dir = new TempDir();
        dir.Write("generated/broken.yaml", "a: [");
        dir.Write("kept/broken.yaml", "a: [");
        dir.Write(".gitignore", "generated/\n");
        Scan.Folder(dir.Path).Of("input-error").Should().ContainSingle().Which.Span.File.Should().Be("kept/broken.yaml");
    }

    [Fact]
    public async Task The_published_schema_accepts_the_documented_example_and_rejects_typos()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(Repo.Root, "docs", "schemas", "groundcrew-config.schema.json"));
        var ok = JObject.Parse("""{"failOn":"error","complete":true,"registry":{"required":true},"rules":{"placeholder-value":"off"},"terraform":{"varFiles":["env/prod.tfvars",{"path":"x.tfvars","module":"infra"}]}}""");
        schema.Validate(ok).Should().BeEmpty();
        schema.Validate(JObject.Parse("""{"terraform":{"varfiles":["a.tfvars"]}}""")).Should().NotBeEmpty();
        schema.Validate(JObject.Parse("""{"failon":"error"}""")).Should().NotBeEmpty();
    }

    [Fact]
    public void Annotation_suppression_with_a_reason_silences_the_rule_for_that_object()
    {
        const string sa = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: app
              annotations:
                groundcrew.dev/ignore: "placeholder-value: substituted by deploy.sh"
                eks.amazonaws.com/role-arn: arn:aws:iam::ACCOUNT_ID:role/app
            """;
        var result = Scan.Files(("sa.yaml", sa));
        result.Of("placeholder-value").Should().BeEmpty();
        result.Suppressed.Should().BeGreaterThan(0);
        result.Of("suppression-without-reason").Should().BeEmpty();
        Scan.Files(("sa.yaml", sa.Replace("groundcrew.dev/ignore: \"placeholder-value: substituted by deploy.sh\"", "x: y")))
            .Of("placeholder-value").Should().NotBeEmpty("without the annotation the rule fires");
    }
}
