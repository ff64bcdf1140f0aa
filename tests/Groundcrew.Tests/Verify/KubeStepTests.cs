using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>
/// `kube` steps through the real kubectl against the loopback API server the rollout tests use. `get` and
/// `logs` are answered by it; `exec` needs a SPDY/WebSocket upgrade the fake does not speak, so only the
/// failure path of exec (kubectl's error reaches the report, the step fails) is proven here.
/// </summary>
public class KubeStepTests
{
    private static async Task<(FakeKubeApi Kube, string Kubeconfig)> ClusterAsync()
    {
        var kube = await FakeKubeApi.StartAsync();
        kube.Workload("deployments", "shop", "consumer", FakeKubeApi.Deployment("consumer", 2, 2, 2, 2, 2, 2));
        kube.Pod(FakeKubeApi.Pod("consumer-5c7d-x1", "consumer", "app", new JObject { ["running"] = new JObject() }, restarts: 0, ready: true));
        kube.Logs("consumer-5c7d-x1", "app", "listening\nconsumed OrderPlaced order=42\nbudget created order=42\n");
        return (kube, kube.WriteKubeconfig(Harness.TempDir()));
    }

    [Fact]
    public async Task Get_asserts_fields_of_the_object_and_logs_contain_or_do_not_contain_a_pattern()
    {
        var (kube, kubeconfig) = await ClusterAsync();
        await using var _ = kube;
        var flow = ExecStepTests.Flow("""
            steps:
              - name: consumer ready
                kube: { get: deployment/consumer, namespace: shop, kubeconfig: "{{kc}}" }
                expect: { json: { "$.status.readyReplicas": 2, "$.spec.replicas": 2 } }
              - name: consumer handled the event
                kube: { logs: pod/consumer-5c7d-x1, container: app, namespace: shop, kubeconfig: "{{kc}}" }
                expect: { stdout: { contains: "budget created order=42", not: { contains: ERROR } } }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], ("kc", kubeconfig)));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        kube.Requests.Should().Contain(r => r.Contains("/pods/consumer-5c7d-x1/log") && r.Contains("sinceTime="),
            "logs are read from the flow's start, so an old line cannot pass a new check");

        var missing = ExecStepTests.Flow("""
            steps:
              - kube: { logs: pod/consumer-5c7d-x1, container: app, namespace: shop, kubeconfig: "{{kc}}" }
                expect: { stdout: { contains: "forwarded item-7" } }
            """);
        (result, output) = await Harness.RunAsync(Harness.Request([missing], ("kc", kubeconfig)));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("stdout: expected contains \"forwarded item-7\"");
    }

    [Fact]
    public async Task A_missing_object_fails_with_kubectls_message_and_exec_failures_reach_the_report()
    {
        var (kube, kubeconfig) = await ClusterAsync();
        await using var _ = kube;
        var flow = ExecStepTests.Flow("""
            steps:
              - kube: { get: deployment/nope, namespace: shop, kubeconfig: "{{kc}}" }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], ("kc", kubeconfig)));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("exitCode: expected == 0").And.Contain("NotFound");

        var exec = ExecStepTests.Flow("""
            steps:
              - kube: { exec: pod/consumer-5c7d-x1, command: [printenv, QUEUE_URL], namespace: shop, kubeconfig: "{{kc}}" }
                expect: { stdout: { contains: billing } }
            """);
        (result, output) = await Harness.RunAsync(Harness.Request([exec], ("kc", kubeconfig)));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("kubectl exec pod/consumer-5c7d-x1").And.EndWith("").And.Contain("--request-timeout=30s -- printenv QUEUE_URL").And.Contain("stderr:");
    }

    [Fact]
    public async Task An_api_server_nobody_answers_on_is_exit_4()
    {
        var dir = Harness.TempDir();
        var kc = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(kc, $"apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: \"http://127.0.0.1:{OrderFlowTests.FreePort()}\"}}}}]\ncontexts: [{{name: c, context: {{cluster: c, user: u}}}}]\nusers: [{{name: u, user: {{token: t}}}}]\ncurrent-context: c\n");
        var flow = ExecStepTests.Flow("steps:\n  - kube: { get: deployment/api, namespace: shop, kubeconfig: \"{{kc}}\" }\n");
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], ("kc", kc)));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
        output.Should().Contain("could not connect");
    }
}
