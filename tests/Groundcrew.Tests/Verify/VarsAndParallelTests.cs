using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Xunit;

namespace Groundcrew.Tests.Verify;

public class VarsAndParallelTests
{
    [Fact]
    public async Task Vars_files_override_flow_vars_and_var_overrides_both()
    {
        await using var api = await OrderService.StartAsync();
        var dir = Harness.TempDir();
        var varsFile = Path.Combine(dir, "staging.yaml");
        File.WriteAllText(varsFile, "api: http://127.0.0.1:1\nexpectedStatus: 200\n");
        var flow = Path.Combine(dir, "vars.yaml");
        File.WriteAllText(flow, """
            vars: { api: "{{env.NEVER_SET_FOR_THIS_TEST}}", expectedStatus: 500 }
            steps:
              - name: health
                request: { url: "{{api}}/api/v1/health" }
                expect: { status: "{{expectedStatus}}" }
            """);
        var request = Harness.Request([flow], ("api", api.BaseUrl.ToString().TrimEnd('/'))) with { VarFiles = [varsFile] };
        var (result, output) = await Harness.RunAsync(request);
        // api: --var beats the file, which beats the flow's unset env var (never evaluated);
        // expectedStatus: the file's 200 beats the flow's 500.
        result.Code.Should().Be(VerifyExitCode.Passed, output);
    }

    [Fact]
    public async Task Parallel_flows_run_side_by_side_and_print_as_whole_blocks()
    {
        await using var api = await OrderService.StartAsync(new() { BudgetDelay = TimeSpan.FromSeconds(2) });
        var flows = BudgetFlows();
        var (result, output) = await Harness.RunAsync(Harness.Request(flows, Harness.OrderVars(api.BaseUrl)) with { Parallel = 3 });

        result.Code.Should().Be(VerifyExitCode.Passed, output);
        // Not a stopwatch (a busy machine would fail it): the service counts orders waiting for their budget at once.
        // One after another, each flow polls its budget to the end before the next creates an order: never more than 1.
        api.MostBudgetsPendingAtOnce.Should().BeGreaterThan(1, "the flows wait for their budgets side by side, not one after another");
        foreach (var i in Enumerable.Range(1, 3))
        {
            var start = output.IndexOf($"flow budget-{i} ", StringComparison.Ordinal);
            var end = output.IndexOf($"ok   budget {i}", StringComparison.Ordinal);
            end.Should().BeGreaterThan(start);
            output[(start + 1)..end].Should().NotContain("flow budget-", "a flow's lines are not interleaved with another's");
        }
    }

    [Fact]
    public async Task Without_parallel_flows_run_one_after_another()
    {
        await using var api = await OrderService.StartAsync(new() { BudgetDelay = TimeSpan.FromMilliseconds(300) });
        var (result, output) = await Harness.RunAsync(Harness.Request(BudgetFlows(), Harness.OrderVars(api.BaseUrl)));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        api.MostBudgetsPendingAtOnce.Should().Be(1);
    }

    private static List<string> BudgetFlows()
    {
        var dir = Harness.TempDir();
        var flows = Enumerable.Range(1, 3).Select(i =>
        {
            var path = Path.Combine(dir, $"budget{i}.yaml");
            File.WriteAllText(path, $$$"""
                name: budget-{{{i}}}
                include: [{{{Harness.Example("login.yaml")}}}]
                defaults: { headers: { Authorization: "Bearer {{token}}" } }
                steps:
                  - name: order {{{i}}}
                    request: { method: POST, url: "{{api}}/orders", json: { clientId: {{{i}}} } }
                    capture: { orderId: "$.id" }
                  - name: budget {{{i}}}
                    request: { url: "{{api}}/orders/{{orderId}}/budget" }
                    poll: { until: { status: 200 }, timeout: 10s, interval: 100ms }
                """);
            return path;
        }).ToList();
        return flows;
    }
}
