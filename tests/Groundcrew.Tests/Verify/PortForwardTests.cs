using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>
/// E6: steps that reach a ClusterIP service through `kubectl port-forward`. A fake API server cannot
/// speak the SPDY/WebSocket streaming port-forward needs, so the command line and URL rewriting are
/// unit-tested, and the process handling runs against a stand-in kubectl script that prints what
/// the real one prints and forwards to a local service.
/// </summary>
public class PortForwardTests
{
    [Fact]
    public void The_command_asks_kubectl_for_a_free_local_port_on_loopback()
    {
        PortForwardCommand.Arguments(new KubeTarget("svc/finance-service", "3000", "vextrus", "prod-eks"))
            .Should().Equal("port-forward", "svc/finance-service", ":3000", "--address", "127.0.0.1", "--namespace", "vextrus", "--context", "prod-eks");
        PortForwardCommand.Arguments(new KubeTarget("svc/api", "http", null, null))
            .Should().Equal("port-forward", "svc/api", ":http", "--address", "127.0.0.1");
    }

    [Theory]
    [InlineData("Forwarding from 127.0.0.1:41234 -> 3000", 41234)]
    [InlineData("Forwarding from [::1]:41234 -> 3000", null)]
    [InlineData("Handling connection for 41234", null)]
    public void The_local_port_is_read_from_kubectls_output(string line, int? port) =>
        PortForwardCommand.ParseLocalPort(line).Should().Be(port);

    [Theory]
    [InlineData("/api/health", "http://127.0.0.1:5000/api/health")]
    [InlineData("api/health?x=1", "http://127.0.0.1:5000/api/health?x=1")]
    [InlineData("http://finance-service.vextrus.svc.cluster.local:3000/api/invoices?limit=1", "http://127.0.0.1:5000/api/invoices?limit=1")]
    public void Urls_are_pointed_at_the_forwarded_port(string url, string expected) =>
        PortForwardCommand.RewriteUrl(url, new Uri("http://127.0.0.1:5000")).Should().Be(expected);

    [Fact]
    public async Task Steps_with_a_kube_target_go_through_one_port_forward_that_is_stopped_afterwards()
    {
        await using var api = await OrderService.StartAsync();
        var dir = Harness.TempDir();
        var kubectl = FakeKubectl(dir, $"echo \"Forwarding from 127.0.0.1:{api.BaseUrl.Port} -> 3000\"\necho \"Forwarding from [::1]:{api.BaseUrl.Port} -> 3000\"\nexec sleep 60");
        var flow = Path.Combine(dir, "e6.yaml");
        File.WriteAllText(flow, """
            name: e6
            steps:
              - name: status through port-forward
                target: { kube: "svc/os-service:3000", namespace: shop }
                request: { url: /api/status }
                expect: { status: 200, json: { "$.backend.database_connected": true } }
              - name: db through the same forward
                target: { kube: "svc/os-service:3000", namespace: shop }
                request: { url: "http://os-service.shop.svc.cluster.local:3000/api/db-test" }
                expect: { status: 200 }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]), new VerifyTools(kubectl, "aws"));

        result.Code.Should().Be(VerifyExitCode.Passed, output);
        var calls = File.ReadAllLines(Path.Combine(dir, "calls"));
        calls.Should().ContainSingle().Which.Should().Be("port-forward svc/os-service :3000 --address 127.0.0.1 --namespace shop");
        var pid = int.Parse(File.ReadAllText(Path.Combine(dir, "pid")).Trim());
        await Task.Delay(200);
        ProcessAlive(pid).Should().BeFalse("verify stops the port-forward it started");
    }

    [Fact]
    public async Task A_port_forward_that_cannot_start_is_exit_code_4_with_kubectls_reason()
    {
        var dir = Harness.TempDir();
        var kubectl = FakeKubectl(dir, "echo 'Error from server (NotFound): services \"os-service\" not found' >&2\nexit 1");
        var flow = Path.Combine(dir, "e6.yaml");
        File.WriteAllText(flow, "steps:\n  - name: s\n    target: { kube: \"svc/os-service:3000\" }\n    request: { url: /api/status }\n");
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]), new VerifyTools(kubectl, "aws"));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect);
        output.Should().Contain("services \"os-service\" not found");
    }

    private static string FakeKubectl(string dir, string body)
    {
        var path = Path.Combine(dir, "kubectl");
        File.WriteAllText(path, $"#!/bin/bash\necho \"$*\" >> '{dir}/calls'\necho $$ > '{dir}/pid'\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static bool ProcessAlive(int pid)
    {
        try { return !System.Diagnostics.Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }
}
