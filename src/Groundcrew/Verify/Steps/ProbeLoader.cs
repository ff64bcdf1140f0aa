using System.Globalization;
using Groundcrew.Verify.Flows;
using Newtonsoft.Json.Linq;

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

    public static ProbeSpec Parse(string kind, JToken token, string where) => kind switch
    {
        "exec" => Exec(token, where),
        "sql" => Sql(token, where),
        "aws" => Aws(token, where),
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

    private static ExecSpec Exec(JToken token, string where)
    {
        // `exec: "make smoke"` is the shell form, `exec: [printenv, NAME]` the argv form.
        if (token is JValue { Type: JTokenType.String } text) token = new JObject { ["shell"] = text };
        else if (token is JArray) token = new JObject { ["command"] = token };
        var obj = Mapping(token, where, "command or shell");
        FlowLoader.CheckKeys(obj, ExecKeys, where);
        var argv = obj["command"] is { Type: not JTokenType.Null } c ? StringList(c, $"{where}.command") : null;
        var shell = Text(obj, "shell");
        if ((argv == null) == (shell == null)) throw FlowLoader.Error(obj, $"{where}: give one of 'command' (a list: program and arguments) or 'shell' (a line for /bin/sh -c)");
        if (argv is { Count: 0 }) throw FlowLoader.Error(obj["command"]!, $"{where}.command: the list is empty");
        return new ExecSpec(argv, shell, StringMap(obj["env"], $"{where}.env"), Text(obj, "cwd"), Timeout(obj, where));
    }

    private static SqlSpec Sql(JToken token, string where)
    {
        var obj = Mapping(token, where, "engine, connection and query");
        FlowLoader.CheckKeys(obj, SqlKeys, where);
        var engineText = Text(obj, "engine") ?? throw FlowLoader.Error(obj, $"{where}: 'engine' is required (postgres, mysql, mariadb or mongodb)");
        var engine = engineText.ToLowerInvariant() switch
        {
            "postgres" or "postgresql" => SqlEngine.Postgres,
            "mysql" or "mariadb" => SqlEngine.MySql,
            "mongodb" or "mongo" => SqlEngine.MongoDb,
            _ => throw FlowLoader.Error(obj["engine"]!, $"{where}.engine: '{engineText}' is not one of postgres, mysql, mariadb, mongodb"),
        };
        var connection = Text(obj, "connection") ?? throw FlowLoader.Error(obj, $"{where}: 'connection' is required (a connection string; put its password in a secret variable)");
        var parameters = new Dictionary<string, JToken>(StringComparer.Ordinal);
        if (obj["params"] is { Type: not JTokenType.Null } p)
        {
            if (p is not JObject map) throw FlowLoader.Error(p, $"{where}.params must map parameter names to values");
            foreach (var (name, value) in map) parameters[name] = value!;
        }
        var mongoKeys = new[] { "database", "collection", "filter", "projection", "sort", "limit", "command" };
        if (engine != SqlEngine.MongoDb)
        {
            if (mongoKeys.FirstOrDefault(k => obj[k] != null) is { } stray)
                throw FlowLoader.Error(obj[stray]!, $"{where}.{stray}: only for engine mongodb (a SQL engine takes 'query')");
            var query = Text(obj, "query") ?? throw FlowLoader.Error(obj, $"{where}: 'query' is required");
            return new SqlSpec(engine, connection, query, parameters, null, Timeout(obj, where));
        }
        if (obj["query"] != null) throw FlowLoader.Error(obj["query"]!, $"{where}.query: engine mongodb takes 'collection' with 'filter', or 'command'");
        if (parameters.Count > 0) throw FlowLoader.Error(obj["params"]!, $"{where}.params: engine mongodb takes its values inside 'filter'");
        var database = Text(obj, "database") ?? throw FlowLoader.Error(obj, $"{where}: 'database' is required for mongodb");
        var collection = Text(obj, "collection");
        var command = JsonObject(obj, "command", where);
        if ((collection == null) == (command == null))
            throw FlowLoader.Error(obj, $"{where}: give one of 'collection' (a find, with 'filter') or 'command' (e.g. {{ ping: 1 }})");
        int? limit = null;
        if (obj["limit"] is { Type: not JTokenType.Null } l)
            limit = l.Type == JTokenType.Integer && l.Value<int>() > 0 ? l.Value<int>() : throw FlowLoader.Error(l, $"{where}.limit must be a positive whole number");
        return new SqlSpec(engine, connection, null, parameters,
            new MongoQuery(database, collection, JsonObject(obj, "filter", where), JsonObject(obj, "projection", where), JsonObject(obj, "sort", where), limit, command),
            Timeout(obj, where));
    }

    private static AwsSpec Aws(JToken token, string where)
    {
        var obj = Mapping(token, where, "service and operation, or a helper such as sqs.drained");
        FlowLoader.CheckKeys(obj, AwsKeys, where);
        var target = new AwsTarget(Text(obj, "profile"), Text(obj, "region"), Text(obj, "endpoint"));
        var helpers = AwsHelpers.Names.Where(h => obj[h] != null).ToList();
        var service = Text(obj, "service");
        var operation = Text(obj, "operation");
        if (helpers.Count > 1) throw FlowLoader.Error(obj, $"{where}: one helper per step ({string.Join(", ", helpers)} given)");
        if (helpers.Count == 1)
        {
            if (service != null || operation != null || obj["params"] != null)
                throw FlowLoader.Error(obj, $"{where}: a helper ({helpers[0]}) takes no service/operation/params");
            var args = obj[helpers[0]] is JObject a ? a : throw FlowLoader.Error(obj[helpers[0]]!, $"{where}.{helpers[0]} must be a mapping of its arguments");
            AwsHelpers.Validate(helpers[0], args, $"{where}.{helpers[0]}");
            return new AwsSpec(null, null, null, helpers[0], args, target, Timeout(obj, where));
        }
        if (service == null || operation == null)
            throw FlowLoader.Error(obj, $"{where}: give 'service' and 'operation' (e.g. sqs, get-queue-attributes), or a helper: {string.Join(", ", AwsHelpers.Names)}");
        if (!IsCliName(service) || !IsCliName(operation))
            throw FlowLoader.Error(obj, $"{where}: service and operation are the CLI's names, e.g. 'dynamodb' and 'get-item'");
        return new AwsSpec(service, operation, JsonObject(obj, "params", where), null, [], target, Timeout(obj, where));
    }

    private static KubeSpec Kube(JToken token, string where)
    {
        var obj = Mapping(token, where, "get, logs or exec");
        FlowLoader.CheckKeys(obj, KubeKeys, where);
        var actions = new[] { ("get", KubeAction.Get), ("logs", KubeAction.Logs), ("exec", KubeAction.Exec) }.Where(a => obj[a.Item1] != null).ToList();
        if (actions.Count != 1) throw FlowLoader.Error(obj, $"{where}: give exactly one of 'get' (RESOURCE), 'logs' (TARGET) or 'exec' (TARGET, with 'command')");
        var (key, action) = actions[0];
        var resource = Text(obj, key) ?? "";
        var selector = Text(obj, "selector");
        if (resource.Length == 0 && !(action == KubeAction.Logs && selector != null))
            throw FlowLoader.Error(obj[key]!, $"{where}.{key}: name what to {key}, e.g. deployment/api");
        if (selector != null && action == KubeAction.Exec) throw FlowLoader.Error(obj["selector"]!, $"{where}.selector: exec takes one TARGET (pod/NAME or deployment/NAME)");
        var command = obj["command"] is { Type: not JTokenType.Null } c ? StringList(c, $"{where}.command") : [];
        if (action == KubeAction.Exec && command.Count == 0) throw FlowLoader.Error(obj, $"{where}: exec needs 'command', e.g. [printenv, DATABASE_URL]");
        if (action != KubeAction.Exec && command.Count > 0) throw FlowLoader.Error(obj["command"]!, $"{where}.command: only for exec");
        if (obj["since"] != null && action != KubeAction.Logs) throw FlowLoader.Error(obj["since"]!, $"{where}.since: only for logs");
        var since = Text(obj, "since");
        if (since != null && !Variables.HasPlaceholder(since) && !Duration.TryParse(since, out _))
            throw FlowLoader.Error(obj["since"]!, $"{where}.since: '{since}' is not a duration (logs are read from the flow's start by default)");
        return new KubeSpec(action, resource, selector, Text(obj, "container"), command, since,
            Text(obj, "namespace"), Text(obj, "context"), Text(obj, "kubeconfig"), Timeout(obj, where));
    }

    private static bool IsCliName(string name) =>
        Variables.HasPlaceholder(name) || (name.Length > 0 && name.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'));

    internal static JObject Mapping(JToken token, string where, string what) =>
        token as JObject ?? throw FlowLoader.Error(token, $"{where} must be a mapping ({what})");

    internal static string? Text(JObject obj, string key) => obj[key] switch
    {
        null or { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.String or JTokenType.Integer or JTokenType.Float or JTokenType.Boolean } v =>
            Convert.ToString(v.Value, CultureInfo.InvariantCulture),
        var other => throw FlowLoader.Error(other, $"'{key}' must be text"),
    };

    private static JObject? JsonObject(JObject obj, string key, string where) => obj[key] switch
    {
        null or { Type: JTokenType.Null } => null,
        JObject o => o,
        var other => throw FlowLoader.Error(other, $"{where}.{key} must be a mapping"),
    };

    private static string? Timeout(JObject obj, string where)
    {
        var timeout = Text(obj, "timeout");
        if (timeout != null && !Variables.HasPlaceholder(timeout) && !Duration.TryParse(timeout, out _))
            throw FlowLoader.Error(obj["timeout"]!, $"{where}.timeout: '{timeout}' is not a duration (500ms, 2s, 1m...)");
        return timeout;
    }

    private static List<string> StringList(JToken token, string where) => token switch
    {
        JValue { Type: JTokenType.String or JTokenType.Integer or JTokenType.Float or JTokenType.Boolean } v => [Convert.ToString(v.Value, CultureInfo.InvariantCulture)!],
        JArray a => a.Select(item => item is JValue { Type: not JTokenType.Null } s
            ? Convert.ToString(s.Value, CultureInfo.InvariantCulture)!
            : throw FlowLoader.Error(item, $"{where}: entries must be text")).ToList(),
        _ => throw FlowLoader.Error(token, $"{where} must be a list of text"),
    };

    private static Dictionary<string, string> StringMap(JToken? token, string where)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (token == null || token.Type == JTokenType.Null) return map;
        if (token is not JObject obj) throw FlowLoader.Error(token, $"{where} must be a mapping");
        foreach (var (key, value) in obj)
            map[key] = value is JValue { Type: not JTokenType.Null } v
                ? Convert.ToString(v.Value, CultureInfo.InvariantCulture)!
                : throw FlowLoader.Error(value ?? obj, $"{where}.{key} must be text");
        return map;
    }
}
