using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PdbBlocksEviction;

public class PdbBlocksEvictionTests
{
    private const string Id = "pdb-blocks-eviction";

    private static string Deployment(string name, string? replicas, string labels = "app: web", string ns = "default") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
        spec:
        {(replicas == null ? "" : $"  replicas: {replicas}")}
          selector:
            matchLabels:
              {labels}
          template:
            metadata:
              labels:
                {labels}
            spec:
              containers:
                - name: c
                  image: registry.example.com/web:1.0.0
        """;

    private static string Pdb(string field, string selector = "matchLabels:\n      app: web", string ns = "default", string api = "policy/v1") => $"""
        apiVersion: {api}
        kind: PodDisruptionBudget
        metadata:
          name: web
          namespace: {ns}
        spec:
          {field}
          selector:
            {selector}
        """;

    private static string Hpa(string target, string? min, string max = "10") => $"""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: {target}
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: {target}
        {(min == null ? "" : $"  minReplicas: {min}")}
          maxReplicas: {max}
        """;

    private static List<Finding> Run(params string[] docs) => Scan.Files(("all.yaml", string.Join("\n---\n", docs))).Of(Id).ToList();

    [Theory]
    [InlineData("minAvailable: 3", "3", true)]
    [InlineData("minAvailable: 2", "3", false)]
    [InlineData("minAvailable: 67%", "3", true)]    // rounded up: ceil(2.01) = 3 of 3
    [InlineData("minAvailable: 50%", "3", false)]   // ceil(1.5) = 2 of 3
    [InlineData("minAvailable: 99%", "10", true)]     // ceil(9.9) = 10 of 10
    [InlineData("minAvailable: 99%", "100", false)]  // 99 of 100
    [InlineData("maxUnavailable: 1", "1", false)]
    [InlineData("maxUnavailable: 0%", "5", true)]
    [InlineData("minAvailable: 5", "0", false)]     // scaled to zero: nothing to evict
    public void Compares_the_budget_with_the_replicas_rounding_percentages_up(string field, string replicas, bool fires)
    {
        Run(Deployment("web", replicas), Pdb(field)).Should().HaveCount(fires ? 1 : 0);
    }

    [Fact]
    public void The_hpa_minimum_governs_over_the_written_replicas_and_the_message_says_so()
    {
        var f = Run(Deployment("web", "10"), Hpa("web", "2"), Pdb("minAvailable: 2")).Should().ContainSingle().Subject;
        f.Message.Should().Contain("minReplicas 2").And.Contain("autoscaler's minimum");
        f.Related.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void An_hpa_without_minReplicas_scales_down_to_one()
    {
        Run(Deployment("web", null), Hpa("web", null), Pdb("minAvailable: 1")).Should().ContainSingle()
            .Which.Message.Should().Contain("minReplicas defaults to 1");
    }

    [Fact]
    public void Pods_of_several_workloads_are_summed()
    {
        // 2 + 2 pods carry tier=web; minAvailable 3 leaves one disruption.
        Run(Deployment("a", "2", "tier: web"), Deployment("b", "2", "tier: web"), Pdb("minAvailable: 3", "matchLabels:\n      tier: web")).Should().BeEmpty();
        Run(Deployment("a", "2", "tier: web"), Deployment("b", "2", "tier: web"), Pdb("minAvailable: 4", "matchLabels:\n      tier: web")).Should().ContainSingle();
    }

    [Fact]
    public void Match_expressions_are_honoured()
    {
        Run(Deployment("web", "2"), Pdb("minAvailable: 2", "matchExpressions:\n      - {key: app, operator: In, values: [web, api]}")).Should().ContainSingle();
        Run(Deployment("web", "2"), Pdb("minAvailable: 2", "matchExpressions:\n      - {key: app, operator: NotIn, values: [web]}")).Should().BeEmpty();
        Run(Deployment("web", "2"), Pdb("minAvailable: 2", "matchExpressions:\n      - {key: app, operator: Bogus}")).Should().BeEmpty("an unreadable selector is unknown, not a match");
    }

    [Fact]
    public void An_empty_selector_covers_the_namespace_in_policy_v1_only()
    {
        Run(Deployment("web", "2"), Pdb("minAvailable: 2", "{}")).Should().ContainSingle();
        Run(Deployment("web", "2"), Pdb("minAvailable: 2", "{}", api: "policy/v1beta1")).Should().BeEmpty();
    }

    [Fact]
    public void Unknown_pod_counts_keep_it_silent()
    {
        Run(Deployment("web", null), Pdb("minAvailable: 1")).Should().BeEmpty("replicas not written: scaled from elsewhere");
        Run(Deployment("web", "${REPLICAS}"), Pdb("minAvailable: 1")).Should().BeEmpty();
        var daemonSet = Deployment("web", null).Replace("kind: Deployment", "kind: DaemonSet");
        Run(daemonSet, Deployment("other", "1"), Pdb("minAvailable: 1")).Should().BeEmpty("a DaemonSet's pod count depends on the nodes");
        var keda = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: web
            spec:
              scaleTargetRef:
                name: web
            """;
        Run(Deployment("web", "3"), keda, Pdb("minAvailable: 1")).Should().BeEmpty("KEDA may scale to zero; the floor is unknown");
    }

    [Fact]
    public void Other_namespaces_are_not_counted()
    {
        Run(Deployment("web", "1", ns: "a"), Pdb("minAvailable: 1", ns: "b")).Should().BeEmpty();
    }

    [Fact]
    public void Malformed_budgets_do_not_crash_or_fire()
    {
        var result = Scan.Files(("all.yaml", string.Join("\n---\n",
            Deployment("web", "1"),
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: a}\nspec: [1, 2]",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec: {minAvailable: lots, selector: {matchLabels: {app: web}}}",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: c}\nspec: {minAvailable: 1, selector: app=web}",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: d}\nspec: {minAvailable: 1, selector: {matchLabels: [app]}}")));
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        result.Of(Id).Should().BeEmpty();
    }
}

public class PdbBlocksEvictionKustomizeTests
{
    [Fact]
    public void Overlays_of_one_base_are_judged_separately_and_point_at_the_base_pdb()
    {
        var result = Scan.Files(
            ("base/kustomization.yaml", "resources: [deployment.yaml, pdb.yaml]\n"),
            ("base/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers: [{name: web, image: registry.example.com/web:1.0.0}]
                """),
            ("base/pdb.yaml", """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  minAvailable: 2
                  selector:
                    matchLabels: {app: web}
                """),
            ("overlays/prod/kustomization.yaml", "resources: [../../base]\n"),
            ("overlays/dev/kustomization.yaml", "resources: [../../base]\nreplicas:\n  - name: web\n    count: 2\n"));
        // Needs kubectl on PATH (Kustomize rendering), like the kustomize-build-failed fixture.
        var f = result.Of("pdb-blocks-eviction").Should().ContainSingle("only dev runs 2 pods; prod's 3 must not be added to dev's 2").Subject;
        f.Span.File.Should().Be("base/pdb.yaml");
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("2 pod(s)");
    }
}
