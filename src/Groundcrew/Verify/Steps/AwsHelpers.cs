using System.Globalization;
using Groundcrew.Verify.Flows;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Steps;

/// <summary>
/// The aws helpers: the questions an asynchronous pipeline's check asks most, each a few CLI calls whose
/// answer is a small JSON document with a built-in condition (what the helper's name promises).
/// </summary>
public static class AwsHelpers
{
    public const string SqsDrained = "sqs.drained", SqsReceive = "sqs.receive", DynamoDbGet = "dynamodb.get",
        LogsContains = "logs.contains", EcsTasksRunning = "ecs.tasks-running";

    public static readonly IReadOnlyList<string> Names = [SqsDrained, SqsReceive, DynamoDbGet, LogsContains, EcsTasksRunning];

    private static readonly Dictionary<string, (string[] Required, string[] Optional)> Arguments = new()
    {
        [SqsDrained] = (["queue"], []),
        [SqsReceive] = (["queue"], ["max", "wait", "delete"]),
        [DynamoDbGet] = (["table", "key"], ["consistent"]),
        [LogsContains] = (["group", "pattern"], ["since", "streamPrefix"]),
        [EcsTasksRunning] = (["cluster", "service"], ["count"]),
    };

    public static void Validate(string helper, JsonObject args, string where)
    {
        var (required, optional) = Arguments[helper];
        FlowLoader.CheckKeys(args, [.. required, .. optional], where);
        foreach (var key in required)
            if (args[key] is null) throw FlowLoader.Error(args, $"{where}: '{key}' is required");
        if (helper == DynamoDbGet && args["key"] is not JsonObject { Count: > 0 })
            throw FlowLoader.Error(args, "key", $"{where}.key must map the key attributes to values, e.g. {{ pk: \"order#{{{{orderId}}}}\" }}");
        if (args["since"] is JsonValue since && FlowJson.IsString(since) && !Variables.HasPlaceholder(since.GetValue<string>()) && !Duration.TryParse(since.GetValue<string>(), out _))
            throw FlowLoader.Error(since, $"{where}.since: '{since.GetValue<string>()}' is not a duration (the default is the flow's start)");
        if (args["max"] is { } max && (!FlowJson.TryLong(max, out var m) || m is < 1 or > 10))
            throw FlowLoader.Error(max, $"{where}.max: SQS returns 1 to 10 messages per receive");
    }

    /// <summary>What the helper checks when the step does not say: the answer's field that holds the verdict.</summary>
    public static Expectation Condition(string helper) => helper switch
    {
        SqsDrained => Json("$.total", JsonValue.Create(0)),
        SqsReceive => Json("$.count", new JsonObject { ["gt"] = 0 }),
        DynamoDbGet => Json("$.found", JsonValue.Create(true)),
        LogsContains => Json("$.count", new JsonObject { ["gt"] = 0 }),
        _ => Json("$.ok", JsonValue.Create(true)),
    };

    private static Expectation Json(string path, JsonNode spec) =>
        new(null, new Dictionary<string, JsonNode?>(), new Dictionary<string, JsonNode?> { [path] = spec }, null, null);

    public static Task<(JsonNode Json, string Described)> RunAsync(string helper, JsonObject args, AwsCall call, DateTimeOffset flowStart) => helper switch
    {
        SqsDrained => DrainedAsync(args, call),
        SqsReceive => ReceiveAsync(args, call),
        DynamoDbGet => GetItemAsync(args, call),
        LogsContains => LogsAsync(args, call, flowStart),
        _ => TasksRunningAsync(args, call),
    };

    private static string Text(JsonObject args, string key) => Variables.AsText(args[key]);

    // Json.NET's ToString(): a string itself, a number or boolean as text, anything else its JSON; null when absent.
    private static string? Str(JsonNode? node) =>
        node == null ? null : FlowJson.IsScalar(node) ? FlowJson.ScalarText(node) : FlowJson.Compact(node);

    private static JsonNode? Get(JsonNode? node, string key) => node is JsonObject o ? o[key] : null;

    private static async Task<string> QueueUrlAsync(string queue, AwsCall call)
    {
        if (queue.StartsWith("http://", StringComparison.Ordinal) || queue.StartsWith("https://", StringComparison.Ordinal)) return queue;
        var answer = await call.JsonAsync("sqs", "get-queue-url", "--queue-name", queue);
        return Str(Get(answer, "QueueUrl")) ?? throw new StepFailure($"aws sqs get-queue-url gave no QueueUrl for '{queue}'", VerifyExitCode.AssertionFailed);
    }

    /// <summary>
    /// Depth as SQS counts it: visible, in flight (received, not yet deleted: a consumer that crashes
    /// mid-message leaves it here) and delayed. Drained means all three are 0.
    /// </summary>
    private static async Task<(JsonNode, string)> DrainedAsync(JsonObject args, AwsCall call)
    {
        var queue = Text(args, "queue");
        var url = await QueueUrlAsync(queue, call);
        var answer = await call.JsonAsync("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed");
        long Count(string name) => long.TryParse(Str(Get(Get(answer, "Attributes"), name)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var (visible, inFlight, delayed) = (Count("ApproximateNumberOfMessages"), Count("ApproximateNumberOfMessagesNotVisible"), Count("ApproximateNumberOfMessagesDelayed"));
        return (new JsonObject
        {
            ["queue"] = queue, ["queueUrl"] = url, ["visible"] = visible, ["inFlight"] = inFlight, ["delayed"] = delayed,
            ["total"] = visible + inFlight + delayed,
        }, $"{SqsDrained} {queue}");
    }

    /// <summary>
    /// Peeks: the messages are received with visibility timeout 0, so they stay on the queue for the real
    /// consumer, unless `delete: true`. A receive still counts towards a redrive policy's maxReceiveCount.
    /// </summary>
    private static async Task<(JsonNode, string)> ReceiveAsync(JsonObject args, AwsCall call)
    {
        var queue = Text(args, "queue");
        var url = await QueueUrlAsync(queue, call);
        var max = FlowJson.TryLong(args["max"], out var mx) ? (int)mx : 10;
        var wait = args["wait"] is { } w ? Variables.AsText(w) : "0";
        var delete = args["delete"] is { } d && (FlowJson.IsBool(d) ? FlowJson.Bool(d) : Variables.AsText(d) == "true");
        var answer = await call.JsonAsync("sqs", "receive-message", "--queue-url", url, "--max-number-of-messages", max.ToString(CultureInfo.InvariantCulture),
            "--visibility-timeout", delete ? "30" : "0", "--wait-time-seconds", wait, "--attribute-names", "All", "--message-attribute-names", "All");
        var messages = new JsonArray();
        foreach (var m in Get(answer, "Messages") as JsonArray ?? [])
        {
            var body = Str(Get(m, "Body")) ?? "";
            JsonNode? parsed;
            try { parsed = body.Length > 0 && body.TrimStart()[0] is '{' or '[' ? HttpResponseData.ParseJson(body) : JsonValue.Create(body); }
            catch (JsonException) { parsed = JsonValue.Create(body); }
            messages.Add((JsonNode)new JsonObject
            {
                ["messageId"] = FlowJson.Copy(Get(m, "MessageId")), ["body"] = parsed, ["attributes"] = FlowJson.Copy(Get(m, "Attributes")) ?? new JsonObject(),
                ["messageAttributes"] = FlowJson.Copy(Get(m, "MessageAttributes")) ?? new JsonObject(),
            });
            if (delete && Str(Get(m, "ReceiptHandle")) is { } handle)
                await call.JsonAsync("sqs", "delete-message", "--queue-url", url, "--receipt-handle", handle);
        }
        return (new JsonObject { ["queue"] = queue, ["count"] = messages.Count, ["deleted"] = delete, ["messages"] = messages },
            $"{SqsReceive} {queue}{(delete ? " (delete)" : " (peek)")}");
    }

    private static async Task<(JsonNode, string)> GetItemAsync(JsonObject args, AwsCall call)
    {
        var table = Text(args, "table");
        var key = DynamoJson.Marshal((JsonObject)args["key"]!);
        var consistent = args["consistent"] is not { } c || (FlowJson.IsBool(c) ? FlowJson.Bool(c) : Variables.AsText(c) != "false");
        var extra = new List<string> { "--table-name", table, "--key", FlowJson.Compact(key) };
        if (consistent) extra.Add("--consistent-read");
        var answer = await call.JsonAsync("dynamodb", "get-item", [.. extra]);
        var item = Get(answer, "Item") is JsonObject i ? DynamoJson.Unmarshal(i) : null;
        return (new JsonObject { ["table"] = table, ["found"] = item != null, ["item"] = item }, $"{DynamoDbGet} {table} {FlowJson.Compact(args["key"])}");
    }

    /// <summary>CloudWatch Logs filter over [since, now]; since defaults to the flow's start, so yesterday's line cannot pass today's check.</summary>
    private static async Task<(JsonNode, string)> LogsAsync(JsonObject args, AwsCall call, DateTimeOffset flowStart)
    {
        var group = Text(args, "group");
        var pattern = Text(args, "pattern");
        var from = args["since"] is { } s ? DateTimeOffset.UtcNow - Duration.Parse(Variables.AsText(s), "logs.contains.since") : flowStart;
        var extra = new List<string> { "--log-group-name", group, "--start-time", from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            "--filter-pattern", pattern, "--max-items", "100" };
        if (args["streamPrefix"] is { } prefix) extra.AddRange(["--log-stream-name-prefix", Variables.AsText(prefix)]);
        var answer = await call.JsonAsync("logs", "filter-log-events", [.. extra]);
        var events = new JsonArray((Get(answer, "events") as JsonArray ?? []).Select(e => (JsonNode?)new JsonObject
        {
            ["timestamp"] = FlowJson.Copy(Get(e, "timestamp")), ["logStream"] = FlowJson.Copy(Get(e, "logStreamName")), ["message"] = Str(Get(e, "message"))?.TrimEnd(),
        }).ToArray());
        return (new JsonObject { ["group"] = group, ["pattern"] = pattern, ["since"] = from.ToString("o", CultureInfo.InvariantCulture), ["count"] = events.Count, ["events"] = events },
            $"{LogsContains} {group} {pattern}");
    }

    private static async Task<(JsonNode, string)> TasksRunningAsync(JsonObject args, AwsCall call)
    {
        var (cluster, service) = (Text(args, "cluster"), Text(args, "service"));
        var answer = await call.JsonAsync("ecs", "describe-services", "--cluster", cluster, "--services", service);
        if (Get(answer, "services") is not JsonArray { Count: > 0 } services || Str(Get(services[0], "status")) == "INACTIVE")
        {
            var reason = Str(Get(Get(answer, "failures") is JsonArray { Count: > 0 } f ? f[0] : null, "reason")) ?? "INACTIVE";
            throw new StepFailure($"{EcsTasksRunning}: service {service} in cluster {cluster}: {reason}", VerifyExitCode.AssertionFailed);
        }
        var s = services[0];
        long Count(string name) => FlowJson.TryLong(Get(s, name), out var v) ? v : 0;
        var desired = Count("desiredCount");
        var running = Count("runningCount");
        var pending = Count("pendingCount");
        var want = args["count"] is { } c && long.TryParse(Variables.AsText(c), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : desired;
        return (new JsonObject
        {
            ["cluster"] = cluster, ["service"] = service, ["desired"] = desired, ["running"] = running, ["pending"] = pending,
            ["want"] = want, ["ok"] = running >= want && want > 0,
        }, $"{EcsTasksRunning} {cluster}/{service}");
    }
}

/// <summary>DynamoDB's typed JSON ({"S": "x"}) to plain JSON and back, so flows write and assert plain values.</summary>
public static class DynamoJson
{
    private static readonly HashSet<string> TypeKeys = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

    public static JsonObject Marshal(JsonObject plain)
    {
        var typed = new JsonObject();
        foreach (var (name, value) in plain) typed[name] = Typed(value);
        return typed;
    }

    private static JsonNode Typed(JsonNode? value) => value switch
    {
        // Already typed ({ S: "x" }): kept as written.
        JsonObject { Count: 1 } o when TypeKeys.Contains(o.First().Key) => o.DeepClone(),
        JsonArray a => new JsonObject { ["L"] = new JsonArray(a.Select(v => (JsonNode?)Typed(v)).ToArray()) },
        JsonObject o => new JsonObject { ["M"] = Marshal(o) },
        null => new JsonObject { ["NULL"] = true },
        _ when FlowJson.IsString(value) => new JsonObject { ["S"] = value.DeepClone() },
        _ when FlowJson.IsNumber(value) => new JsonObject { ["N"] = Variables.AsText(value) },
        _ when FlowJson.IsBool(value) => new JsonObject { ["BOOL"] = value.DeepClone() },
        _ => new JsonObject { ["S"] = Variables.AsText(value) },
    };

    public static JsonObject Unmarshal(JsonObject typed)
    {
        var plain = new JsonObject();
        foreach (var (name, value) in typed) plain[name] = Plain(value);
        return plain;
    }

    private static JsonNode? Plain(JsonNode? value)
    {
        if (value is not JsonObject { Count: 1 } o) return FlowJson.Copy(value);
        var (type, inner) = (o.First().Key, o.First().Value);
        return type switch
        {
            "S" or "B" => FlowJson.Copy(inner),
            "N" => Number(Variables.AsText(inner)),
            "BOOL" => FlowJson.Copy(inner),
            "NULL" => null,
            "M" => inner is JsonObject m ? Unmarshal(m) : FlowJson.Copy(inner),
            "L" => inner is JsonArray l ? new JsonArray(l.Select(Plain).ToArray()) : FlowJson.Copy(inner),
            "SS" or "BS" => FlowJson.Copy(inner),
            "NS" => inner is JsonArray ns ? new JsonArray(ns.Select(n => Number(Variables.AsText(n))).ToArray()) : FlowJson.Copy(inner),
            _ => FlowJson.Copy(value),
        };
    }

    private static JsonNode Number(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l)
        : decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : JsonValue.Create(text);
}
