using Groundcrew.Verify.Flows;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify;

/// <summary>
/// Reads only the `verify:` key of `.groundcrew.yaml` (the rest of that file belongs to other verbs):
/// health endpoints that `verify` checks when it is given no flow files.
/// <code>
/// verify:
///   vars: { api: "{{env.API_URL}}" }
///   secrets: [token]
///   health:
///     - name: api status
///       url: "{{api}}/api/status"
///       expect: { status: 200, json: { "$.backend.database_connected": true } }
///       wait: 30s          # keep trying while the service warms up
/// </code>
/// </summary>
public static class HealthConfig
{
    private static readonly HashSet<string> VerifyKeys = ["vars", "secrets", "health"];
    private static readonly HashSet<string> EntryKeys = ["name", "url", "method", "headers", "timeout", "insecure", "expect", "wait", "interval"];

    /// <returns>The health checks as a flow, or null when the file has no `verify.health` entries.</returns>
    public static Flow? Load(string path)
    {
        if (!File.Exists(path)) return null;
        JsonNode? root;
        try { root = YamlToJson.Parse(File.ReadAllText(path)); }
        catch (YamlDotNet.Core.YamlException ex) { throw new FlowFileException(ex.Message, (int)ex.Start.Line, path); }
        catch (FlowFileException ex) { throw ex.InFile(path); }
        if (root is not JsonObject obj || obj["verify"] is not JsonObject verify) return null;
        try { return Parse(verify, Path.GetFullPath(path)); }
        catch (FlowFileException ex) { throw ex.InFile(path); }
    }

    private static Flow? Parse(JsonObject verify, string file)
    {
        FlowLoader.CheckKeys(verify, VerifyKeys, "verify");
        if (verify["health"] is not JsonArray health || health.Count == 0) return null;
        var steps = new List<Step>();
        for (var i = 0; i < health.Count; i++)
        {
            var where = $"verify.health[{i}]";
            if (health[i] is not JsonObject entry) throw FlowLoader.Error(health[i] ?? health, $"{where} must be a mapping with name and url");
            FlowLoader.CheckKeys(entry, EntryKeys, where);
            var request = new JsonObject();
            foreach (var key in new[] { "url", "method", "headers", "timeout", "insecure" })
                if (entry.ContainsKey(key)) request[key] = YamlToJson.CopyWithLines(entry[key]);
            // A health check with no expectation still means something: it must answer 200.
            var expect = entry["expect"] is { } e ? FlowLoader.ParseExpectation(e, $"{where}.expect")
                : new Expectation(JsonValue.Create(200), new Dictionary<string, JsonNode?>(), new Dictionary<string, JsonNode?>(), null, null);
            PollSpec? poll = null;
            if (entry["wait"] is { } waitNode)
            {
                var wait = Text(waitNode);
                var interval = entry["interval"] is { } i2 ? Text(i2) : "2s";
                if (!wait.Contains("{{") && !Duration.TryParse(wait, out _)) throw FlowLoader.Error(waitNode, $"{where}.wait: '{wait}' is not a duration");
                poll = new PollSpec(expect, null, wait, interval);
            }
            var name = entry["name"] is { } n ? Text(n) : $"health[{i}]";
            steps.Add(new Step(name, FlowLoader.ParseRequest(request, where), expect, [], poll, null, file, YamlToJson.LineOf(entry)));
        }
        var vars = verify["vars"] is JsonObject v ? v.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, JsonNode?>();
        var secrets = verify["secrets"] is JsonArray s ? s.Where(x => x != null).Select(x => Text(x!)).ToList() : [];
        return new Flow("health", file, vars, secrets, steps);
    }

    // Json.NET's ToString(): a string itself, a number or boolean as text, anything else its JSON.
    private static string Text(JsonNode node) => FlowJson.IsScalar(node) ? FlowJson.ScalarText(node) : FlowJson.Compact(node);
}
