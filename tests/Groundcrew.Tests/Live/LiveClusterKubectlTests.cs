using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// The cluster collector driven by the real kubectl (discovery, list calls, its own JSON printing) against a loopback API
/// server that answers with recorded objects: what the snapshot keeps, that a Secret's data never reaches it, that
/// only GETs were sent, and E3 found from what was listed.
/// </summary>
public sealed class LiveClusterKubectlTests
{
    [LiveToolsFact("kubectl")]
    public void Real_kubectl_against_a_loopback_api_lists_the_cluster_read_only_and_the_snapshot_keeps_no_secret_data()
    {
        using var api = new LoopbackKubeApi();
        api.Add("nodes", """{"metadata":{"name":"ip-10-0-1-10","labels":{"kubernetes.io/arch":"amd64","node.kubernetes.io/instance-type":"m6i.large"}},"status":{"nodeInfo":{"architecture":"amd64"}}}""");
        api.Add("namespaces", """{"metadata":{"name":"shop"}}""");
        api.Add("serviceaccounts", """{"metadata":{"name":"api","namespace":"shop","annotations":{"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:role/shop-api"}}}""");
        // base64 of "pw-never-printed"
        api.Add("secrets", """{"metadata":{"name":"db","namespace":"shop","resourceVersion":"4711","creationTimestamp":"2026-12-01T08:00:00Z"},"type":"Opaque","data":{"password":"cHctbmV2ZXItcHJpbnRlZA=="}}""");
        api.Add("deployments", """
            {"metadata":{"name":"api","namespace":"shop"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"api"}},
             "template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"nginx:1.27",
             "env":[{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]}]}}}}
            """);
        api.Add("pods", """
            {"metadata":{"name":"api-7c9f8d6b5-aaaaa","namespace":"shop","ownerReferences":[{"kind":"ReplicaSet","name":"api-7c9f8d6b5"}]},
             "spec":{"containers":[{"name":"api","image":"nginx:1.27"}]},
             "status":{"phase":"Running","startTime":"2026-12-05T09:00:00Z","containerStatuses":[{"name":"api","restartCount":3,"image":"nginx:1.27","imageID":"docker.io/library/nginx@sha256:1111"}]}}
            """);
        api.Add("horizontalpodautoscalers", """{"metadata":{"name":"api","namespace":"shop"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"api"},"minReplicas":10,"maxReplicas":20}}""");
        api.Add("poddisruptionbudgets", """{"metadata":{"name":"api","namespace":"shop"},"spec":{"minAvailable":7,"selector":{"matchLabels":{"app":"api"}}}}""");
        using var home = new TempDir();
        var kubeconfig = api.WriteKubeconfig(home.Path);
        // kubectl keeps its discovery cache under HOME: a fresh one per test, so nothing of another run is reused.
        var runner = new ProcessCommandRunner(new Dictionary<string, string> { ["HOME"] = home.Path, ["KUBECONFIG"] = kubeconfig });

        var snapshot = InventoryRun.CollectAsync(new InventoryRequest(null, [], new ClusterTarget(kubeconfig), []), runner).GetAwaiter().GetResult();

        snapshot.NotCollected.Should().BeEmpty(string.Join("\n", snapshot.NotCollected.Select(n => $"{n.Part}: {n.Reason} ({n.Command})")));
        var kube = snapshot.Kube!;
        kube.Nodes.Should().Equal(new NodeFact("ip-10-0-1-10", "amd64", "m6i.large"));
        kube.Namespaces.Should().Equal("shop");
        kube.ServiceAccounts.Should().Equal(new ServiceAccountFact("shop", "api", "arn:aws:iam::123456789012:role/shop-api"));
        var secret = kube.Secrets.Should().ContainSingle().Subject;
        (secret.Name, secret.Keys.Single(), secret.ResourceVersion).Should().Be(("db", "password", "4711"));
        kube.Workloads.Should().ContainSingle(w => w.Kind == "Deployment" && w.Name == "api" && w.Replicas == 2).Which.EnvSecrets.Should().Equal("db");
        var pod = kube.Pods.Should().ContainSingle().Subject;
        (pod.Restarts, pod.Phase, pod.Images.Single().ImageId).Should().Be((3, "Running", "docker.io/library/nginx@sha256:1111"));
        kube.Hpas.Single().MinReplicas.Should().Be(10);
        kube.Pdbs.Single().MinAvailable.Should().Be("7");
        var json = snapshot.ToJson();
        json.Should().NotContain("cHctbmV2ZXItcHJpbnRlZA").And.NotContain("pw-never-printed", "a Secret's data is reduced to its key names");

        api.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.StartsWith("GET "), "the collector only reads");
        api.Requests.Should().Contain(["GET /api/v1/secrets", "GET /apis/apps/v1/deployments", "GET /apis/autoscaling/v2/horizontalpodautoscalers",
            "GET /apis/policy/v1/poddisruptionbudgets"], "kubectl listed each kind across all namespaces");

        LiveClusterRulesTests.ReplicaBoundsFindings(json).Should().ContainSingle().Which.Message.Should()
            .Contain("runs 2 replica(s), outside HorizontalPodAutoscaler/api's 10..20").And.Contain("minAvailable 7");
    }
}
