using System.Globalization;
using Groundcrew.Verify.Flows;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Steps;

/// <summary>
/// Reads the non-HTTP step kinds. As strict as the rest of the flow loader: an unknown key is an error,
/// because a misspelt `comand:` silently ignored would turn a check off.
/// </summary>
public static class ProbeLoader
{
    public static readonly IReadOnlyList<string> Kinds = ["exec", "sql", "aws", "kube"];

    private static readonly HashSet<string> ExecKeys = ["command", "shell", "env", "cwd", "timeout"];
    private static readonly HashSet<string> SqlKeys = ["engine", "connection", "query", "params", "database", "collection", "filter", "projection", "sort", "limit", "command", "timeout"];
    private static readonly HashSet<string> AwsKeys = ["service", "operation", "params", "profile", "region", "endpoint", "timeout", .. AwsHelpers.Names];
    private static readonly HashSet<string> KubeKeys = ["get", "logs", "exec", "selector", "container", "command", "since", "namespace", "context", "kubeconfig", "timeout"];

    /// <summary>Which assertion keys make sense for each kind: `status` on a SQL query is a mistake worth reporting.</summary>
    public static IReadOnlySet<string> ExpectKeys(string kind) => kind switch
    {
        "sql" => new HashSet<string> { "json", "rowCount", "durationMs" },
        "exec" or "aws" or "kube" => new HashSet<string> { "exitCode", "stdout", "stderr", "json", "durationMs" },
        _ => new HashSet<string> { "status", "headers", "json", "body", "durationMs" },
    };

    public static ProbeSpec Parse(string kind, JsonNode? token, string where, JsonObject step) => token switch
    {
        // `exec:` with nothing after it: the same message as any other value that is not a mapping, at its key.
        null => throw FlowLoader.Error(step, kind, $"{where} must be a mapping ({kind switch
        {
            "exec" => "command or shell",
            "sql" => "engine, connection and query",
            "aws" => "service and operation, or a helper such as sqs.drained",
            _ => "get, logs or exec",
        }})"),
        _ when kind == "exec" => Exec(token, where),
        _ when kind == "sql" => Sql(token, where),
        _ when kind == "aws" => Aws(token, where),
        _ => Kube(token, where),
    };

    /// <summary>
    /// The condition a helper stands for (`sqs.drained` means the depth reached 0), used as `poll.until`
    /// when the poll names none and as `expect` when the step neither polls nor expects.
    /// </summary>
    public static Expectation? BuiltInCondition(ProbeSpec probe) =>
        probe is AwsSpec { Helper: { } helper } ? AwsHelpers.Condition(helper) : null;

    /// <summary>
    /// A command that exits non-zero failed, unless the flow says what exit code it wants. Without this an
    /// `exec: { command: [migrate, --check] }` with only a stdout assertion would pass on a crash.
    /// </summary>
    public static bool ChecksExitCode(ProbeSpec probe) => probe is ExecSpec or KubeSpec or AwsSpec { Helper: null };

    private static ExecSpec Exec(JsonNode token, string where)
    {
        // `exec: "make smoke"` is the shell form, `exec: [printenv, NAME]` the argv form.
        if (FlowJson.IsString(token)) token = Wrap("shell", token);
        else if (token is JsonArray) token = Wrap("command", token);
        var obj = Mapping(token, where, "command or shell");
        FlowLoader.CheckKeys(obj, ExecKeys, where);
        var argv = obj["command"] is { } c ? StringList(c, $"{where}.command") : null;
        var shell = Text(obj, "shell");
        if ((argv == null) == (shell == null)) throw FlowLoader.Error(obj, $"{where}: give one of 'command' (a list: program and arguments) or 'shell' (a line for /bin/sh -c)");
        if (argv is { Count: 0 }) throw FlowLoader.Error(obj["command"], $"{where}.command: the list is empty");
        return new ExecSpec(argv, shell, StringMap(obj["env"], $"{where}.env"), Text(obj, "cwd"), Timeout(obj, where));
    }

    private static SqlSpec Sql(JsonNode token, string where)
    {
        var obj = Mapping(token, where, "engine, connection and query");
        FlowLoader.CheckKeys(obj, SqlKeys, where);
        var engineText = Text(obj, "engine") ?? throw FlowLoader.Error(obj, $"{where}: 'engine' is required (postgres, mysql, mariadb or mongodb)");
        var engine = engineText.ToLowerInvariant() switch
        {
            "postgres" or "postgresql" => SqlEngine.Postgres,
            "mysql" or "mariadb" => SqlEngine.MySql,
            "mongodb" or "mongo" => SqlEngine.MongoDb,
            _ => throw FlowLoader.Error(obj["engine"], $"{where}.engine: '{engineText}' is not one of postgres, mysql, mariadb, mongodb"),
        };
        var connection = Text(obj, "connection") ?? throw FlowLoader.Error(obj, $"{where}: 'connection' is required (a connection string; put its password in a secret variable)");
        var parameters = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (obj["params"] is { } p)
        {
            if (p is not JsonObject map) throw FlowLoader.Error(p, $"{where}.params must map parameter names to values");
            foreach (var (name, value) in map) parameters[name] = value;
        }
        var mongoKeys = new[] { "database", "collection", "filter", "projection", "sort", "limit", "command" };
        if (engine != SqlEngine.MongoDb)
        {
            if (mongoKeys.FirstOrDefault(obj.ContainsKey) is { } stray)
                throw FlowLoader.Error(obj, stray, $"{where}.{stray}: only for engine mongodb (a SQL engine takes 'query')");
            var query = Text(obj, "query") ?? throw FlowLoader.Error(obj, $"{where}: 'query' is required");
            return new SqlSpec(engine, connection, query, parameters, null, Timeout(obj, where));
        }
        if (obj.ContainsKey("query")) throw FlowLoader.Error(obj, "query", $"{where}.query: engine mongodb takes 'collection' with 'filter', or 'command'");
        if (parameters.Count > 0) throw FlowLoader.Error(obj, "params", $"{where}.params: engine mongodb takes its values inside 'filter'");
        var database = Text(obj, "database") ?? throw FlowLoader.Error(obj, $"{where}: 'database' is required for mongodb");
        var collection = Text(obj, "collection");
        var command = JsonObject(obj, "command", where);
        if ((collection == null) == (command == null))
            throw FlowLoader.Error(obj, $"{where}: give one of 'collection' (a find, with 'filter') or 'command' (e.g. {{ ping: 1 }})");
        int? limit = null;
        if (obj["limit"] is { } l)
            limit = FlowJson.TryLong(l, out var n) && n is > 0 and <= int.MaxValue ? (int)n : throw FlowLoader.Error(l, $"{where}.limit must be a positive whole number");
        return new SqlSpec(engine, connection, null, parameters,
            new MongoQuery(database, collection, JsonObject(obj, "filter", where), JsonObject(obj, "projection", where), JsonObject(obj, "sort", where), limit, command),
            Timeout(obj, where));
    }

    private static AwsSpec Aws(JsonNode token, string where)
    {
        var obj = Mapping(token, where, "service and operation, or a helper such as sqs.drained");
        FlowLoader.CheckKeys(obj, AwsKeys, where);
        var target = new AwsTarget(Text(obj, "profile"), Text(obj, "region"), Text(obj, "endpoint"));
        var helpers = AwsHelpers.Names.Where(obj.ContainsKey).ToList();
        var service = Text(obj, "service");
        var operation = Text(obj, "operation");
        if (helpers.Count > 1) throw FlowLoader.Error(obj, $"{where}: one helper per step ({string.Join(", ", helpers)} given)");
        if (helpers.Count == 1)
        {
            if (service != null || operation != null || obj.ContainsKey("params"))
                throw FlowLoader.Error(obj, $"{where}: a helper ({helpers[0]}) takes no service/operation/params");
            var args = obj[helpers[0]] is JsonObject a ? a : throw FlowLoader.Error(obj, helpers[0], $"{where}.{helpers[0]} must be a mapping of its arguments");
            AwsHelpers.Validate(helpers[0], args, $"{where}.{helpers[0]}");
            return new AwsSpec(null, null, null, helpers[0], args, target, Timeout(obj, where));
        }
        if (service == null || operation == null)
            throw FlowLoader.Error(obj, $"{where}: give 'service' and 'operation' (e.g. sqs, get-queue-attributes), or a helper: {string.Join(", ", AwsHelpers.Names)}");
        if (!IsCliName(service) || !IsCliName(operation))
            throw FlowLoader.Error(obj, $"{where}: service and operation are the CLI's names, e.g. 'dynamodb' and 'get-item'");
        return new AwsSpec(service, operation, JsonObject(obj, "params", where), null, [], target, Timeout(obj, where));
    }

    private static KubeSpec Kube(JsonNode token, string where)
    {
        var obj = Mapping(token, where, "get, logs or exec");
        FlowLoader.CheckKeys(obj, KubeKeys, where);
        var actions = new[] { ("get", KubeAction.Get), ("logs", KubeAction.Logs), ("exec", KubeAction.Exec) }.Where(a => obj.ContainsKey(a.Item1)).ToList();
        if (actions.Count != 1) throw FlowLoader.Error(obj, $"{where}: give exactly one of 'get' (RESOURCE), 'logs' (TARGET) or 'exec' (TARGET, with 'command')");
        var (key, action) = actions[0];
        var resource = Text(obj, key) ?? "";
        var selector = Text(obj, "selector");
        if (resource.Length == 0 && !(action == KubeAction.Logs && selector != null))
            throw FlowLoader.Error(obj, key, $"{where}.{key}: name what to {key}, e.g. deployment/api");
        if (selector != null && action == KubeAction.Exec) throw FlowLoader.Error(obj, "selector", $"{where}.selector: exec takes one TARGET (pod/NAME or deployment/NAME)");
        var command = obj["command"] is { } c ? StringList(c, $"{where}.command") : [];
        if (action == KubeAction.Exec && command.Count == 0) throw FlowLoader.Error(obj, $"{where}: exec needs 'command', e.g. [printenv, DATABASE_URL]");
        if (action != KubeAction.Exec && command.Count > 0) throw FlowLoader.Error(obj, "command", $"{where}.command: only for exec");
        if (obj.ContainsKey("since") && action != KubeAction.Logs) throw FlowLoader.Error(obj, "since", $"{where}.since: only for logs");
        var since = Text(obj, "since");
        if (since != null && !Variables.HasPlaceholder(since) && !Duration.TryParse(since, out _))
            throw FlowLoader.Error(obj, "since", $"{where}.since: '{since}' is not a duration (logs are read from the flow's start by default)");
        return new KubeSpec(action, resource, selector, Text(obj, "container"), command, since,
            Text(obj, "namespace"), Text(obj, "context"), Text(obj, "kubeconfig"), Timeout(obj, where));
    }

    private static bool IsCliName(string name) =>
        Variables.HasPlaceholder(name) || (name.Length > 0 && name.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'));

    /// <summary>A new mapping holding one value that already sits in the flow's tree (copied, with its lines).</summary>
    private static JsonObject Wrap(string key, JsonNode value)
    {
        var copy = YamlToJson.CopyWithLines(value);
        var obj = new JsonObject { [key] = copy };
        return obj;
    }

    internal static JsonObject Mapping(JsonNode token, string where, string what) =>
        token as JsonObject ?? throw FlowLoader.Error(token, $"{where} must be a mapping ({what})");

    internal static string? Text(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonValue v => FlowJson.ScalarText(v),
        var other => throw FlowLoader.Error(other, $"'{key}' must be text"),
    };

    private static JsonObject? JsonObject(JsonObject obj, string key, string where) => obj[key] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw FlowLoader.Error(other, $"{where}.{key} must be a mapping"),
    };

    private static string? Timeout(JsonObject obj, string where)
    {
        var timeout = Text(obj, "timeout");
        if (timeout != null && !Variables.HasPlaceholder(timeout) && !Duration.TryParse(timeout, out _))
            throw FlowLoader.Error(obj["timeout"], $"{where}.timeout: '{timeout}' is not a duration (500ms, 2s, 1m...)");
        return timeout;
    }

    private static List<string> StringList(JsonNode token, string where) => token switch
    {
        JsonValue v => [FlowJson.ScalarText(v)],
        JsonArray a => a.Select(item => item is JsonValue s
            ? FlowJson.ScalarText(s)
            : throw FlowLoader.Error(item ?? a, $"{where}: entries must be text")).ToList(),
        _ => throw FlowLoader.Error(token, $"{where} must be a list of text"),
    };

    private static Dictionary<string, string> StringMap(JsonNode? token, string where)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (token == null) return map;
        if (token is not JsonObject obj) throw FlowLoader.Error(token, $"{where} must be a mapping");
        foreach (var (key, value) in obj)
            map[key] = value is JsonValue v
                ? FlowJson.ScalarText(v)
                : throw FlowLoader.Error(obj, key, $"{where}.{key} must be text");
        return map;
    }
}
