using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.HpaMinReplicasAboveMax;

public class HpaMinReplicasAboveMaxTests
{
    private static int Count(string spec) => Scan.Files(("hpa.yaml",
        $"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n{spec}"))
        .Of("hpa-min-replicas-above-max").Count();

    [Theory]
    [InlineData("  minReplicas: 3\n  maxReplicas: 2", 1)]
    [InlineData("  maxReplicas: 0", 1)]               // minReplicas defaults to 1; maxReplicas must be >= 1
    [InlineData("  minReplicas: 2\n  maxReplicas: 2", 0)]
    [InlineData("  minReplicas: \"5\"\n  maxReplicas: 2", 0)] // not an integer: schema territory, not ours
    [InlineData("  minReplicas: ${MIN}\n  maxReplicas: 2", 0)]
    public void Compares_min_with_max(string spec, int expected) => Count(spec).Should().Be(expected);
}
