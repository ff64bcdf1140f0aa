using System.Collections.Concurrent;
using System.Net;
using Groundcrew.Tests.Support;
using System.Text;
using System.Text.Json.Nodes;
using Groundcrew.Tests.Diagnose.Live;

namespace Groundcrew.Tests.Live;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 for the inventory's cluster side: it answers kubectl's legacy discovery
/// (/api, /apis, each group version's resource list) for every kind the collector lists, and list calls, across all
/// namespaces or in one, from recorded objects. Anything but GET is refused and every request is recorded, so a
/// test can prove the collector only reads. (The verify tests' FakeKubeApi serves rollouts of one namespace; this one
/// serves the collector's cluster-wide lists.)
/// </summary>
public sealed class LoopbackKubeApi : IDisposable
{
    /// <summary>The kinds the collector lists: group version, plural, kind, namespaced.</summary>
    private static readonly (string GroupVersion, string Plural, string Kind, bool Namespaced)[] Kinds =
    [
        ("v1", "nodes", "Node", false), ("v1", "namespaces", "Namespace", false), ("v1", "serviceaccounts", "ServiceAccount", true),
        ("v1", "secrets", "Secret", true), ("v1", "configmaps", "ConfigMap", true), ("v1", "pods", "Pod", true),
        ("apps/v1", "deployments", "Deployment", true), ("apps/v1", "statefulsets", "StatefulSet", true), ("apps/v1", "daemonsets", "DaemonSet", true),
        ("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true), ("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
    ];

    private readonly HttpListener _listener;
    private readonly Dictionary<string, List<JsonObject>> _objects = Kinds.ToDictionary(k => k.Plural, _ => new List<JsonObject>());

    public int Port { get; private set; }
    public ConcurrentQueue<string> Requests { get; } = new();

    public LoopbackKubeApi()
    {
        (_listener, Port) = LoopbackListener.Start();
        _ = Task.Run(Serve);
    }

    /// <summary>Records an object (parsed from JSON as `kubectl get -o json` prints one) under its kind's plural.</summary>
    public void Add(string plural, string json) => _objects[plural].Add(JsonNode.Parse(json)!.AsObject());

    /// <summary>A kubeconfig in <paramref name="folder"/> pointing at this server, without credentials.</summary>
    public string WriteKubeconfig(string folder)
    {
        var path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: loopback
              cluster:
                server: http://127.0.0.1:{{Port}}
            contexts:
            - name: loopback
              context:
                cluster: loopback
                user: loopback
            current-context: loopback
            users:
            - name: loopback
              user: {}
            """);
        return path;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Handle(context); }
            catch (Exception ex) { Reply(context, 500, Status(500, ex.Message)); }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.TrimEnd('/');
        Requests.Enqueue($"{context.Request.HttpMethod} {path}");
        if (context.Request.HttpMethod != "GET") { Reply(context, 405, Status(405, "read-only loopback API")); return; }
        if (path == "/api") { Reply(context, 200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") }); return; }
        if (path == "/apis")
        {
            var groups = Kinds.Select(k => k.GroupVersion).Where(g => g.Contains('/')).Distinct().Select(gv => (JsonNode)new JsonObject
            {
                ["name"] = gv.Split('/')[0],
                ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = gv, ["version"] = gv.Split('/')[1] }),
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = gv, ["version"] = gv.Split('/')[1] },
            }).ToArray();
            Reply(context, 200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray(groups) });
            return;
        }
        foreach (var gv in Kinds.Select(k => k.GroupVersion).Distinct())
        {
            var root = gv == "v1" ? "/api/v1" : $"/apis/{gv}";
            if (path == root)
            {
                Reply(context, 200, ResourceList(gv));
                return;
            }
            if (!path.StartsWith(root + "/", StringComparison.Ordinal)) continue;
            // ROOT/PLURAL (all namespaces, or cluster-scoped) or ROOT/namespaces/NS/PLURAL.
            var rest = path[(root.Length + 1)..].Split('/');
            var (ns, plural) = rest is ["namespaces", var n, var p] ? (n, p) : rest is [var only] ? ((string?)null, only) : (null, "");
            if (Kinds.FirstOrDefault(k => k.GroupVersion == gv && k.Plural == plural) is { Kind: not null } kind)
            {
                var items = _objects[plural].Where(o => ns == null || (string?)o["metadata"]?["namespace"] == ns)
                    .Select(o => (JsonNode)WithType(o, kind.GroupVersion, kind.Kind)).ToArray();
                Reply(context, 200, new JsonObject
                {
                    ["kind"] = kind.Kind + "List", ["apiVersion"] = gv, ["metadata"] = new JsonObject { ["resourceVersion"] = "1000" }, ["items"] = new JsonArray(items),
                });
                return;
            }
        }
        Reply(context, 404, Status(404, $"the server could not find the requested resource ({path})"));
    }

    private static JsonObject WithType(JsonObject o, string apiVersion, string kind)
    {
        var copy = o.DeepClone().AsObject();
        copy["apiVersion"] = apiVersion;
        copy["kind"] = kind;
        return copy;
    }

    private static JsonObject ResourceList(string groupVersion) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JsonArray(Kinds.Where(k => k.GroupVersion == groupVersion).Select(k => (JsonNode)new JsonObject
        {
            ["name"] = k.Plural, ["singularName"] = k.Kind.ToLowerInvariant(), ["namespaced"] = k.Namespaced, ["kind"] = k.Kind,
            ["verbs"] = new JsonArray("get", "list"),
        }).ToArray()),
    };

    private static JsonObject Status(int code, string message) => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["code"] = code,
    };

    private static void Reply(HttpListenerContext context, int status, JsonObject body) =>
        LoopbackListener.Reply(context, status, "application/json", body.ToJsonString());

    public void Dispose()
    {
        LoopbackListener.Close(_listener);
    }
}
