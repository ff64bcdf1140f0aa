using Groundcrew.Tests.Support;
using FluentAssertions;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Diagnose.Live;

/// <summary>`diagnose --kube` through the real kubectl against a fake API server on 127.0.0.1.</summary>
[Collection(LiveCollection.Name)]
public sealed class KubeLiveTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("gc-kube-").FullName;
    private readonly FakeKubeApiServer _server;

    public KubeLiveTests()
    {
        var crashing = JObject.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"os-service-6b7c9d5f8-x2x9k","namespace":"ftc-app","labels":{"app":"os-service"}},
             "spec":{"containers":[{"name":"os-service","image":"305032652600.dkr.ecr.us-east-1.amazonaws.com/os-service:latest"}]},
             "status":{"phase":"Running","containerStatuses":[{"name":"os-service","ready":false,"restartCount":4,
               "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 1m20s restarting failed container"}},
               "lastState":{"terminated":{"reason":"Error","exitCode":1}}}]}}
            """);
        var pending = JObject.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"billing-service-1","namespace":"ftc-app","labels":{"app":"billing-service"}},
             "status":{"phase":"Pending"}}
            """);
        var healthy = JObject.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"os-service-6b7c9d5f8-ready","namespace":"ftc-app","labels":{"app":"os-service"}},
             "status":{"phase":"Running","containerStatuses":[{"name":"os-service","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """);
        var events = JArray.Parse("""
            [{"apiVersion":"v1","kind":"Event","metadata":{"name":"e1"},"involvedObject":{"kind":"Pod","name":"billing-service-1"},
              "reason":"FailedScheduling","type":"Warning","message":"0/2 nodes are available: 2 Insufficient cpu."},
             {"apiVersion":"v1","kind":"Event","metadata":{"name":"e2"},"involvedObject":{"kind":"Pod","name":"os-service-6b7c9d5f8-ready"},
              "reason":"FailedScheduling","type":"Warning","message":"0/2 nodes are available: 2 Insufficient memory."}]
            """);
        var deployment = JObject.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"os-service","namespace":"ftc-app"},
             "spec":{"selector":{"matchLabels":{"app":"os-service"}}},"status":{"replicas":2,"readyReplicas":1}}
            """);
        _server = new FakeKubeApiServer(new JArray(crashing, pending, healthy), events, deployment,
            new() { ["os-service-6b7c9d5f8-x2x9k"] = "exec /usr/bin/dumb-init: exec format error\n" });
    }

    private GroundcrewCli.Run Diagnose(params string[] args) =>
        GroundcrewCli.ExecWith(["diagnose", "--kube", "--kubeconfig", _server.WriteKubeconfig(_home), .. args],
            environment: new Dictionary<string, string> { ["HOME"] = _home, ["KUBECACHEDIR"] = Path.Combine(_home, "cache") });

    [RequiresBinaryFact("kubectl")]
    public void Reads_not_ready_pods_their_events_and_previous_logs()
    {
        var result = Diagnose("--format", "json");

        result.ExitCode.Should().Be(0, result.Stderr);
        var ids = JObject.Parse(result.Stdout)["matches"]!.Select(m => (string)m["id"]!).ToList();
        ids.Should().Contain(["exec-format-error", "insufficient-cpu"], $"stderr: {result.Stderr}\nrequests:\n{string.Join("\n", _server.Requests)}").And.NotContain("insufficient-memory", "the ready pod is not diagnosed");
        JObject.Parse(result.Stdout)["matches"]!.First(m => (string)m["id"]! == "exec-format-error")["evidence"]!.Values<string>()
            .Should().Contain("kubectl logs os-service-6b7c9d5f8-x2x9k -c os-service --previous:1: exec /usr/bin/dumb-init: exec format error");
        _server.Requests.Should().OnlyContain(r => r.StartsWith("GET "), "diagnose only reads the cluster");
        _server.Requests.Should().Contain(r => r.Contains("/pods/os-service-6b7c9d5f8-x2x9k/log") && r.Contains("previous=true"));
    }

    [RequiresBinaryFact("kubectl")]
    public void A_deployment_target_limits_the_pods_to_its_selector()
    {
        var result = Diagnose("deployment/os-service", "--format", "json");

        result.ExitCode.Should().Be(0, result.Stderr);
        var ids = JObject.Parse(result.Stdout)["matches"]!.Select(m => (string)m["id"]!).ToList();
        ids.Should().Contain("exec-format-error").And.NotContain("insufficient-cpu");
        _server.Requests.Should().Contain(r => r.Contains("labelSelector=app%3Dos-service") || r.Contains("labelSelector=app=os-service"));
    }

    [RequiresBinaryFact("kubectl")]
    public void A_missing_deployment_is_an_input_error_with_kubectls_message()
    {
        var result = Diagnose("deployment/nope");

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("kubectl get deployment nope -o json failed");
    }

    public void Dispose()
    {
        _server.Dispose();
        // kubectl may still be flushing its discovery cache; a leftover temp folder must not fail the test.
        try { Directory.Delete(_home, true); } catch (IOException) { }
    }
}
