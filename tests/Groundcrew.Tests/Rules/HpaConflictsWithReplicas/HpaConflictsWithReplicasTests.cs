using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.HpaConflictsWithReplicas;

public class HpaConflictsWithReplicasTests
{
    private static List<Finding> Run(string replicas, string? min, string max = "10", string hpaNs = "default") => Scan.Files(("all.yaml", $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: {replicas}
          template:
            metadata:
              labels: {"{app: web}"}
            spec:
              containers: [{"{name: c, image: registry.example.com/web:1.0.0}"}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
          namespace: {hpaNs}
        spec:
          scaleTargetRef: {"{apiVersion: apps/v1, kind: Deployment, name: web}"}
        {(min == null ? "" : $"  minReplicas: {min}")}
          maxReplicas: {max}
        """)).Of("hpa-conflicts-with-replicas").ToList();

    [Fact]
    public void Below_the_minimum_the_hpa_scales_straight_back() =>
        Run("2", "10").Should().ContainSingle().Which.Message.Should().Contain("scales it straight back to 10");

    [Fact]
    public void Above_the_maximum_the_hpa_scales_down() =>
        Run("40", "2", "20").Should().ContainSingle().Which.Message.Should().Contain("maxReplicas 20");

    [Fact]
    public void Within_the_range_each_sync_resets_the_count() =>
        Run("5", "2").Should().ContainSingle().Which.Message.Should().Contain("resets the running count to 5");

    [Fact]
    public void Equal_to_the_minimum_still_drops_a_scale_up_on_each_apply()
    {
        Run("3", "3").Should().ContainSingle().Which.Message.Should().Contain("drops the running count back to 3");
        Run("1", null).Should().ContainSingle("minReplicas defaults to 1").Which.Message.Should().Contain("minReplicas (default 1)");
    }

    [Fact]
    public void Zero_or_another_namespace_is_silent()
    {
        Run("0", "2").Should().BeEmpty("replicas 0 turns the HPA off on purpose");
        Run("5", "2", hpaNs: "other").Should().BeEmpty("an HPA only targets its own namespace");
        Run("\"5\"", "2").Should().BeEmpty("a quoted value is not a replica count we can compare");
    }
}
