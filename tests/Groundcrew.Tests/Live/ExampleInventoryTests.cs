using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Live.Inventory;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// `check --inventory` on each seed with its example snapshot (`examples/*/inventory.json`): the live cells of the
/// incident catalog, offline. The snapshot in the folder is not scanned as a deployment file, and the repository's own
/// rules say the same with or without it.
/// </summary>
public class ExampleInventoryTests
{
    private static string Example(string name) => Path.Combine(Verify.Harness.RepoRoot, "examples", name);

    private static CheckResult Run(string example, Snapshot? inventory) =>
        new CheckRunner(new CheckOptions { Paths = [Example(example)], Config = GroundcrewConfig.Default, Inventory = inventory }).Run();

    private static (CheckResult Without, CheckResult With) RunBoth(string example) =>
        (Run(example, null), Run(example, Snapshot.Load(Path.Combine(Example(example), "inventory.json"))));

    private static List<string> Live(CheckResult result, string? under = null) => result.Findings
        .Where(f => f.RuleId.StartsWith("live-") && (under == null || f.Span.File.StartsWith(under)))
        .Select(f => $"{f.RuleId} {f.Span.File}:{f.Span.StartLine}").ToList();

    private static void SameRepositoryFindings(CheckResult without, CheckResult with)
    {
        with.FilesScanned.Should().Be(without.FilesScanned, "the snapshot in the folder is not a deployment file");
        with.Findings.Where(f => !f.RuleId.StartsWith("live-")).Select(f => f.DedupKey)
            .Should().BeEquivalentTo(without.Findings.Select(f => f.DedupKey), "the repository rules say the same with or without it");
        without.Findings.Should().NotContain(f => f.RuleId.StartsWith("live-"), "live rules are silent without an inventory");
    }

    [Fact]
    public void The_os_service_snapshot_settles_A2_A6_A11_offline()
    {
        var (without, with) = RunBoth("a-os-service");
        SameRepositoryFindings(without, with);
        Live(with).Should().BeEquivalentTo(
            "live-irsa-trust-mismatch billing-service/k8s/base/serviceaccount.yaml:6",                     // A2: the role trusts the deleted cluster's provider
            "live-image-platform-mismatch execution-service/k8s/overlays/development/kustomization.yaml:8", // A6: pushed from a Mac, arm64 only
            "live-queue-no-receiver terraform/events.tf:18");                                              // A11: the consumer may only send
        with.Findings.Single(f => f.RuleId == "live-irsa-trust-mismatch").Message.Should().Contain("04BCD543DFE4A4D8E63C3B78198B4076");
        with.Findings.Single(f => f.RuleId == "live-image-platform-mismatch").Message.Should().Contain("`linux/arm64` only").And.Contain("amd64");
        with.Findings.Single(f => f.RuleId == "live-queue-no-receiver").Message.Should().Contain("holds 1 message(s)");
    }

    [Fact]
    public void The_cloudmart_snapshot_settles_B1_B3_B4_offline_and_never_holds_a_secret_value()
    {
        var (without, with) = RunBoth("b-cloudmart");
        SameRepositoryFindings(without, with);
        Live(with).Should().BeEquivalentTo(
            "live-irsa-trust-mismatch k8s/backend.yaml:6",           // B1: no OIDC provider for the cluster's issuer
            "live-pod-env-older-than-config k8s/backend.yaml:58",    // B4: both pods started before the Secret was edited
            "live-secret-value-placeholder k8s/backend.yaml:58",     // B3: <your-openai-assistant-id>
            "live-secret-value-placeholder k8s/backend.yaml:63");    // B3: <your-bedrock-agent-id>
        with.Findings.Single(f => f.RuleId == "live-irsa-trust-mismatch").Message.Should().Contain("no OIDC provider for the issuer of cluster `cloudmart`");
        var snapshot = File.ReadAllText(Path.Combine(Example("b-cloudmart"), "inventory.json"));
        snapshot.Should().NotContain("your-openai").And.NotContain("PHlvdXIt", "the snapshot records which keys hold placeholders, never a value");
        with.Findings.Where(f => f.RuleId.StartsWith("live-")).Should().NotContain(f => (f.Message + f.Fix).Contains("<your-"));
    }

    [Fact]
    public void The_hokusai_snapshot_settles_C1_C2_C4_C5_offline_and_is_not_scanned_itself()
    {
        var (without, with) = RunBoth("c-hokusai");
        SameRepositoryFindings(without, with);
        // history/rev130 is the earlier revision kept beside the seed; it is scanned too and reports the same cells there.
        Live(with, "task-definitions/").Should().BeEquivalentTo(
            "live-task-definition-drift task-definitions/hokusai-api-development.json:2",                  // C1
            "live-execution-role-cannot-read-secret task-definitions/hokusai-mlflow-development.json:20",  // C2
            "live-execution-role-cannot-read-secret task-definitions/hokusai-auth-development.json:16",    // C4
            "live-secret-missing task-definitions/hokusai-auth-development.json:15");                      // C5
        with.Findings.Single(f => f.RuleId == "live-secret-missing").Message.Should().Contain("auth-token-0GWWJx");
    }

    [Fact]
    public void The_stage3v3_snapshot_settles_D2_D3_D4_offline()
    {
        var (without, with) = RunBoth("d-stage3v3");
        SameRepositoryFindings(without, with);
        Live(with).Should().BeEquivalentTo(
            "live-resource-not-in-state infra/pulumi/stack-export.json:10",             // D2: the ECS cluster, made by hand
            "live-resource-not-in-state infra/pulumi/stack-export.json:10",             // D2: the execution role, made by hand
            "live-private-subnet-no-egress infra/pulumi/stack-export.json:143",         // D3: the NAT route table is associated with no subnet
            "live-private-subnet-no-egress infra/terraform/ecs.tf:24",                  // D3: the same service declared in Terraform
            "live-execution-role-cannot-read-secret infra/pulumi/stack-export.json:151",  // D4: only the managed ECS policy
            "live-execution-role-cannot-read-secret infra/terraform/ecs.tf:38");           // D4: the same role, by the name aws_iam_role.execution declares
        with.Findings.Single(f => f.RuleId == "live-execution-role-cannot-read-secret" && f.Span.File.EndsWith("ecs.tf")).Message
            .Should().Contain("declared as `aws_iam_role.execution` in infra/terraform/ecs.tf, tied to the account's role by its name");
        with.Findings.Where(f => f.RuleId == "live-resource-not-in-state").Select(f => f.Message)
            .Should().Contain(m => m.Contains("IAM role `agentic-aws-stage3v3-ecs-execution`")).And.Contain(m => m.Contains("ECS cluster `agentic-aws-stage3v3-cluster`"));
        with.Findings.First(f => f.RuleId == "live-private-subnet-no-egress").Message.Should().Contain("rtb-0d1e2f3a4b5c6d701");
    }

    [Fact]
    public void The_vextrus_snapshot_settles_E3_offline()
    {
        var (without, with) = RunBoth("e-vextrus");
        SameRepositoryFindings(without, with);
        Live(with).Should().Equal("live-replica-bounds-conflict k8s/finance-service.yaml:10");
        with.Findings.Single(f => f.RuleId == "live-replica-bounds-conflict").Message
            .Should().Contain("runs 2 replica(s), outside HorizontalPodAutoscaler/finance-service-hpa's 10..25")
            .And.Contain("PodDisruptionBudget/finance-service-pdb requires minAvailable 7 of 2 running pod(s)");
    }
}
