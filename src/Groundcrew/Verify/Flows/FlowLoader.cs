using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>
/// Reads flow files. Strict on purpose: an unknown key is an error, because a misspelt
/// `expcet:` that is silently ignored turns a failing check into a passing one.
/// </summary>
public static class FlowLoader
{
    private static readonly HashSet<string> FlowKeys = ["name", "description", "vars", "secrets", "include", "defaults", "steps"];
    private static readonly HashSet<string> DefaultsKeys = ["headers"];
    private static readonly HashSet<string> StepKeys = ["name", "request", "exec", "sql", "aws", "kube", "expect", "capture", "poll", "target", "include"];
    private static readonly HashSet<string> RequestKeys = ["method", "url", "headers", "query", "json", "body", "form", "timeout", "insecure"];
    private static readonly HashSet<string> ExpectKeys = ["status", "headers", "json", "body", "durationMs", "exitCode", "stdout", "stderr", "rowCount"];
    private static readonly HashSet<string> PollKeys = ["until", "failWhen", "timeout", "interval"];
    private static readonly HashSet<string> TargetKeys = ["kube", "namespace", "context"];
    private static readonly HashSet<string> CaptureKeys = ["json", "header", "regex"];

    public static Flow Load(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = LoadParts(full, new Stack<string>());
        return new Flow(parts.Name ?? Path.GetFileNameWithoutExtension(full), full, parts.Vars, parts.Secrets, parts.Steps);
    }

    /// <summary>Parse a single expectation block, for callers (like the health config) that are not flow files.</summary>
    public static Expectation ParseExpectation(JsonNode token, string where) => Expectation(token, where);

    public static RequestSpec ParseRequest(JsonNode token, string where) => Request(token, where);

    private sealed record Parts(string? Name, Dictionary<string, JsonNode?> Vars, List<string> Secrets, List<Step> Steps);

    // At the end of a stream YamlDotNet marks a line after the last one (as if a line break followed), so an error in
    // a file that ends inside a flow mapping named a line the file does not have (found by the flow fuzz target).
    private static int LineInside(string text, int line) => Math.Clamp(line, 1, text.Count(c => c == '\n') + 1);

    private static Parts LoadParts(string file, Stack<string> including)
    {
        if (including.Contains(file))
            throw new FlowFileException($"include cycle: {string.Join(" -> ", including.Reverse().Append(file).Select(Path.GetFileName))}", null, file);
        if (!File.Exists(file))
            throw new FlowFileException("file not found", null, file);
        including.Push(file);
        try
        {
            JsonNode? root;
            var text = File.ReadAllText(file);
            try { root = YamlToJson.Parse(text); }
            catch (YamlDotNet.Core.YamlException ex) { throw new FlowFileException(ex.Message, LineInside(text, (int)ex.Start.Line), file); }
            catch (FlowFileException ex) { throw ex.InFile(file); }
            if (root is not JsonObject obj) throw new FlowFileException("a flow file must be a mapping with 'steps'", null, file);
            try { return Parse(obj, file, including); }
            catch (FlowFileException ex) { throw ex.InFile(file); }
        }
        finally { including.Pop(); }
    }

    private static Parts Parse(JsonObject obj, string file, Stack<string> including)
    {
        CheckKeys(obj, FlowKeys, "flow");
        var name = OptionalString(obj, "name");
        var parts = new Parts(name, new Dictionary<string, JsonNode?>(), [], []);

        // Included files come first: their vars are defaults the including file may override,
        // and their steps (a login, say) run before this file's steps.
        foreach (var include in StringList(obj["include"], "include"))
            Merge(parts, LoadParts(ResolveInclude(file, include), including));

        if (obj["vars"] is { } vars)
        {
            if (vars is not JsonObject varMap) throw Error(vars, "'vars' must be a mapping of name: value");
            foreach (var (key, value) in varMap) parts.Vars[key] = value;
        }
        foreach (var secret in StringList(obj["secrets"], "secrets"))
            if (!parts.Secrets.Contains(secret)) parts.Secrets.Add(secret);

        // Defaults apply to this file's own steps only: an included login step must not send
        // the Authorization header that needs the token it is about to capture.
        IReadOnlyDictionary<string, string> defaultHeaders = new Dictionary<string, string>();
        if (obj["defaults"] is JsonObject defaults)
        {
            CheckKeys(defaults, DefaultsKeys, "defaults");
            defaultHeaders = StringMap(defaults["headers"], "defaults.headers");
        }
        else if (obj["defaults"] is { } bad) throw Error(bad, "'defaults' must be a mapping (headers)");

        if (obj["steps"] is not JsonArray steps)
        {
            if (parts.Steps.Count > 0 && !obj.ContainsKey("steps")) return parts;
            throw Error(obj["steps"] ?? obj, "'steps' must be a list of steps");
        }
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not JsonObject step) throw Error(steps[i] ?? steps, $"steps[{i}] must be a mapping");
            if (step.ContainsKey("include"))
            {
                if (step.Count != 1) throw Error(step, $"steps[{i}]: a step with 'include' must have nothing else");
                foreach (var include in StringList(step["include"], "include"))
                {
                    var included = LoadParts(ResolveInclude(file, include), including);
                    Merge(parts, included, overrideVars: false);
                }
                continue;
            }
            var parsed = ParseStep(step, $"steps[{i}]", file);
            if (defaultHeaders.Count > 0 && parsed.Request != null)
            {
                var headers = new Dictionary<string, string>(defaultHeaders, StringComparer.OrdinalIgnoreCase);
                foreach (var (k, v) in parsed.Request!.Headers) headers[k] = v;
                parsed = parsed with { Request = parsed.Request with { Headers = headers } };
            }
            parts.Steps.Add(parsed);
        }
        return parts;
    }

    private static void Merge(Parts into, Parts from, bool overrideVars = true)
    {
        foreach (var (key, value) in from.Vars)
            if (overrideVars || !into.Vars.ContainsKey(key)) into.Vars[key] = value;
        foreach (var secret in from.Secrets)
            if (!into.Secrets.Contains(secret)) into.Secrets.Add(secret);
        var prefix = from.Name is { Length: > 0 } ? from.Name + " / " : "";
        into.Steps.AddRange(from.Steps.Select(s => s with { Name = prefix + s.Name }));
    }

    private static string ResolveInclude(string file, string include) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, include));

    private static Step ParseStep(JsonObject step, string where, string file)
    {
        CheckKeys(step, StepKeys, where);
        var name = OptionalString(step, "name") ?? where;
        var kinds = new[] { "request" }.Concat(Steps.ProbeLoader.Kinds).Where(step.ContainsKey).ToList();
        if (kinds.Count != 1)
            throw Error(step, kinds.Count == 0
                ? $"{where}: 'request' is required, or one of the other step kinds: 'exec', 'sql', 'aws', 'kube'"
                : $"{where}: one kind per step ({string.Join(", ", kinds)} given)");
        var kind = kinds[0];
        var probe = kind == "request" ? null : Steps.ProbeLoader.Parse(kind, step[kind], $"{where}.{kind}", step);
        if (probe != null && step.ContainsKey("target")) throw Error(step, "target", $"{where}.target: only for 'request' steps (a kube step names its own target)");
        var allowed = Steps.ProbeLoader.ExpectKeys(kind);
        foreach (var block in new[] { step["expect"], (step["poll"] as JsonObject)?["until"], (step["poll"] as JsonObject)?["failWhen"] })
            if (block is JsonObject expectation)
                foreach (var (property, _) in expectation)
                    if (ExpectKeys.Contains(property) && !allowed.Contains(property))
                        throw new FlowFileException($"{where}: '{property}' does not apply to a {kind} step (it has: {string.Join(", ", allowed)})",
                            YamlToJson.LineOf(expectation, property));

        var builtIn = probe != null ? Steps.ProbeLoader.BuiltInCondition(probe) : null;
        var poll = step["poll"] is { } p ? Poll(p, $"{where}.poll", builtIn) : null;
        var expect = step["expect"] is { } e ? Expectation(e, $"{where}.expect") : null;
        if (poll == null && expect == null) expect = builtIn;
        if (probe != null && Steps.ProbeLoader.ChecksExitCode(probe))
        {
            // A command that exits non-zero fails unless the flow says which exit code it wants.
            var mentioned = new[] { expect, poll?.Until, poll?.FailWhen }.Any(x => x?.ExitCode != null);
            if (!mentioned)
            {
                if (poll != null) poll = poll with { Until = poll.Until with { ExitCode = JsonValue.Create(0) } };
                else expect = (expect ?? EmptyExpectation) with { ExitCode = JsonValue.Create(0) };
            }
        }
        return new Step(
            name,
            probe == null ? Request(step["request"] ?? (JsonNode)step, $"{where}.request", step["request"] == null) : null,
            expect,
            Captures(step["capture"], $"{where}.capture"),
            poll,
            step["target"] is { } t ? Target(t, $"{where}.target") : null,
            file,
            YamlToJson.LineOf(step),
            probe);
    }

    private static readonly Expectation EmptyExpectation = new(null, new Dictionary<string, JsonNode?>(), new Dictionary<string, JsonNode?>(), null, null);

    private static RequestSpec Request(JsonNode token, string where, bool isNull = false)
    {
        if (isNull || token is not JsonObject obj) throw Error(token, $"{where} must be a mapping with at least 'url'");
        CheckKeys(obj, RequestKeys, where);
        var url = OptionalString(obj, "url") ?? throw Error(obj, $"{where}: 'url' is required");
        var method = (OptionalString(obj, "method") ?? "GET").ToUpperInvariant();
        var bodies = new[] { "json", "body", "form" }.Count(obj.ContainsKey);
        if (bodies > 1) throw Error(obj, $"{where}: use only one of 'json', 'body' and 'form'");
        var timeout = OptionalString(obj, "timeout");
        CheckDuration(obj["timeout"], timeout, $"{where}.timeout");
        return new RequestSpec(
            method, url,
            StringMap(obj["headers"], $"{where}.headers"),
            StringMap(obj["query"], $"{where}.query"),
            obj["json"],
            OptionalString(obj, "body"),
            obj.ContainsKey("form") ? StringMap(obj["form"], $"{where}.form") : null,
            timeout,
            FlowJson.Bool(obj["insecure"]));
    }

    private static Expectation Expectation(JsonNode token, string where)
    {
        if (token is not JsonObject obj) throw Error(token, $"{where} must be a mapping (status, headers, json, body, durationMs)");
        CheckKeys(obj, ExpectKeys, where);
        var json = new Dictionary<string, JsonNode?>();
        if (obj["json"] is { } j)
        {
            if (j is not JsonObject jsonMap) throw Error(j, $"{where}.json must map JSONPath expressions to expected values");
            foreach (var (path, expected) in jsonMap)
            {
                if (!path.StartsWith('$')) throw Error(jsonMap, path, $"{where}.json: '{path}' is not a JSONPath (it must start with '$')");
                ValidateJsonPath(path, jsonMap, path, $"{where}.json");
                Matcher.Validate(expected, $"{where}.json['{path}']");
                json[path] = expected;
            }
        }
        var headers = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        if (obj["headers"] is { } h)
        {
            if (h is not JsonObject headerMap) throw Error(h, $"{where}.headers must map header names to expected values");
            foreach (var (header, expected) in headerMap)
            {
                Matcher.Validate(expected, $"{where}.headers['{header}']");
                headers[header] = expected;
            }
        }
        if (obj["status"] is { } status) Matcher.Validate(status, $"{where}.status");
        if (obj["body"] is { } body) Matcher.Validate(body, $"{where}.body");
        if (obj["durationMs"] is { } duration) Matcher.Validate(duration, $"{where}.durationMs");
        foreach (var key in new[] { "exitCode", "stdout", "stderr", "rowCount" })
            if (obj[key] is { } value) Matcher.Validate(value, $"{where}.{key}");
        return new Expectation(obj["status"], headers, json, obj["body"], obj["durationMs"],
            obj["exitCode"], obj["stdout"], obj["stderr"], obj["rowCount"]);
    }

    private static List<CaptureSpec> Captures(JsonNode? token, string where)
    {
        var captures = new List<CaptureSpec>();
        if (token == null) return captures;
        if (token is not JsonObject obj) throw Error(token, $"{where} must map variable names to JSONPath expressions or capture specs");
        foreach (var (name, spec) in obj)
        {
            switch (spec)
            {
                case JsonValue v when FlowJson.IsString(v) && v.GetValue<string>().StartsWith('$'):
                    ValidateJsonPath(v.GetValue<string>(), obj, name, $"{where}.{name}");
                    captures.Add(new CaptureSpec(name, CaptureSource.Json, v.GetValue<string>(), null));
                    break;
                case JsonObject o:
                    CheckKeys(o, CaptureKeys, $"{where}.{name}");
                    var regex = OptionalString(o, "regex");
                    if (regex != null) ValidateRegex(regex, o["regex"], $"{where}.{name}.regex");
                    if (OptionalString(o, "json") is { } path) captures.Add(new CaptureSpec(name, CaptureSource.Json, path, regex));
                    else if (OptionalString(o, "header") is { } header) captures.Add(new CaptureSpec(name, CaptureSource.Header, header, regex));
                    else if (regex != null) captures.Add(new CaptureSpec(name, CaptureSource.Body, "", regex));
                    else throw Error(o, $"{where}.{name}: give one of 'json', 'header' or 'regex'");
                    break;
                default:
                    throw Error(obj, name, $"{where}.{name}: use a JSONPath string ('$.id') or a mapping with json/header/regex");
            }
        }
        return captures;
    }

    private static PollSpec Poll(JsonNode token, string where, Expectation? builtIn = null)
    {
        if (token is not JsonObject obj) throw Error(token, $"{where} must be a mapping with 'until'");
        CheckKeys(obj, PollKeys, where);
        // A helper such as sqs.drained carries its own condition, so its poll may leave 'until' out.
        var until = obj["until"] is { } u ? Expectation(u, $"{where}.until")
            : builtIn ?? throw Error(obj, $"{where}: 'until' is required (the condition to wait for)");
        var timeout = OptionalString(obj, "timeout") ?? "60s";
        var interval = OptionalString(obj, "interval") ?? "2s";
        CheckDuration(obj["timeout"], timeout, $"{where}.timeout");
        CheckDuration(obj["interval"], interval, $"{where}.interval");
        return new PollSpec(
            until,
            obj["failWhen"] is { } f ? Expectation(f, $"{where}.failWhen") : null,
            timeout, interval);
    }

    private static KubeTarget Target(JsonNode token, string where)
    {
        if (token is not JsonObject obj) throw Error(token, $"{where} must be a mapping with 'kube'");
        CheckKeys(obj, TargetKeys, where);
        var kube = OptionalString(obj, "kube") ?? throw Error(obj, $"{where}: 'kube' is required, e.g. svc/orders:8080");
        var colon = kube.LastIndexOf(':');
        if (colon <= 0 || colon == kube.Length - 1)
            throw Error(obj["kube"]!, $"{where}.kube: '{kube}' needs a port, e.g. svc/orders:8080");
        return new KubeTarget(kube[..colon], kube[(colon + 1)..], OptionalString(obj, "namespace"), OptionalString(obj, "context"));
    }

    private static void CheckDuration(JsonNode? token, string? text, string where)
    {
        if (text == null || text.Contains("{{")) return; // resolved when the step runs
        if (!Duration.TryParse(text, out _))
            throw Error(token, $"{where}: '{text}' is not a duration (use 500ms, 2s, 1m, 1m30s)");
    }

    /// <summary>Syntax errors in a JSONPath are found now, not on the first response minutes into a run.</summary>
    private static void ValidateJsonPath(string path, JsonObject parent, string key, string where)
    {
        if (Variables.HasPlaceholder(path)) return;
        try { JsonPath.Validate(path); }
        catch (JsonPathException ex) { throw Error(parent, key, $"{where}: invalid JSONPath '{path}': {ex.Message}"); }
    }

    private static void ValidateRegex(string pattern, JsonNode? token, string where)
    {
        try { _ = new System.Text.RegularExpressions.Regex(pattern); }
        catch (ArgumentException ex) { throw Error(token, $"{where}: invalid regular expression: {ex.Message}"); }
    }

    internal static void CheckKeys(JsonObject obj, HashSet<string> allowed, string where)
    {
        foreach (var (property, _) in obj)
            if (!allowed.Contains(property))
                throw new FlowFileException($"{where}: unknown key '{property}' (expected one of: {string.Join(", ", allowed)})",
                    YamlToJson.LineOf(obj, property));
    }

    private static string? OptionalString(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonValue v => FlowJson.ScalarText(v),
        var other => throw Error(other, $"'{key}' must be text"),
    };

    private static IReadOnlyDictionary<string, string> StringMap(JsonNode? token, string where)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (token == null) return map;
        if (token is not JsonObject obj) throw Error(token, $"{where} must be a mapping");
        foreach (var (key, value) in obj)
            map[key] = value is JsonValue v
                ? FlowJson.ScalarText(v)
                : throw Error(obj, key, $"{where}.{key} must be text");
        return map;
    }

    private static List<string> StringList(JsonNode? token, string where) => token switch
    {
        null => [],
        JsonValue v when FlowJson.IsString(v) => [v.GetValue<string>()],
        JsonArray a => a.Select(item => FlowJson.IsString(item) ? item!.GetValue<string>() : throw Error(item ?? a, $"'{where}' entries must be text")).ToList(),
        _ => throw Error(token, $"'{where}' must be a list"),
    };

    internal static FlowFileException Error(JsonNode? token, string message) => new(message, YamlToJson.LineOf(token));

    /// <summary>An error about a mapping's value, at the value's line (its key's when the value is null).</summary>
    internal static FlowFileException Error(JsonObject parent, string key, string message) => new(message, YamlToJson.ValueLine(parent, key));
}
