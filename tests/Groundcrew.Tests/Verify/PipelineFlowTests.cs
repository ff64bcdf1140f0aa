using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using FluentAssertions;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Groundcrew.Verify.Flows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Npgsql;
using Xunit;
using Groundcrew.Tests.Support;

namespace Groundcrew.Tests.Verify;

/// <summary>
/// The A11 and B6 example flows, end to end against loopback stand-ins: moto_server for SQS, DynamoDB and
/// CloudWatch Logs, a real PostgreSQL as the warehouse, and small stand-in services (an order API, a queue
/// consumer, a stream consumer) that talk to moto the way the real ones talk to AWS. Each flow passes with
/// the consumer running and fails on the consumer's hop, with the depth or the missing line, when it is stopped.
/// </summary>
[RunsLong]
public class PipelineFlowTests(MotoServer moto, PostgresServer warehouse) : IClassFixture<MotoServer>, IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A11_passes_while_the_consumer_runs()
    {
        var queue = $"billing-events-{Guid.NewGuid():N}"[..24];
        await using var shop = await OrderShop.StartAsync(moto, queue);
        using var stop = new CancellationTokenSource();
        var peeked = new AwsStepTests.AfterFirstCall("receive-message", "OrderPlaced");
        var consumer = shop.ConsumeAsync(peeked.Seen.Task, stop.Token);
        var (result, output) = await AwsStepTests.RunAsync(moto, Harness.Example("a11-order-to-budget.yaml"), peeked.Wrap,
            ("api", shop.BaseUrl), ("queue", queue), ("drainTimeout", "60s"));
        stop.Cancel();
        await consumer;
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        result.Flows.Single().Steps.Should().HaveCount(4);
    }

    [Fact]
    public async Task A11_fails_on_the_drain_with_the_queue_depth_when_the_consumer_is_stopped()
    {
        var queue = $"billing-events-{Guid.NewGuid():N}"[..24];
        await using var shop = await OrderShop.StartAsync(moto, queue);
        var clock = Stopwatch.StartNew();
        var (result, output) = await AwsStepTests.RunAsync(moto, Harness.Example("a11-order-to-budget.yaml"),
            ("api", shop.BaseUrl), ("queue", queue), ("drainTimeout", "15s")); // long enough for one aws CLI answer on a busy machine (8 s was not, at load 8)
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        var steps = result.Flows.Single().Steps;
        steps[1].Status.Should().Be(StepStatus.Passed, "the event did reach the queue");
        steps[2].Status.Should().Be(StepStatus.Failed);
        output.Should().Contain("FAIL the consumer drained the queue").And.Contain("$.total: expected == 0").And.Contain("actual   1")
            .And.Contain("\"visible\":1");
        steps[3].Status.Should().Be(StepStatus.Skipped);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(90), "the drain timeout bounds the wait");
    }

    [Fact]
    public async Task B6_passes_while_the_stream_consumer_runs_and_fails_on_its_log_line_when_it_is_stopped()
    {
        var table = $"items-{Guid.NewGuid():N}"[..14];
        var group = $"/aws/lambda/{table}-consumer";
        await moto.Seed("dynamodb", "create-table", AwsStepTests.KeyedByPk(table));
        await moto.Seed("logs", "create-log-group", new() { ["logGroupName"] = group });
        await moto.Seed("logs", "create-log-stream", new() { ["logGroupName"] = group, ["logStreamName"] = "s" });
        await warehouse.ExecuteAsync($"CREATE TABLE IF NOT EXISTS items_downstream (item_id text PRIMARY KEY, total numeric)");
        (string, string)[] Vars(string item, string timeout) =>
        [
            ("table", table), ("logGroup", group), ("itemId", item), ("consumerTimeout", timeout),
            ("warehouse", $"Host=127.0.0.1;Port={warehouse.Port};Database=shop;Username={DatabaseServer.User}"), ("warehousePassword", DatabaseServer.Password),
        ];

        using var stop = new CancellationTokenSource();
        var consumer = StreamConsumerAsync(table, group, stop.Token);
        var (result, output) = await AwsStepTests.RunAsync(moto, Harness.Example("b6-item-to-downstream-row.yaml"), Vars("item-" + Guid.NewGuid().ToString("N")[..6], "60s"));
        stop.Cancel();
        await consumer;
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        output.Should().NotContain(DatabaseServer.Password);

        (result, output) = await AwsStepTests.RunAsync(moto, Harness.Example("b6-item-to-downstream-row.yaml"), Vars("item-" + Guid.NewGuid().ToString("N")[..6], "15s")); // see A11: one answer must fit
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("FAIL the stream consumer logged it").And.Contain("$.count: expected gt 0");
        result.Flows.Single().Steps[2].Status.Should().Be(StepStatus.Skipped);
    }

    /// <summary>The stream consumer's stand-in: each new item becomes a log line and a warehouse row, as the Lambda would make them.</summary>
    private async Task StreamConsumerAsync(string table, string group, CancellationToken ct)
    {
        var seen = new HashSet<string>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var scan = await MotoJson.CallAsync(moto, "DynamoDB_20120810.Scan", "1.0", new JObject { ["TableName"] = table }, ct);
                foreach (var item in scan["Items"] as JArray ?? [])
                {
                    var pk = item["pk"]!["S"]!.ToString();
                    if (!seen.Add(pk)) continue;
                    var total = decimal.Parse(item["total"]!["N"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
                    await using (var c = new NpgsqlConnection(warehouse.ConnectionString + ";Pooling=false"))
                    {
                        await c.OpenAsync(ct);
                        await new NpgsqlCommand($"INSERT INTO items_downstream VALUES ('{pk}', {total.ToString(System.Globalization.CultureInfo.InvariantCulture)})", c).ExecuteNonQueryAsync(ct);
                    }
                    await MotoJson.CallAsync(moto, "Logs_20140328.PutLogEvents", "1.1", new JObject
                    {
                        ["logGroupName"] = group, ["logStreamName"] = "s",
                        ["logEvents"] = new JArray(new JObject { ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ["message"] = $"forwarded {pk} to the warehouse" }),
                    }, ct);
                }
                await Task.Delay(300, ct);
            }
        }
        catch (OperationCanceledException) { }
    }
}

/// <summary>AWS's JSON protocol straight to moto: the stand-in services need fast calls, not the CLI's seconds of start-up.</summary>
internal static class MotoJson
{
    private static readonly HttpClient Http = new();

    public static async Task<JObject> CallAsync(MotoServer moto, string target, string version, JObject body, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Endpoint + "/");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        // moto routes a request to a service by the credential scope, as AWS signs it; the signature itself is not checked.
        var service = target.StartsWith("AmazonSQS") ? "sqs" : target.StartsWith("DynamoDB") ? "dynamodb" : "logs";
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0");
        request.Content = new StringContent(body.ToString(), Encoding.UTF8);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue($"application/x-amz-json-{version}");
        using var response = await Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{target}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JObject() : JObject.Parse(text);
    }
}

/// <summary>
/// A11's stand-ins: an order API that publishes OrderPlaced to the queue, and a billing consumer that drains
/// it and creates the budget. The consumer starts once the flow's peek has come back holding the event (as a batching
/// window would hold it, without a fixed delay that the aws CLI's seconds per call on a busy machine could outlast), so
/// the flow sees the event on the queue before it is consumed.
/// </summary>
internal sealed class OrderShop : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MotoServer _moto;
    private readonly ConcurrentDictionary<int, string> _budgets = new();
    private int _next = 41;
    public string QueueUrl { get; private set; } = "";
    public string BaseUrl { get; private set; } = "";

    private OrderShop(MotoServer moto)
    {
        _moto = moto;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/orders", async () =>
        {
            var id = Interlocked.Increment(ref _next);
            await MotoJson.CallAsync(_moto, "AmazonSQS.SendMessage", "1.0",
                new JObject { ["QueueUrl"] = QueueUrl, ["MessageBody"] = new JObject { ["type"] = "OrderPlaced", ["orderId"] = id }.ToString() });
            return Results.Json(new { id, state = "OPEN" }, statusCode: 201);
        });
        _app.MapGet("/orders/{id:int}/budget", (int id) =>
            _budgets.TryGetValue(id, out var state) ? Results.Json(new { orderId = id, state }) : Results.Json(new { error = "no budget yet" }, statusCode: 404));
    }

    public static async Task<OrderShop> StartAsync(MotoServer moto, string queue)
    {
        var shop = new OrderShop(moto);
        shop.QueueUrl = (await MotoJson.CallAsync(moto, "AmazonSQS.CreateQueue", "1.0", new JObject { ["QueueName"] = queue }))["QueueUrl"]!.ToString();
        await shop._app.StartAsync();
        shop.BaseUrl = shop._app.Urls.First().TrimEnd('/');
        return shop;
    }

    public async Task ConsumeAsync(Task peeked, CancellationToken ct)
    {
        try
        {
            await peeked.WaitAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                var received = await MotoJson.CallAsync(_moto, "AmazonSQS.ReceiveMessage", "1.0", new JObject
                {
                    ["QueueUrl"] = QueueUrl, ["MaxNumberOfMessages"] = 10, ["VisibilityTimeout"] = 0,
                }, ct);
                foreach (var m in received["Messages"] as JArray ?? [])
                {
                    var order = JObject.Parse(m["Body"]!.ToString())["orderId"]!.Value<int>();
                    await MotoJson.CallAsync(_moto, "AmazonSQS.DeleteMessage", "1.0", new JObject { ["QueueUrl"] = QueueUrl, ["ReceiptHandle"] = m["ReceiptHandle"] }, ct);
                    _budgets[order] = "CREATED";
                }
                await Task.Delay(300, ct);
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
