using System.Globalization;
using Groundcrew.Verify.Flows;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

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

    public static void Validate(string helper, JObject args, string where)
    {
        var (required, optional) = Arguments[helper];
        FlowLoader.CheckKeys(args, [.. required, .. optional], where);
        foreach (var key in required)
            if (args[key] is null or { Type: JTokenType.Null }) throw FlowLoader.Error(args, $"{where}: '{key}' is required");
        if (helper == DynamoDbGet && args["key"] is not JObject { Count: > 0 })
            throw FlowLoader.Error(args["key"]!, $"{where}.key must map the key attributes to values, e.g. {{ pk: \"order#{{{{orderId}}}}\" }}");
        if (args["since"] is JValue { Type: JTokenType.String } since && !Variables.HasPlaceholder((string)since!) && !Duration.TryParse((string)since!, out _))
            throw FlowLoader.Error(since, $"{where}.since: '{since}' is not a duration (the default is the flow's start)");
        if (args["max"] is { } max && (max.Type != JTokenType.Integer || max.Value<int>() is < 1 or > 10))
            throw FlowLoader.Error(max, $"{where}.max: SQS returns 1 to 10 messages per receive");
    }

    /// <summary>What the helper checks when the step does not say: the answer's field that holds the verdict.</summary>
    public static Expectation Condition(string helper) => helper switch
    {
        SqsDrained => Json("$.total", new JValue(0)),
        SqsReceive => Json("$.count", new JObject { ["gt"] = 0 }),
        DynamoDbGet => Json("$.found", new JValue(true)),
        LogsContains => Json("$.count", new JObject { ["gt"] = 0 }),
        _ => Json("$.ok", new JValue(true)),
    };

    private static Expectation Json(string path, JToken spec) =>
        new(null, new Dictionary<string, JToken>(), new Dictionary<string, JToken> { [path] = spec }, null, null);

    public static Task<(JToken Json, string Described)> RunAsync(string helper, JObject args, AwsCall call, DateTimeOffset flowStart) => helper switch
    {
        SqsDrained => DrainedAsync(args, call),
        SqsReceive => ReceiveAsync(args, call),
        DynamoDbGet => GetItemAsync(args, call),
        LogsContains => LogsAsync(args, call, flowStart),
        _ => TasksRunningAsync(args, call),
    };

    private static string Text(JObject args, string key) => Variables.AsText(args[key]!);

    private static async Task<string> QueueUrlAsync(string queue, AwsCall call)
    {
        if (queue.StartsWith("http://", StringComparison.Ordinal) || queue.StartsWith("https://", StringComparison.Ordinal)) return queue;
        var answer = await call.JsonAsync("sqs", "get-queue-url", "--queue-name", queue);
        return answer["QueueUrl"]?.ToString() ?? throw new StepFailure($"aws sqs get-queue-url gave no QueueUrl for '{queue}'", VerifyExitCode.AssertionFailed);
    }

    /// <summary>
    /// Depth as SQS counts it: visible, in flight (received, not yet deleted: a consumer that crashes
    /// mid-message leaves it here) and delayed. Drained means all three are 0.
    /// </summary>
    private static async Task<(JToken, string)> DrainedAsync(JObject args, AwsCall call)
    {
        var queue = Text(args, "queue");
        var url = await QueueUrlAsync(queue, call);
        var answer = await call.JsonAsync("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed");
        long Count(string name) => long.TryParse(answer["Attributes"]?[name]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var (visible, inFlight, delayed) = (Count("ApproximateNumberOfMessages"), Count("ApproximateNumberOfMessagesNotVisible"), Count("ApproximateNumberOfMessagesDelayed"));
        return (new JObject
        {
            ["queue"] = queue, ["queueUrl"] = url, ["visible"] = visible, ["inFlight"] = inFlight, ["delayed"] = delayed,
            ["total"] = visible + inFlight + delayed,
        }, $"{SqsDrained} {queue}");
    }

    /// <summary>
    /// Peeks: the messages are received with visibility timeout 0, so they stay on the queue for the real
    /// consumer, unless `delete: true`. A receive still counts towards a redrive policy's maxReceiveCount.
    /// </summary>
    private static async Task<(JToken, string)> ReceiveAsync(JObject args, AwsCall call)
    {
        var queue = Text(args, "queue");
        var url = await QueueUrlAsync(queue, call);
        var max = args["max"]?.Value<int>() ?? 10;
        var wait = args["wait"] is { } w ? Variables.AsText(w) : "0";
        var delete = args["delete"] is { } d && (d.Type == JTokenType.Boolean ? d.Value<bool>() : Variables.AsText(d) == "true");
        var answer = await call.JsonAsync("sqs", "receive-message", "--queue-url", url, "--max-number-of-messages", max.ToString(CultureInfo.InvariantCulture),
            "--visibility-timeout", delete ? "30" : "0", "--wait-time-seconds", wait, "--attribute-names", "All", "--message-attribute-names", "All");
        var messages = new JArray();
        foreach (var m in answer["Messages"] as JArray ?? [])
        {
            var body = m["Body"]?.ToString() ?? "";
            JToken parsed;
            try { parsed = body.Length > 0 && body.TrimStart()[0] is '{' or '[' ? JToken.Parse(body) : new JValue(body); }
            catch (JsonException) { parsed = new JValue(body); }
            messages.Add(new JObject
            {
                ["messageId"] = m["MessageId"], ["body"] = parsed, ["attributes"] = m["Attributes"] ?? new JObject(),
                ["messageAttributes"] = m["MessageAttributes"] ?? new JObject(),
            });
            if (delete && m["ReceiptHandle"]?.ToString() is { } handle)
                await call.JsonAsync("sqs", "delete-message", "--queue-url", url, "--receipt-handle", handle);
        }
        return (new JObject { ["queue"] = queue, ["count"] = messages.Count, ["deleted"] = delete, ["messages"] = messages },
            $"{SqsReceive} {queue}{(delete ? " (delete)" : " (peek)")}");
    }

    private static async Task<(JToken, string)> GetItemAsync(JObject args, AwsCall call)
    {
        var table = Text(args, "table");
        var key = DynamoJson.Marshal((JObject)args["key"]!);
        var consistent = args["consistent"] is not { } c || (c.Type == JTokenType.Boolean ? c.Value<bool>() : Variables.AsText(c) != "false");
        var extra = new List<string> { "--table-name", table, "--key", key.ToString(Formatting.None) };
        if (consistent) extra.Add("--consistent-read");
        var answer = await call.JsonAsync("dynamodb", "get-item", [.. extra]);
        var item = answer["Item"] is JObject i ? DynamoJson.Unmarshal(i) : null;
        return (new JObject { ["table"] = table, ["found"] = item != null, ["item"] = item }, $"{DynamoDbGet} {table} {args["key"]!.ToString(Formatting.None)}");
    }

    /// <summary>CloudWatch Logs filter over [since, now]; since defaults to the flow's start, so yesterday's line cannot pass today's check.</summary>
    private static async Task<(JToken, string)> LogsAsync(JObject args, AwsCall call, DateTimeOffset flowStart)
    {
        var group = Text(args, "group");
        var pattern = Text(args, "pattern");
        var from = args["since"] is { } s ? DateTimeOffset.UtcNow - Duration.Parse(Variables.AsText(s), "logs.contains.since") : flowStart;
        var extra = new List<string> { "--log-group-name", group, "--start-time", from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            "--filter-pattern", pattern, "--max-items", "100" };
        if (args["streamPrefix"] is { } prefix) extra.AddRange(["--log-stream-name-prefix", Variables.AsText(prefix)]);
        var answer = await call.JsonAsync("logs", "filter-log-events", [.. extra]);
        var events = new JArray((answer["events"] as JArray ?? []).Select(e => new JObject
        {
            ["timestamp"] = e["timestamp"], ["logStream"] = e["logStreamName"], ["message"] = e["message"]?.ToString().TrimEnd(),
        }));
        return (new JObject { ["group"] = group, ["pattern"] = pattern, ["since"] = from.ToString("o", CultureInfo.InvariantCulture), ["count"] = events.Count, ["events"] = events },
            $"{LogsContains} {group} {pattern}");
    }

    private static async Task<(JToken, string)> TasksRunningAsync(JObject args, AwsCall call)
    {
        var (cluster, service) = (Text(args, "cluster"), Text(args, "service"));
        var answer = await call.JsonAsync("ecs", "describe-services", "--cluster", cluster, "--services", service);
        if (answer["services"] is not JArray { Count: > 0 } services || services[0]["status"]?.ToString() == "INACTIVE")
        {
            var reason = answer["failures"]?[0]?["reason"]?.ToString() ?? "INACTIVE";
            throw new StepFailure($"{EcsTasksRunning}: service {service} in cluster {cluster}: {reason}", VerifyExitCode.AssertionFailed);
        }
        var s = services[0];
        var desired = s["desiredCount"]?.Value<long>() ?? 0;
        var running = s["runningCount"]?.Value<long>() ?? 0;
        var pending = s["pendingCount"]?.Value<long>() ?? 0;
        var want = args["count"] is { } c && long.TryParse(Variables.AsText(c), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : desired;
        return (new JObject
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

    public static JObject Marshal(JObject plain) => new(plain.Properties().Select(p => new JProperty(p.Name, Typed(p.Value))));

    private static JToken Typed(JToken value) => value switch
    {
        // Already typed ({ "S": "x" }): pass through, so a flow can say exactly what it means.
        JObject { Count: 1 } o when TypeKeys.Contains(o.Properties().First().Name) => o,
        JValue { Type: JTokenType.String } s => new JObject { ["S"] = s },
        JValue { Type: JTokenType.Integer or JTokenType.Float } n => new JObject { ["N"] = Variables.AsText(n) },
        JValue { Type: JTokenType.Boolean } b => new JObject { ["BOOL"] = b },
        JValue { Type: JTokenType.Null } => new JObject { ["NULL"] = true },
        JArray a => new JObject { ["L"] = new JArray(a.Select(Typed)) },
        JObject o => new JObject { ["M"] = Marshal(o) },
        _ => new JObject { ["S"] = value.ToString() },
    };

    public static JObject Unmarshal(JObject typed) => new(typed.Properties().Select(p => new JProperty(p.Name, Plain(p.Value))));

    private static JToken Plain(JToken value)
    {
        if (value is not JObject { Count: 1 } o) return value;
        var (type, inner) = (o.Properties().First().Name, o.Properties().First().Value);
        return type switch
        {
            "S" or "B" => inner,
            "N" => Number(inner.ToString()),
            "BOOL" => inner,
            "NULL" => JValue.CreateNull(),
            "M" => Unmarshal((JObject)inner),
            "L" => new JArray(((JArray)inner).Select(Plain)),
            "SS" or "BS" => inner,
            "NS" => new JArray(((JArray)inner).Select(n => Number(n.ToString()))),
            _ => value,
        };
    }

    private static JToken Number(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? new JValue(l)
        : decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? new JValue(d) : new JValue(text);
}
