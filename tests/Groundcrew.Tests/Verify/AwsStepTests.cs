using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Live;
using Groundcrew.Tests.Verify.Fakes;
using Groundcrew.Verify;
using Groundcrew.Verify.Reporting;
using Groundcrew.Verify.Steps;
using System.Text.Json.Nodes;
using Xunit;
using Groundcrew.Tests.Support;

namespace Groundcrew.Tests.Verify;

/// <summary>
/// `aws` steps and helpers against a real moto_server on loopback, seeded through the fixture's boto3 seeder (SQS,
/// DynamoDB, CloudWatch Logs; ECS comes seeded by the fixture: "api" 2 of 2 running, "worker" 2 of 3).
/// </summary>
[RunsLong]
public class AwsStepTests(MotoServer moto) : IClassFixture<MotoServer>
{
    internal static Task<(VerifyRunResult Result, string Output)> RunAsync(MotoServer moto, string flow, params (string, string)[] vars) =>
        RunAsync(moto, flow, cli => cli, vars);

    /// <summary>As above, with the aws CLI runner wrapped (a test that must act between two polls watches the calls).</summary>
    internal static async Task<(VerifyRunResult Result, string Output)> RunAsync(MotoServer moto, string flow,
        Func<ICommandRunner, ICommandRunner> wrap, params (string, string)[] vars)
    {
        var output = new StringWriter();
        // Credentials and region come from the environment the CLI sees, as they would from a CI job's role.
        var env = moto.AwsEnvironment();
        env.Remove("AWS_ENDPOINT_URL"); // the flows name their endpoint themselves
        var runner = new VerifyRunner(output, new VerifyTools("kubectl", "aws"), cli: new LiveCliTransport(wrap(new ProcessCommandRunner(env))));
        var result = await runner.RunAsync(Harness.Request([flow], [("aws", moto.Endpoint), .. vars]));
        return (result, output.ToString());
    }

    /// <summary>create-table's parameters for a PAY_PER_REQUEST table keyed by the string attribute pk.</summary>
    internal static JsonObject KeyedByPk(string table) => new()
    {
        ["TableName"] = table, ["BillingMode"] = "PAY_PER_REQUEST",
        ["AttributeDefinitions"] = new JsonArray(new JsonObject { ["AttributeName"] = "pk", ["AttributeType"] = "S" }),
        ["KeySchema"] = new JsonArray(new JsonObject { ["AttributeName"] = "pk", ["KeyType"] = "HASH" }),
    };

    private static JsonObject LogEvent(string group, string stream, long timestamp, string message) => new()
    {
        ["logGroupName"] = group, ["logStreamName"] = stream,
        ["logEvents"] = new JsonArray(new JsonObject { ["timestamp"] = timestamp, ["message"] = message }),
    };

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task A_plain_call_takes_the_apis_input_as_params_and_its_json_is_asserted_and_captured()
    {
        var queue = Unique("orders");
        await moto.Seed("sqs", "create-queue", new() { ["QueueName"] = queue });
        var flow = ExecStepTests.Flow($$$"""
            steps:
              - name: queue url
                aws: { service: sqs, operation: get-queue-url, params: { QueueName: {{{queue}}} }, endpoint: "{{aws}}" }
                capture: { url: "$.QueueUrl" }
              - name: queue attributes
                aws: { service: sqs, operation: get-queue-attributes, params: { QueueUrl: "{{url}}", AttributeNames: [QueueArn] }, endpoint: "{{aws}}", region: us-east-1 }
                expect: { json: { "$.Attributes.QueueArn": { matches: ":{{{queue}}}$" } } }
            """);
        var (result, output) = await RunAsync(moto, flow);
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        output.Should().Contain("aws sqs get-queue-attributes");
    }

    [Fact]
    public async Task Sqs_drained_fails_with_the_depth_while_nobody_consumes_and_passes_once_the_consumer_deletes()
    {
        var queue = Unique("billing-events");
        var url = (string)(await moto.Seed("sqs", "create-queue", new() { ["QueueName"] = queue }))["QueueUrl"]!;
        await moto.Seed("sqs", "send-message", new() { ["QueueUrl"] = url, ["MessageBody"] = """{"orderId": 42}""" });
        // Checked once (no poll): the aws CLI takes seconds per call on a busy machine, so a short poll would time out unanswered.
        var once = ExecStepTests.Flow($$$"""
            steps:
              - name: queue drained
                aws: { sqs.drained: { queue: {{{queue}}} }, endpoint: "{{aws}}" }
            """);
        var flow = ExecStepTests.Flow($$$"""
            steps:
              - name: queue drained
                aws: { sqs.drained: { queue: {{{queue}}} }, endpoint: "{{aws}}" }
                poll: { timeout: "{{t}}", interval: 200ms }
            """);
        var (result, output) = await RunAsync(moto, once);
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("$.total: expected == 0").And.Contain("actual   1").And.Contain("\"visible\":1");

        // The consumer acts only after the flow's first look at the queue has come back, so that look saw the
        // message whatever the machine's load (a fixed delay raced the aws CLI's start-up and failed in CI).
        var firstLook = new AfterFirstCall("get-queue-attributes");
        var consumer = Task.Run(async () =>
        {
            await firstLook.Seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var received = await moto.Seed("sqs", "receive-message", new() { ["QueueUrl"] = url });
            await moto.Seed("sqs", "delete-message", new() { ["QueueUrl"] = url, ["ReceiptHandle"] = (string)received["Messages"]![0]!["ReceiptHandle"]! });
        });
        (result, output) = await RunAsync(moto, flow, firstLook.Wrap, ("t", "60s"));
        await consumer;
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        result.Flows.Single().Steps.Single().Attempts.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Sqs_receive_peeks_without_taking_the_message_from_the_consumer_unless_told_to_delete()
    {
        var queue = Unique("events");
        var url = (string)(await moto.Seed("sqs", "create-queue", new() { ["QueueName"] = queue }))["QueueUrl"]!;
        await moto.Seed("sqs", "send-message", new() { ["QueueUrl"] = url, ["MessageBody"] = """{"type": "OrderPlaced", "orderId": 42}""" });
        var peek = ExecStepTests.Flow($$$"""
            steps:
              - name: event on the queue
                aws: { sqs.receive: { queue: "{{{url}}}" }, endpoint: "{{aws}}" }
                expect: { json: { "$.messages[0].body.type": OrderPlaced, "$.count": 1 } }
                capture: { orderId: "$.messages[0].body.orderId" }
              - name: still there for the consumer
                aws: { sqs.drained: { queue: {{{queue}}} }, endpoint: "{{aws}}" }
                expect: { json: { "$.visible": 1 } }
            """);
        var (result, output) = await RunAsync(moto, peek);
        result.Code.Should().Be(VerifyExitCode.Passed, output);

        var take = ExecStepTests.Flow($$$"""
            steps:
              - aws: { sqs.receive: { queue: {{{queue}}}, delete: true }, endpoint: "{{aws}}" }
              - aws: { sqs.drained: { queue: {{{queue}}} }, endpoint: "{{aws}}" }
            """);
        (result, output) = await RunAsync(moto, take);
        result.Code.Should().Be(VerifyExitCode.Passed, output);
    }

    [Fact]
    public async Task Dynamodb_get_reads_an_item_by_its_plain_key_and_fails_when_it_is_not_there()
    {
        var table = Unique("budgets");
        await moto.Seed("dynamodb", "create-table", KeyedByPk(table));
        await moto.Seed("dynamodb", "put-item", new()
        {
            ["TableName"] = table, ["Item"] = JsonNode.Parse("""{"pk": {"S": "order#42"}, "total": {"N": "12.5"}, "state": {"S": "CREATED"}, "lines": {"L": [{"N": "1"}]}}"""),
        });
        var flow = ExecStepTests.Flow($$$"""
            steps:
              - name: budget created
                aws: { dynamodb.get: { table: {{{table}}}, key: { pk: "order#{{id}}" } }, endpoint: "{{aws}}" }
                expect: { json: { "$.item.total": 12.5, "$.item.state": CREATED, "$.item.lines[0]": 1 } }
            """);
        var (result, output) = await RunAsync(moto, flow, ("id", "42"));
        result.Code.Should().Be(VerifyExitCode.Passed, output);

        (result, output) = await RunAsync(moto, flow, ("id", "43"));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("$.item.total: expected == 12.5").And.Contain("(absent)").And.Contain("\"found\":false");
    }

    [Fact]
    public async Task Logs_contains_finds_a_line_written_after_the_flow_started_and_ignores_older_ones()
    {
        var group = "/aws/lambda/" + Unique("stream-consumer");
        await moto.Seed("logs", "create-log-group", new() { ["logGroupName"] = group });
        await moto.Seed("logs", "create-log-stream", new() { ["logGroupName"] = group, ["logStreamName"] = "s1" });
        var hourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await moto.Seed("logs", "put-log-events", LogEvent(group, "s1", hourAgo, "forwarded item-7 to bigquery"));
        var once = ExecStepTests.Flow($$$"""
            steps:
              - name: consumer logged the item
                aws: { logs.contains: { group: "{{{group}}}", pattern: "item-7" }, endpoint: "{{aws}}" }
            """);
        var flow = ExecStepTests.Flow($$$"""
            steps:
              - name: consumer logged the item
                aws: { logs.contains: { group: "{{{group}}}", pattern: "item-7" }, endpoint: "{{aws}}" }
                poll: { timeout: "{{t}}", interval: 200ms }
                capture: { line: "$.events[0].message" }
            """);
        var (result, output) = await RunAsync(moto, once);
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, "the only matching line is an hour older than the flow\n" + output);
        output.Should().Contain("$.count: expected gt 0");

        // The line is written once the flow's first look has come back, so it is newer than the flow's start whatever
        // the machine's load (a fixed delay relied on the seeding call's own seconds of aws CLI start-up).
        var firstLook = new AfterFirstCall("filter-log-events");
        var writer = Task.Run(async () =>
        {
            await firstLook.Seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await moto.Seed("logs", "put-log-events", LogEvent(group, "s1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "forwarded item-7 to bigquery"));
        });
        (result, output) = await RunAsync(moto, flow, firstLook.Wrap, ("t", "60s"));
        await writer;
        result.Code.Should().Be(VerifyExitCode.Passed, output);
    }

    [Fact]
    public async Task Ecs_tasks_running_passes_at_the_desired_count_and_fails_below_it()
    {
        var flow = ExecStepTests.Flow("""
            steps:
              - aws: { ecs.tasks-running: { cluster: shop, service: "{{service}}" }, endpoint: "{{aws}}" }
            """);
        var (result, output) = await RunAsync(moto, flow, ("service", "api"));
        result.Code.Should().Be(VerifyExitCode.Passed, output);
        (result, output) = await RunAsync(moto, flow, ("service", "worker"));
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("$.ok: expected == true").And.Contain("\"desired\":3").And.Contain("\"running\":2");
    }

    [Fact]
    public async Task A_missing_queue_is_an_assertion_failure_with_the_apis_message_and_an_unreachable_endpoint_is_exit_4()
    {
        var flow = ExecStepTests.Flow("""
            steps:
              - aws: { sqs.drained: { queue: no-such-queue-gc }, endpoint: "{{aws}}" }
            """);
        var (result, output) = await RunAsync(moto, flow);
        result.Code.Should().Be(VerifyExitCode.AssertionFailed, output);
        output.Should().Contain("aws sqs get-queue-url").And.Contain("NonExistentQueue");

        var clock = Stopwatch.StartNew();
        (result, output) = await RunAsync(moto, flow, ("aws", $"http://127.0.0.1:{OrderFlowTests.FreePort()}"));
        result.Code.Should().Be(VerifyExitCode.CouldNotConnect, output);
        output.Should().Contain("Could not connect to the endpoint URL");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    /// <summary>Completes <see cref="Seen"/> once a call naming the operation has returned (with an answer holding <paramref name="answerHolds"/>, when given).</summary>
    internal sealed class AfterFirstCall(string operation, string? answerHolds = null)
    {
        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private string Operation => operation;

        private string? AnswerHolds => answerHolds;

        public ICommandRunner Wrap(ICommandRunner inner) => new Watching(inner, this);

        private sealed class Watching(ICommandRunner inner, AfterFirstCall signal) : ICommandRunner
        {
            public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
            {
                var result = await inner.RunAsync(file, args, timeout, ct);
                if (args.Contains(signal.Operation) && (signal.AnswerHolds is null || result.StdOut.Contains(signal.AnswerHolds))) signal.Seen.TrySetResult();
                return result;
            }
        }
    }
}
