using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// The cluster side collected through a real process standing in for kubectl (it answers `kubectl get ... -o json`
/// with List objects in the API's shape), then checked with a repository: E3's contradicting numbers as they run.
/// </summary>
public class LiveClusterRulesTests
{
    private const string Kubectl = """
        case "$*" in
          *deployments*) cat <<'JSON'
        {"apiVersion":"v1","kind":"List","items":[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","namespace":"shop"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"nginx:1.27"}]}}}}]}
        JSON
          ;;
          *horizontalpodautoscalers*) echo '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"api","namespace":"shop"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"api"},"minReplicas":10,"maxReplicas":20}}]}' ;;
          *poddisruptionbudgets*) echo '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"api","namespace":"shop"},"spec":{"minAvailable":7,"selector":{"matchLabels":{"app":"api"}}}}]}' ;;
          *nodes*) echo '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"ip-10-0-1-10","labels":{"kubernetes.io/arch":"amd64","node.kubernetes.io/instance-type":"m6i.large"}},"status":{"nodeInfo":{"architecture":"amd64"}}}]}' ;;
          *) echo '{"apiVersion":"v1","kind":"List","items":[]}' ;;
        esac
        """;

    [Fact]
    public void E3_the_live_deployment_runs_2_while_the_hpa_floor_is_10_and_the_pdb_needs_7()
    {
        var kubectl = FakeBinary.Write("kubectl", Kubectl);
        var request = new InventoryRequest(null, [], new ClusterTarget(null, "prod", kubectl), []);
        var snapshot = InventoryRun.CollectAsync(request, new ProcessCommandRunner()).GetAwaiter().GetResult();
        snapshot.NotCollected.Should().BeEmpty();
        snapshot.Kube!.Pdbs.Single().MinAvailable.Should().Be("7");
        snapshot.Kube.Nodes.Single().Architecture.Should().Be("amd64");

        using var repo = new TempDir();
        repo.Write("deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
            spec:
              replicas: 2
              selector: { matchLabels: { app: api } }
              template:
                metadata: { labels: { app: api } }
                spec:
                  containers:
                    - name: api
                      image: nginx:1.27
            """);
        // Through the file, as `check --inventory` reads it.
        File.WriteAllText(Path.Combine(repo.Path, "snapshot.json"), snapshot.ToJson());
        var result = new CheckRunner(new CheckOptions { Paths = [Path.Combine(repo.Path, "deployment.yaml")], Config = GroundcrewConfig.Default,
            Inventory = Snapshot.Load(Path.Combine(repo.Path, "snapshot.json")) }).Run();

        var finding = result.Of("live-replica-bounds-conflict").Should().ContainSingle().Subject;
        finding.Span.StartLine.Should().Be(7);
        finding.Message.Should().Contain("runs 2 replica(s), outside HorizontalPodAutoscaler/api's 10..20")
            .And.Contain("PodDisruptionBudget/api requires minAvailable 7 of 2 running pod(s)");
    }
}
