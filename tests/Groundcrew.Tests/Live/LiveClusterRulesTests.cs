using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Core;
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

        var finding = ReplicaBoundsFindings(snapshot.ToJson()).Should().ContainSingle().Subject;
        finding.Span.StartLine.Should().Be(7);
        finding.Message.Should().Contain("runs 2 replica(s), outside HorizontalPodAutoscaler/api's 10..20")
            .And.Contain("PodDisruptionBudget/api requires minAvailable 7 of 2 running pod(s)");
    }

    /// <summary>
    /// E3 as `check --inventory` reports it: the repository's Deployment api (2 replicas, shop) checked against the snapshot
    /// read back from its file.
    /// </summary>
    internal static IReadOnlyList<Finding> ReplicaBoundsFindings(string snapshotJson)
    {
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
        File.WriteAllText(Path.Combine(repo.Path, "snapshot.json"), snapshotJson);
        var result = new CheckRunner(new CheckOptions { Paths = [Path.Combine(repo.Path, "deployment.yaml")], Config = GroundcrewConfig.Default,
            Inventory = Snapshot.Load(Path.Combine(repo.Path, "snapshot.json")) }).Run();

        return result.Of("live-replica-bounds-conflict").ToList();
    }

    // B4: Secret api-env was rewritten at 10:15 (managedFields; its data is a value that must never reach the snapshot);
    // ConfigMap api-config has no managedFields (an old API server), so its creation time counts. Two pods of the
    // Deployment's ReplicaSet started before 10:15, one after; a pod of api-gateway reads the Secret too but is not api's.
    private const string KubectlB4 = """
        case "$*" in
          *secrets*) cat <<'JSON'
        {"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"api-env","namespace":"shop","resourceVersion":"4711",
         "creationTimestamp":"2026-11-01T08:00:00Z","managedFields":[{"manager":"kubectl-create","operation":"Update","time":"2026-11-01T08:00:00Z"},
         {"manager":"kubectl-edit","operation":"Update","time":"2026-12-06T10:15:00Z"}]},"data":{"DB_PASSWORD":"c3VwZXItc2VjcmV0LW5ldmVyLXByaW50ZWQ="}}]}
        JSON
          ;;
          *configmaps*) echo '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"api-config","namespace":"shop","resourceVersion":"4712","creationTimestamp":"2026-12-05T08:00:00Z"},"data":{"logLevel":"debug"}}]}' ;;
          *pods*) cat <<'JSON'
        {"apiVersion":"v1","kind":"List","items":[
         {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-7c9f8d6b5-aaaaa","namespace":"shop","ownerReferences":[{"kind":"ReplicaSet","name":"api-7c9f8d6b5"}]},
          "spec":{"containers":[{"name":"api","image":"nginx:1.27","envFrom":[{"secretRef":{"name":"api-env"}}],"env":[{"name":"LOG_LEVEL","valueFrom":{"configMapKeyRef":{"name":"api-config","key":"logLevel"}}}]}]},
          "status":{"phase":"Running","startTime":"2026-12-05T09:00:00Z","containerStatuses":[{"name":"api","restartCount":0,"imageID":"docker.io/library/nginx@sha256:1"}]}},
         {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-7c9f8d6b5-bbbbb","namespace":"shop","ownerReferences":[{"kind":"ReplicaSet","name":"api-7c9f8d6b5"}]},
          "spec":{"containers":[{"name":"api","image":"nginx:1.27","envFrom":[{"secretRef":{"name":"api-env"}}],"env":[{"name":"LOG_LEVEL","valueFrom":{"configMapKeyRef":{"name":"api-config","key":"logLevel"}}}]}]},
          "status":{"phase":"Running","startTime":"2026-12-06T09:30:00Z","containerStatuses":[{"name":"api","restartCount":1}]}},
         {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-7c9f8d6b5-ccccc","namespace":"shop","ownerReferences":[{"kind":"ReplicaSet","name":"api-7c9f8d6b5"}]},
          "spec":{"containers":[{"name":"api","image":"nginx:1.27","envFrom":[{"secretRef":{"name":"api-env"}}],"env":[{"name":"LOG_LEVEL","valueFrom":{"configMapKeyRef":{"name":"api-config","key":"logLevel"}}}]}]},
          "status":{"phase":"Running","startTime":"2026-12-06T11:00:00Z","containerStatuses":[{"name":"api","restartCount":0}]}},
         {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-gateway-5b6c7d8e9-ddddd","namespace":"shop","ownerReferences":[{"kind":"ReplicaSet","name":"api-gateway-5b6c7d8e9"}]},
          "spec":{"containers":[{"name":"gw","image":"nginx:1.27","envFrom":[{"secretRef":{"name":"api-env"}}]}]},
          "status":{"phase":"Running","startTime":"2026-12-01T00:00:00Z"}}]}
        JSON
          ;;
          *) echo '{"apiVersion":"v1","kind":"List","items":[]}' ;;
        esac
        """;

    [Fact]
    public void B4_pods_started_before_the_secret_was_rewritten_still_hold_the_old_value()
    {
        var kubectl = FakeBinary.Write("kubectl", KubectlB4);
        var request = new InventoryRequest(null, [], new ClusterTarget(null, "prod", kubectl), []);
        var snapshot = InventoryRun.CollectAsync(request, new ProcessCommandRunner()).GetAwaiter().GetResult();
        snapshot.NotCollected.Should().BeEmpty();
        snapshot.Kube!.Secrets.Single().LastChange.Should().Be(DateTimeOffset.Parse("2026-12-06T10:15:00Z"), "the newest managedFields time is the last write");
        snapshot.Kube.ConfigMaps.Single().LastChange.Should().Be(DateTimeOffset.Parse("2026-12-05T08:00:00Z"), "without managedFields the creation time counts");
        snapshot.Kube.Pods.Should().HaveCount(4).And.Contain(p => p.Name == "api-7c9f8d6b5-aaaaa" && p.EnvSecrets.Contains("api-env") && p.EnvConfigMaps.Contains("api-config"));
        var json = snapshot.ToJson();
        json.Should().NotContain("c3VwZXItc2VjcmV0").And.NotContain("debug", "the snapshot holds names and times, never Secret or ConfigMap data");

        using var repo = new TempDir();
        repo.Write("deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
            spec:
              selector: { matchLabels: { app: api } }
              template:
                metadata: { labels: { app: api } }
                spec:
                  containers:
                    - name: api
                      image: nginx:1.27
                      envFrom:
                        - secretRef:
                            name: api-env
                      env:
                        - name: LOG_LEVEL
                          valueFrom:
                            configMapKeyRef: { name: api-config, key: logLevel }
            """);
        File.WriteAllText(Path.Combine(repo.Path, "snapshot.json"), json);
        var result = new CheckRunner(new CheckOptions { Paths = [Path.Combine(repo.Path, "deployment.yaml")], Config = GroundcrewConfig.Default,
            Inventory = Snapshot.Load(Path.Combine(repo.Path, "snapshot.json")) }).Run();

        var finding = result.Of("live-pod-env-older-than-config").Should().ContainSingle("every pod started after the ConfigMap was created").Subject;
        finding.Span.StartLine.Should().Be(16);
        finding.Message.Should().Contain("2 of 3 running pod(s) of Deployment/api (namespace shop) started before Secret `api-env` last changed (2026-12-06 10:15:00 UTC)")
            .And.Contain("`api-7c9f8d6b5-aaaaa` (started 2026-12-05 09:00:00 UTC), `api-7c9f8d6b5-bbbbb`")
            .And.NotContain("ccccc").And.NotContain("api-gateway").And.Contain("A rollout restart is needed");
        finding.Fix.Should().StartWith("`kubectl rollout restart deployment/api -n shop`");
        string.Join("\n", result.Findings.Select(f => f.Message + f.Fix)).Should().NotContain("c3VwZXItc2VjcmV0");
    }

    // B3: Secret bedrock's BEDROCK_AGENT_ID is base64 of `<your-bedrock-agent-id>`; BEDROCK_REGION is a real value.
    private const string KubectlB3 = """
        case "$*" in
          *secrets*) echo '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"bedrock","namespace":"ai","resourceVersion":"81","creationTimestamp":"2026-12-01T10:00:00Z"},"data":{"BEDROCK_AGENT_ID":"PHlvdXItYmVkcm9jay1hZ2VudC1pZD4=","BEDROCK_REGION":"dXMtZWFzdC0x","BROKEN":"%%%"}}]}' ;;
          *) echo '{"apiVersion":"v1","kind":"List","items":[]}' ;;
        esac
        """;

    private static Snapshot CollectCluster(bool readSecretValues)
    {
        var request = new InventoryRequest(null, [], new ClusterTarget(null, "prod", FakeBinary.Write("kubectl", KubectlB3)), [], ReadSecretValues: readSecretValues);
        return InventoryRun.CollectAsync(request, new ProcessCommandRunner()).GetAwaiter().GetResult();
    }

    [Fact]
    public void B3_a_Secret_holding_a_placeholder_is_flagged_only_with_read_secret_values_and_its_value_never_shown()
    {
        var plain = CollectCluster(readSecretValues: false);
        plain.Kube!.Secrets.Single().Placeholders.Should().BeNull("without the flag no Secret value is decoded");
        plain.Kube.Secrets.Single().Keys.Should().Equal("BEDROCK_AGENT_ID", "BEDROCK_REGION", "BROKEN");

        var read = CollectCluster(readSecretValues: true);
        read.Kube!.Secrets.Single().Placeholders.Should().Equal([new PlaceholderFact("BEDROCK_AGENT_ID", "angle-your")], "a value that is not base64 is skipped, not a crash");
        foreach (var json in new[] { plain.ToJson(), read.ToJson() })
            json.Should().NotContain("PHlvdXI").And.NotContain("your-bedrock").And.NotContain("dXMtZWFzdC0x").And.NotContain("us-east-1");

        using var repo = new TempDir();
        repo.Write("deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: agent
              namespace: ai
            spec:
              selector: { matchLabels: { app: agent } }
              template:
                metadata: { labels: { app: agent } }
                spec:
                  containers:
                    - name: agent
                      image: nginx:1.27
                      env:
                        - name: AGENT_ID
                          valueFrom:
                            secretKeyRef: { name: bedrock, key: BEDROCK_AGENT_ID }
                        - name: AWS_REGION
                          valueFrom:
                            secretKeyRef: { name: bedrock, key: BEDROCK_REGION }
            """);
        CheckResult CheckWith(Snapshot s)
        {
            var file = Path.Combine(repo.Path, $"snapshot-{Guid.NewGuid():N}.json");
            File.WriteAllText(file, s.ToJson());
            return new CheckRunner(new CheckOptions { Paths = [Path.Combine(repo.Path, "deployment.yaml")], Config = GroundcrewConfig.Default, Inventory = Snapshot.Load(file) }).Run();
        }

        CheckWith(plain).Of("live-secret-value-placeholder").Should().BeEmpty();
        var finding = CheckWith(read).Of("live-secret-value-placeholder").Should().ContainSingle("BEDROCK_REGION holds a real value").Subject;
        finding.Span.StartLine.Should().Be(17);
        finding.Message.Should().Be("Deployment/agent reads Secret `bedrock` (namespace ai, env AGENT_ID of container agent): the value of key `BEDROCK_AGENT_ID` looks like a placeholder " +
            "(pattern `angle-your` of placeholders.yaml) (observed in the inventory of " + read.Time + "). The pods get the placeholder, not the real value.");
        (finding.Message + finding.Fix).Should().NotContain("your-bedrock");
    }
}
