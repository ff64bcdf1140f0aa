using Groundcrew.Verify.Flows;
using Newtonsoft.Json.Linq;

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
        JToken? root;
        try { root = YamlToJson.Parse(File.ReadAllText(path)); }
        catch (YamlDotNet.Core.YamlException ex) { throw new FlowFileException(ex.Message, (int)ex.Start.Line, path); }
        catch (FlowFileException ex) { throw ex.InFile(path); }
        if (root is not JObject obj || obj["verify"] is not JObject verify) return null;
        try { return Parse(verify, Path.GetFullPath(path)); }
        catch (FlowFileException ex) { throw ex.InFile(path); }
    }

    private static Flow? Parse(JObject verify, string file)
    {
        FlowLoader.CheckKeys(verify, VerifyKeys, "verify");
        if (verify["health"] is not JArray health || health.Count == 0) return null;
        var steps = new List<Step>();
        for (var i = 0; i < health.Count; i++)
        {
            var where = $"verify.health[{i}]";
            if (health[i] is not JObject entry) throw FlowLoader.Error(health[i], $"{where} must be a mapping with name and url");
            FlowLoader.CheckKeys(entry, EntryKeys, where);
            var request = new JObject();
            foreach (var key in new[] { "url", "method", "headers", "timeout", "insecure" })
                if (entry[key] != null) request[key] = entry[key]!.DeepClone();
            // A health check with no expectation still means something: it must answer 200.
            var expect = entry["expect"] is { } e ? FlowLoader.ParseExpectation(e, $"{where}.expect")
                : new Expectation(new JValue(200), new Dictionary<string, JToken>(), new Dictionary<string, JToken>(), null, null);
            PollSpec? poll = null;
            if (entry["wait"] != null)
            {
                var wait = entry["wait"]!.ToString();
                var interval = entry["interval"]?.ToString() ?? "2s";
                if (!wait.Contains("{{") && !Duration.TryParse(wait, out _)) throw FlowLoader.Error(entry["wait"]!, $"{where}.wait: '{wait}' is not a duration");
                poll = new PollSpec(expect, null, wait, interval);
            }
            var name = entry["name"]?.ToString() ?? $"health[{i}]";
            steps.Add(new Step(name, FlowLoader.ParseRequest(request, where), expect, [], poll, null, file, YamlToJson.LineOf(entry)));
        }
        var vars = verify["vars"] is JObject v ? v.Properties().ToDictionary(p => p.Name, p => p.Value) : new Dictionary<string, JToken>();
        var secrets = verify["secrets"] is JArray s ? s.Select(x => x.ToString()).ToList() : [];
        return new Flow("health", file, vars, secrets, steps);
    }
}
