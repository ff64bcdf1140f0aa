using System.Diagnostics;
using System.Xml.Linq;
using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>The example flows, run against a real HTTP service on loopback with a real background queue.</summary>
public class OrderFlowTests
{
    [Fact]
    public async Task The_13_step_flow_passes_through_both_asynchronous_hops()
    {
        await using var api = await OrderService.StartAsync();
        var (result, output) = await Harness.RunAsync(Harness.Request([Harness.Example("order-to-execution.yaml")], Harness.OrderVars(api.BaseUrl)));

        result.Code.Should().Be(VerifyExitCode.Passed, output);
        var steps = result.Flows.Single().Steps;
        steps.Should().HaveCount(14).And.OnlyContain(s => s.Status == StepStatus.Passed);
        steps[0].Name.Should().Be("login / log in", "the included login runs first");
        // The budget is created 300 ms after the order, so the poll must have asked more than once.
        steps.Single(s => s.Name.StartsWith("4 ")).Attempts.Should().BeGreaterThan(1);
        output.Should().Contain("ok   13 final state");
    }

    [Fact]
    public async Task A_failed_hop_stops_the_poll_at_once_instead_of_waiting_for_the_timeout()
    {
        await using var api = await OrderService.StartAsync(new() { FailHop = "budget" });
        var clock = Stopwatch.StartNew();
        var (result, output) = await Harness.RunAsync(Harness.Request([Harness.Example("order-to-execution.yaml")],
            Harness.OrderVars(api.BaseUrl, pollTimeout: "20s")));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "failWhen must not wait for the 20 s timeout");
        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        var budget = result.Flows.Single().Steps.Single(s => s.Name.StartsWith("4 "));
        budget.Status.Should().Be(StepStatus.Failed);
        budget.Message.Should().Contain("failWhen");
        output.Should().Contain("failWhen $.state: expected == \"FAILED\"").And.Contain("pricing table unavailable");
        result.Flows.Single().Steps.Skip(5).Should().OnlyContain(s => s.Status == StepStatus.Skipped);
    }

    [Fact]
    public async Task A_hop_that_never_completes_fails_when_the_poll_times_out()
    {
        await using var api = await OrderService.StartAsync(new() { ExecutionDelay = TimeSpan.FromMinutes(5) });
        var clock = Stopwatch.StartNew();
        var (result, output) = await Harness.RunAsync(Harness.Request([Harness.Example("order-to-execution.yaml")],
            Harness.OrderVars(api.BaseUrl, pollTimeout: "1500ms", pollInterval: "200ms")));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        var execution = result.Flows.Single().Steps.Single(s => s.Name.StartsWith("9 "));
        execution.Message.Should().Contain("condition not met within 1.5s");
        execution.Attempts.Should().BeInRange(4, 9);
        output.Should().Contain("status: expected == 200").And.Contain("actual   404").And.Contain("execution not created yet");
    }

    [Fact]
    public async Task Secrets_and_captured_tokens_never_reach_the_console_or_the_reports()
    {
        await using var api = await OrderService.StartAsync();
        var dir = Harness.TempDir();
        // The failing step puts the captured token and the password in its URL, and the 404 page
        // echoes the path back: both the request line and the response excerpt hold the secrets.
        var flow = Path.Combine(dir, "leaky.yaml");
        File.WriteAllText(flow, $$$"""
            name: leaky
            include: [{{{Harness.Example("login.yaml")}}}]
            secrets: [webhookSecret]
            steps:
              - name: echo
                request:
                  url: "{{api}}/debug/{{token}}?pw={{password}}"
                  headers: { X-Webhook-Signature: "{{webhookSecret}}" }
                expect: { status: 200 }
            """);
        var request = Harness.Request([flow], Harness.OrderVars(api.BaseUrl)) with
        {
            Reports = [new ReportRequest("junit", Path.Combine(dir, "r.xml")), new ReportRequest("json", Path.Combine(dir, "r.json"))],
        };
        var (result, output) = await Harness.RunAsync(request);

        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        output.Should().Contain("Cannot GET /debug/****", "the response excerpt is shown, masked");
        foreach (var text in new[] { output, File.ReadAllText(Path.Combine(dir, "r.xml")), File.ReadAllText(Path.Combine(dir, "r.json")) })
        {
            text.Should().NotContain(OrderService.Token).And.NotContain("s3cret-pa55word");
            text.Should().Contain("****");
        }
    }

    [Fact]
    public async Task Masking_covers_a_failing_response_that_echoes_the_secret()
    {
        await using var api = await OrderService.StartAsync(new() { Password = "other-password" });
        var (result, output) = await Harness.RunAsync(Harness.Request([Harness.Example("order-to-execution.yaml")],
            Harness.OrderVars(api.BaseUrl)));

        result.Code.Should().Be(VerifyExitCode.AssertionFailed);
        output.Should().Contain("FAIL login / log in").And.Contain("status: expected == 200").And.Contain("actual   401");
        output.Should().NotContain("s3cret-pa55word");
    }

    [Fact]
    public async Task JUnit_has_one_suite_per_flow_and_one_case_per_step()
    {
        await using var api = await OrderService.StartAsync(new() { DatabaseConnected = false });
        var dir = Harness.TempDir();
        var junit = Path.Combine(dir, "junit.xml");
        var request = Harness.Request([Harness.Example("order-to-execution.yaml"), Harness.Example("database-health.yaml")],
            Harness.OrderVars(api.BaseUrl)) with { Reports = [new ReportRequest("junit", junit)], Parallel = 2 };
        var (result, output) = await Harness.RunAsync(request);

        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        var doc = XDocument.Load(junit);
        doc.Root!.Name.LocalName.Should().Be("testsuites");
        var suites = doc.Root.Elements("testsuite").ToList();
        suites.Select(s => (string?)s.Attribute("name")).Should().BeEquivalentTo(["order-to-execution", "database-health"]);
        var order = suites.Single(s => (string?)s.Attribute("name") == "order-to-execution");
        order.Elements("testcase").Should().HaveCount(14);
        ((int)order.Attribute("failures")!).Should().Be(0);
        var db = suites.Single(s => (string?)s.Attribute("name") == "database-health");
        db.Elements("testcase").Should().HaveCount(2);
        ((int)db.Attribute("failures")!).Should().Be(1);
        ((int)db.Attribute("skipped")!).Should().Be(1, "a step after a failed one is skipped, not run");
        var failure = db.Elements("testcase").First().Element("failure")!;
        failure.Attribute("message")!.Value.Should().Contain("$.backend.database_connected").And.Contain("== true");
        failure.Value.Should().Contain("actual   false");
        ((int)doc.Root.Attribute("tests")!).Should().Be(16);
        File.ReadAllText(junit).Should().NotContain(OrderService.Token);
    }

    [Fact]
    public async Task Database_checks_pass_when_the_database_is_connected()
    {
        await using var api = await OrderService.StartAsync();
        var (result, output) = await Harness.RunAsync(Harness.Request([Harness.Example("database-health.yaml")], ("api", api.BaseUrl.ToString().TrimEnd('/'))));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
    }

    [Fact]
    public async Task The_route_check_passes_on_real_routes_and_names_the_missing_one()
    {
        await using var api = await OrderService.StartAsync();
        var apiVar = ("api", api.BaseUrl.ToString().TrimEnd('/'));
        var (ok, okOutput) = await Harness.RunAsync(Harness.Request([Harness.Example("api-routes.yaml")], apiVar));
        ok.Code.Should().Be(VerifyExitCode.Passed, okOutput);

        var dir = Harness.TempDir();
        var flow = Path.Combine(dir, "old-route.yaml");
        File.WriteAllText(flow, """
            name: old-route
            steps:
              - name: azure route the frontend still calls
                request: { method: POST, url: "{{api}}/api/ai/azure", json: { text: hi } }
                expect: { status: { not: 404 }, body: { not: { contains: "Cannot POST" } } }
            """);
        var (bad, badOutput) = await Harness.RunAsync(Harness.Request([flow], apiVar));
        bad.Code.Should().Be(VerifyExitCode.AssertionFailed);
        badOutput.Should().Contain("status: expected not == 404").And.Contain("Cannot POST /api/ai/azure");
    }

    [Fact]
    public async Task Captures_from_headers_and_regex_chain_into_later_steps()
    {
        await using var api = await OrderService.StartAsync();
        var dir = Harness.TempDir();
        File.Copy(Harness.Example("login.yaml"), Path.Combine(dir, "login.yaml"));
        var flow = Path.Combine(dir, "chain.yaml");
        File.WriteAllText(flow, """
            name: chain
            include: [login.yaml]
            defaults: { headers: { Authorization: "Bearer {{token}}" } }
            steps:
              - name: create order
                request: { method: POST, url: "{{api}}/orders", json: { clientId: 7 } }
                capture:
                  location: { header: Location }
                  idFromLocation: { header: Location, regex: "/orders/([0-9]+)" }
                  idFromBody: { regex: "\"id\":([0-9]+)" }
              - name: read it back through the captured location
                request: { url: "{{api}}{{location}}" }
                expect:
                  status: 200
                  json:
                    "$.id": "{{idFromLocation}}"
                    "$.clientId": { matches: "^7$" }
                    "$.status": { in: [OPEN, PAID] }
              - name: both captures agree
                request: { url: "{{api}}/orders/{{idFromBody}}" }
                expect: { json: { "$.id": "{{idFromLocation}}" } }
            """);
        var (result, output) = await Harness.RunAsync(Harness.Request([flow], Harness.OrderVars(api.BaseUrl)));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_exit_code_4_not_an_assertion_failure()
    {
        var port = FreePort();
        var (result, output) = await Harness.RunAsync(Harness.Request([Harness.Example("database-health.yaml")], ("api", $"http://127.0.0.1:{port}")));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect);
        output.Should().Contain("FAIL status reports the database connected").And.Contain($"127.0.0.1:{port}");
    }

    [Fact]
    public async Task A_flow_file_error_is_exit_code_2_and_points_at_the_line()
    {
        var dir = Harness.TempDir();
        var flow = Path.Combine(dir, "typo.yaml");
        File.WriteAllText(flow, "name: typo\nsteps:\n  - name: x\n    request: { url: http://127.0.0.1:1/ }\n    expcet: { status: 200 }\n");
        var (result, output) = await Harness.RunAsync(Harness.Request([flow]));
        result.Code.Should().Be(VerifyExitCode.UsageOrFlowError);
        output.Should().Contain("typo.yaml:5: steps[0]: unknown key 'expcet'");
    }

    [Fact]
    public async Task Without_flows_the_health_checks_from_the_config_run()
    {
        await using var api = await OrderService.StartAsync(new() { DatabaseConnected = false });
        var request = Harness.Request([], ("api", api.BaseUrl.ToString().TrimEnd('/'))) with
        {
            ConfigFile = Path.Combine(Harness.RepoRoot, "examples", "flows", "health", ".groundcrew.yaml"),
        };
        var (result, output) = await Harness.RunAsync(request);
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("ok   api health").And.Contain("FAIL database connected (D7)");
    }

    internal static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
