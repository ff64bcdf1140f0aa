using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.CommandLine;

/// <summary>`groundcrew init`: a config tuned to the repository, that the real loader accepts, never written over without --force.</summary>
[RunsLong]
public class InitTests
{
    private static GroundcrewConfig LoadWritten(string folder)
    {
        var (config, errors) = GroundcrewConfig.Load(Path.Combine(folder, ".groundcrew.yaml"));
        errors.Should().BeEmpty();
        return config;
    }

    /// <summary>A copy of an example without its own config, as a repository that has never run init.</summary>
    private static TempDir CopyOfExample(string name)
    {
        var dir = new TempDir();
        var source = Path.Combine(Repo.Root, "examples", name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(source, file);
            if (rel is ".groundcrew.yaml" or ".groundcrew.yml") continue;
            dir.Write(rel, File.ReadAllText(file));
        }
        return dir;
    }

    [Fact]
    public void On_the_clean_example_it_finds_the_platform_and_the_one_registry_and_check_accepts_the_file()
    {
        using var repo = CopyOfExample("clean");
        var run = GroundcrewCli.Exec("init", repo.Path);
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("platform: linux/amd64").And.Contain("runtimePlatform.cpuArchitecture X86_64");
        run.Stdout.Should().Contain("registry.required: true").And.Contain("all 4 image(s) name a registry host");

        var config = LoadWritten(repo.Path);
        config.Platform.Should().Be("linux/amd64");
        config.RegistryRequired.Should().BeTrue();
        config.AllowedRegistries.Should().Equal("305032652600.dkr.ecr.us-east-1.amazonaws.com");
        File.ReadAllText(Path.Combine(repo.Path, ".groundcrew.yaml")).Should().Contain("# From: task definition shop-orders-worker runs amd64");

        var check = GroundcrewCli.Exec("check", repo.Path);
        check.ExitCode.Should().Be(0, "the clean example stays clean under the config init wrote: " + check.Stdout + check.Stderr);
    }

    [Theory]
    [InlineData("a-os-service")]
    [InlineData("b-cloudmart")]
    [InlineData("c-hokusai")]
    [InlineData("d-stage3v3")]
    [InlineData("e-vextrus")]
    public void Every_example_gets_a_file_the_config_loader_accepts(string example)
    {
        using var repo = CopyOfExample(example);
        var plan = InitPlanner.Plan(repo.Path);
        File.WriteAllText(Path.Combine(repo.Path, ".groundcrew.yaml"), plan.Yaml);
        LoadWritten(repo.Path);
        plan.Decisions.Select(d => d.Setting).Should().Contain(["platform", "browserEnv", "exclude"]);
        plan.Decisions.Should().OnlyContain(d => d.Why.Length > 0, "every decision says why");
    }

    [Fact]
    public void Bare_image_names_leave_registry_required_off_and_say_which()
    {
        using var repo = CopyOfExample("a-os-service");
        var plan = InitPlanner.Plan(repo.Path);
        var required = plan.Decisions.Single(d => d.Setting == "registry.required");
        required.Decision.Should().Be("false");
        required.Why.Should().Contain("billing-service:latest");
    }

    [Fact]
    public void On_a_new_repository_it_reads_node_groups_frontend_prefixes_and_vendored_folders()
    {
        using var repo = new TempDir();
        repo.Write("infra/eks.tf", """
            resource "aws_eks_node_group" "default" {
              cluster_name   = "shop"
              node_group_name = "default"
              node_role_arn  = "arn:aws:iam::123456789012:role/nodes"
              subnet_ids     = ["subnet-1"]
              instance_types = ["m7g.large"]
              scaling_config {
                desired_size = 2
                max_size     = 3
                min_size     = 1
              }
            }
            """);
        repo.Write("k8s/web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0\n");
        repo.Write("web/package.json", "{ \"name\": \"web\", \"devDependencies\": { \"vite\": \"^6.0.0\" } }");
        repo.Write("web/vite.config.ts", "export default defineConfig({ envPrefix: ['VITE_', 'SHOP_PUBLIC_'] })\n");
        repo.Write("vendor/github.com/x/y/deploy.yaml", "a: [");
        repo.Write("web/node_modules/left-pad/package.json", "{}");
        repo.Write(".gitignore", "node_modules/\n");

        var run = GroundcrewCli.Exec("init", repo.Path);
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("platform: linux/arm64").And.Contain("m7g.large");
        run.Stdout.Should().Contain("browserEnv: SHOP_PUBLIC_*").And.Contain("envPrefix in web/vite.config.ts");
        run.Stdout.Should().Contain("exclude: vendor/**");

        var config = LoadWritten(repo.Path);
        config.Platform.Should().Be("linux/arm64");
        config.BrowserEnvPatterns.Should().Equal("SHOP_PUBLIC_*");
        config.Exclude.Should().Equal(["vendor/**"], "node_modules is already in .gitignore");
        config.AllowedRegistries.Should().Equal("ghcr.io");
        File.ReadAllText(Path.Combine(repo.Path, ".groundcrew.yaml")).Should().Contain("Found Vite in web/package.json");

        // The written excludes work: the broken vendored file is not scanned.
        var check = GroundcrewCli.Exec("check", repo.Path, "--format", "json");
        check.Stdout.Should().NotContain("vendor/github.com");
    }

    [Fact]
    public void It_never_overwrites_without_force()
    {
        using var repo = new TempDir();
        repo.Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        var path = repo.Write(".groundcrew.yaml", "failOn: warning\n");
        var refused = GroundcrewCli.Exec("init", repo.Path);
        refused.ExitCode.Should().Be(2);
        refused.Stderr.Should().Contain("already exists").And.Contain("--force");
        File.ReadAllText(path).Should().Be("failOn: warning\n");

        var dry = GroundcrewCli.Exec("init", repo.Path, "--dry-run");
        dry.ExitCode.Should().Be(0);
        dry.Stdout.Should().Contain("failOn: error");
        File.ReadAllText(path).Should().Be("failOn: warning\n", "--dry-run writes nothing");

        GroundcrewCli.Exec("init", repo.Path, "--force").ExitCode.Should().Be(0);
        File.ReadAllText(path).Should().StartWith("# .groundcrew.yaml, written by `groundcrew init`");
        LoadWritten(repo.Path).FailOn.Should().Be(Groundcrew.Core.Severity.Error);
    }
}
