using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Groundcrew.Verify.Rollout;
using Newtonsoft.Json.Linq;
using Xunit;
using Groundcrew.Tests.Support;

namespace Groundcrew.Tests.Verify;

/// <summary>The real kubectl against a fake API server on loopback whose objects change between calls.</summary>
[RunsLong]
public class KubeRolloutTests
{
    private static RolloutRequest Rollout(string kubeconfig, string timeout, params string[] targets) =>
        new("kube", targets, null, "shop", kubeconfig, null,
            new RolloutOptions(Groundcrew.Verify.Flows.Duration.Parse(timeout, "t"), TimeSpan.FromMilliseconds(100)));

    private static async Task<(Groundcrew.Verify.Reporting.VerifyRunResult Result, string Output)> RunAsync(
        RolloutRequest rollout, IFailureExplainer? explainer = null, IReadOnlyList<string>? flows = null, params (string, string)[] vars)
    {
        var output = new StringWriter();
        var runner = new VerifyRunner(output, new VerifyTools("kubectl", "aws"), explainer: explainer);
        var request = Harness.Request(flows ?? [], vars) with { Rollout = rollout };
        var result = await runner.RunAsync(request);
        return (result, output.ToString());
    }

    [Fact]
    public async Task A_deployment_passes_only_after_every_replica_is_updated_and_available()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        kube.Workload("deployments", "shop", "orders",
            FakeKubeApi.Deployment("orders", 2, 1, 2, 2, 0, 2),   // new spec not yet observed
            FakeKubeApi.Deployment("orders", 2, 2, 2, 3, 1, 2),   // one new replica
            FakeKubeApi.Deployment("orders", 2, 2, 2, 3, 2, 2),   // old replica terminating
            FakeKubeApi.Deployment("orders", 2, 2, 2, 2, 2, 1),   // one not available yet
            FakeKubeApi.Deployment("orders", 2, 2, 2, 2, 2, 2));
        var (result, output) = await RunAsync(Rollout(kube.WriteKubeconfig(Harness.TempDir()), "20s", "deployment/orders"));

        result.Code.Should().Be(VerifyExitCode.Passed, output);
        output.Should().ContainAll(
            "waiting for the spec update to be observed",
            "1 of 2 new replicas updated",
            "1 old replicas pending termination",
            "1 of 2 updated replicas available",
            "ok   deployment/orders: deployment orders rolled out (2/2 available)");
        kube.Requests.Count(r => r.StartsWith("GET /apis/apps/v1/namespaces/shop/deployments/orders")).Should().Be(5);
    }

    [Fact]
    public async Task Crash_looping_pods_fail_the_rollout_at_once_with_their_state_events_and_logs()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        kube.Workload("deployments", "shop", "finance", FakeKubeApi.Deployment("finance", 3, 3, 2, 3, 1, 0));
        kube.Pod(FakeKubeApi.Pod("finance-7d9f-abcde", "finance", "app",
            new JObject { ["waiting"] = new JObject { ["reason"] = "CrashLoopBackOff", ["message"] = "back-off 40s restarting failed container=app" } },
            restarts: 4, ready: false,
            lastState: new JObject { ["terminated"] = new JObject { ["reason"] = "Error", ["exitCode"] = 1 } }));
        kube.Event(FakeKubeApi.EventFor("finance-7d9f-abcde", "Warning", "BackOff", "Back-off restarting failed container app in pod finance-7d9f-abcde"));
        kube.Logs("finance-7d9f-abcde", "app", "node:internal/modules/cjs/loader:1228\nError: Cannot find module '@nestjs/core'\n", previous: true);
        var explainer = new RecordingExplainer();

        var clock = Stopwatch.StartNew();
        var (result, output) = await RunAsync(Rollout(kube.WriteKubeconfig(Harness.TempDir()), "60s", "deploy/finance"), explainer);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "a crash loop will not heal, so there is no point waiting 60 s");
        result.Code.Should().Be(VerifyExitCode.RolloutFailed);
        output.Should().ContainAll(
            "FAIL deployment/finance: deployment/finance: pod finance-7d9f-abcde is CrashLoopBackOff",
            "container app: waiting CrashLoopBackOff, restarts 4",
            "last terminated Error exit code 1",
            "Warning BackOff: Back-off restarting failed container",
            "Error: Cannot find module '@nestjs/core'",
            "explained: seen CrashLoopBackOff");
        kube.Requests.Should().Contain(r => r.Contains("/pods/finance-7d9f-abcde/log") && r.Contains("previous=true"),
            "the crashed run's logs matter, not the empty new one's");
        explainer.Seen.Should().ContainSingle().Which.Signals.Should().Contain("CrashLoopBackOff");
    }

    [Fact]
    public async Task A_rollout_that_never_finishes_times_out_and_shows_the_unready_pods()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        kube.Workload("deployments", "shop", "billing", FakeKubeApi.Deployment("billing", 5, 5, 2, 2, 2, 1));
        kube.Pod(FakeKubeApi.Pod("billing-1", "billing", "app", new JObject { ["running"] = new JObject { ["startedAt"] = "2026-01-01T00:00:00Z" } }, 0, ready: true));
        kube.Pod(FakeKubeApi.Pod("billing-2", "billing", "app", new JObject { ["running"] = new JObject { ["startedAt"] = "2026-01-01T00:00:00Z" } }, 0, ready: false));
        kube.Event(FakeKubeApi.EventFor("billing-2", "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503"));
        kube.Logs("billing-2", "app", "waiting for sqs:ReceiveMessage permission... AccessDenied");

        var clock = Stopwatch.StartNew();
        var (result, output) = await RunAsync(Rollout(kube.WriteKubeconfig(Harness.TempDir()), "1500ms", "deployment/billing"));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(12), "the timeout always ends the wait");
        result.Code.Should().Be(VerifyExitCode.RolloutFailed);
        output.Should().ContainAll("timed out after 1.5s: deployment billing: 1 of 2 updated replicas available",
            "pod/billing-2", "Readiness probe failed", "AccessDenied");
        output.Should().NotContain("pod/billing-1", "the ready pod is not the problem");
    }

    [Fact]
    public async Task A_hanging_API_server_cannot_stretch_the_wait_much_past_the_timeout()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        kube.Hang("deployments", "shop", "orders");
        var clock = Stopwatch.StartNew();
        var (result, output) = await RunAsync(Rollout(kube.WriteKubeconfig(Harness.TempDir()), "1s", "deployment/orders"));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(18), "each kubectl call is cut off at the deadline (at least 10 s)");
        result.Code.Should().Be(VerifyExitCode.RolloutFailed, output);
        output.Should().Contain("did not answer within 10s");
    }

    [Fact]
    public async Task Progress_deadline_exceeded_fails_immediately()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        kube.Workload("deployments", "shop", "web", FakeKubeApi.Deployment("web", 2, 2, 3, 3, 1, 1, "ProgressDeadlineExceeded"));
        var (result, output) = await RunAsync(Rollout(kube.WriteKubeconfig(Harness.TempDir()), "60s", "deployment/web"));
        result.Code.Should().Be(VerifyExitCode.RolloutFailed);
        output.Should().Contain("exceeded its progress deadline").And.Contain("has timed out progressing");
    }

    [Fact]
    public async Task StatefulSets_and_DaemonSets_are_waited_for_too()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        kube.Workload("statefulsets", "shop", "db",
            JObject.Parse("""{"metadata":{"name":"db","generation":4},"spec":{"replicas":2,"updateStrategy":{"type":"RollingUpdate"}},"status":{"observedGeneration":4,"readyReplicas":1,"updatedReplicas":1,"currentRevision":"db-1","updateRevision":"db-2"}}"""),
            JObject.Parse("""{"metadata":{"name":"db","generation":4},"spec":{"replicas":2,"updateStrategy":{"type":"RollingUpdate"}},"status":{"observedGeneration":4,"readyReplicas":2,"updatedReplicas":1,"currentRevision":"db-1","updateRevision":"db-2"}}"""),
            JObject.Parse("""{"metadata":{"name":"db","generation":4},"spec":{"replicas":2,"updateStrategy":{"type":"RollingUpdate"}},"status":{"observedGeneration":4,"readyReplicas":2,"updatedReplicas":2,"currentRevision":"db-2","updateRevision":"db-2"}}"""));
        kube.Workload("daemonsets", "shop", "fluent-bit",
            JObject.Parse("""{"metadata":{"name":"fluent-bit","generation":2},"spec":{},"status":{"observedGeneration":2,"desiredNumberScheduled":3,"updatedNumberScheduled":2,"numberAvailable":2}}"""),
            JObject.Parse("""{"metadata":{"name":"fluent-bit","generation":2},"spec":{},"status":{"observedGeneration":2,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":3}}"""));
        var (result, output) = await RunAsync(Rollout(kube.WriteKubeconfig(Harness.TempDir()), "20s", "statefulset/db", "ds/fluent-bit"));

        result.Code.Should().Be(VerifyExitCode.Passed, output);
        output.Should().ContainAll("1 of 2 pods ready", "1 pods at revision db-2", "2 of 3 pods updated",
            "ok   statefulset/db", "ok   daemonset/fluent-bit");
    }

    [Fact]
    public async Task A_missing_workload_fails_the_rollout_without_waiting()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        var (result, output) = await RunAsync(Rollout(kube.WriteKubeconfig(Harness.TempDir()), "60s", "deployment/ghost"));
        result.Code.Should().Be(VerifyExitCode.RolloutFailed);
        output.Should().Contain("(NotFound): deployments \"ghost\" not found");
    }

    [Fact]
    public async Task An_unreachable_cluster_is_exit_code_4()
    {
        var dir = Harness.TempDir();
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(kubeconfig, $"apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: \"http://127.0.0.1:{OrderFlowTests.FreePort()}\"}}}}]\n" +
                                      "contexts: [{name: c, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: t}}]\ncurrent-context: c\n");
        var (result, output) = await RunAsync(Rollout(kubeconfig, "30s", "deployment/orders"));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
    }

    [Fact]
    public async Task Flows_run_after_a_finished_rollout_and_not_after_a_failed_one()
    {
        await using var kube = await FakeKubeApi.StartAsync();
        await using var api = await OrderService.StartAsync();
        kube.Workload("deployments", "shop", "ok", FakeKubeApi.Deployment("ok", 1, 1, 1, 1, 1, 1));
        kube.Workload("deployments", "shop", "broken", FakeKubeApi.Deployment("broken", 1, 1, 1, 1, 1, 1, "ProgressDeadlineExceeded"));
        var kubeconfig = kube.WriteKubeconfig(Harness.TempDir());
        var apiVar = ("api", api.BaseUrl.ToString().TrimEnd('/'));

        var (passed, passedOutput) = await RunAsync(Rollout(kubeconfig, "20s", "deployment/ok"), null, [Harness.Example("database-health.yaml")], apiVar);
        passed.Code.Should().Be(VerifyExitCode.Passed, passedOutput);
        passed.Flows.Should().ContainSingle();
        var requestsAfterFirst = api.Requests;

        var (failed, failedOutput) = await RunAsync(Rollout(kubeconfig, "20s", "deployment/broken"), null, [Harness.Example("database-health.yaml")], apiVar);
        failed.Code.Should().Be(VerifyExitCode.RolloutFailed);
        failedOutput.Should().Contain("flows not run: the rollout did not finish");
        api.Requests.Should().Be(requestsAfterFirst, "testing a half-rolled-out service gives mixed answers (B7)");
    }

    private sealed class RecordingExplainer : IFailureExplainer
    {
        public List<FailureEvidence> Seen { get; } = [];

        public IReadOnlyList<string> Explain(FailureEvidence evidence)
        {
            lock (Seen) Seen.Add(evidence);
            return evidence.Signals.Contains("CrashLoopBackOff") ? ["seen CrashLoopBackOff"] : [];
        }
    }
}
