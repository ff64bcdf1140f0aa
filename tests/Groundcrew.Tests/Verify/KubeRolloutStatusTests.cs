using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify.Rollout;
using Newtonsoft.Json.Linq;
using System.Text.Json.Nodes;
using Groundcrew.Core;
using Xunit;

namespace Groundcrew.Tests.Verify;

public class KubeRolloutStatusTests
{
    private static JObject Waiting(string reason) => new() { ["waiting"] = new JObject { ["reason"] = reason } };

    [Theory]
    [InlineData("CrashLoopBackOff", 1, false)]  // one crash: maybe it started before its database
    [InlineData("CrashLoopBackOff", 2, true)]
    [InlineData("ImagePullBackOff", 0, true)]  // will not fix itself
    [InlineData("CreateContainerConfigError", 0, true)]
    [InlineData("ErrImagePull", 0, false)]     // often a single transient pull failure
    [InlineData("ContainerCreating", 0, false)]
    public void Only_states_that_will_not_heal_count_as_broken(string reason, int restarts, bool broken) =>
        PodHealth.Problems(JsonValues.ParseObject(FakeKubeApi.Pod("p", "app", "c", Waiting(reason), restarts, ready: false).ToString())).Any().Should().Be(broken);

    [Fact]
    public void An_OnDelete_statefulset_has_no_rollout_to_wait_for() =>
        KubeRolloutStatus.Evaluate("statefulset", JsonValues.ParseObject("""{"metadata":{"name":"db"},"spec":{"updateStrategy":{"type":"OnDelete"}}}"""))
            .Phase.Should().Be(RolloutPhase.Failed);

    [Fact]
    public void A_partitioned_statefulset_is_done_when_the_pods_above_the_partition_are_updated()
    {
        var sts = JsonValues.ParseObject("""{"metadata":{"name":"db","generation":3},"spec":{"replicas":4,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}},"status":{"observedGeneration":3,"readyReplicas":4,"updatedReplicas":2,"currentRevision":"a","updateRevision":"b"}}""");
        KubeRolloutStatus.Evaluate("statefulset", sts).Phase.Should().Be(RolloutPhase.Done);
    }

    [Theory]
    [InlineData("deployment/api", "deployment", "api")]
    [InlineData("deploy/api", "deployment", "api")]
    [InlineData("api", "deployment", "api")]
    [InlineData("sts/db", "statefulset", "db")]
    [InlineData("daemonset.apps/fluent-bit", "daemonset", "fluent-bit")]
    public void Workload_names_are_read_like_kubectl_reads_them(string text, string kind, string name) =>
        KubeWorkload.Parse(text).Should().Be(new KubeWorkload(kind, name));

    [Fact]
    public void Other_kinds_are_refused() =>
        FluentActions.Invoking(() => KubeWorkload.Parse("job/migrate")).Should().Throw<ArgumentException>();
}
