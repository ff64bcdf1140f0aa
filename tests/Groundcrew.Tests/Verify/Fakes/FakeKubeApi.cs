using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Tests.Verify.Fakes;

/// <summary>
/// Just enough of a Kubernetes API server for the real `kubectl` binary: discovery, get of
/// Deployments, StatefulSets, DaemonSets and Pods, lists of pods and events with selectors, and pod
/// logs. A workload's status advances one scripted state per `get`, so a rollout progresses the
/// way it does on a cluster while kubectl polls it.
/// </summary>
public sealed class FakeKubeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (JObject[] States, int Calls)> _workloads = new();
    private readonly ConcurrentBag<JObject> _pods = [];
    private readonly ConcurrentBag<JObject> _events = [];
    private readonly ConcurrentDictionary<string, string> _logs = new();
    public ConcurrentQueue<string> Requests { get; } = new();
    public Uri BaseUrl { get; private set; } = null!;

    private static readonly Dictionary<string, (string Group, string Resource)> Kinds = new()
    {
        ["deployments"] = ("apps/v1", "Deployment"), ["statefulsets"] = ("apps/v1", "StatefulSet"), ["daemonsets"] = ("apps/v1", "DaemonSet"),
    };

    private FakeKubeApi()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Map("/{**path}", (Delegate)Handle);
    }

    public static async Task<FakeKubeApi> StartAsync()
    {
        var api = new FakeKubeApi();
        await api._app.StartAsync();
        api.BaseUrl = new Uri(api._app.Urls.First());
        return api;
    }

    /// <summary>Each `kubectl get` of this workload returns the next state; the last one repeats.</summary>
    public void Workload(string plural, string ns, string name, params JObject[] states) =>
        _workloads[$"{plural}/{ns}/{name}"] = (states, 0);

    public void Pod(JObject pod) => _pods.Add(pod);
    public void Event(JObject ev) => _events.Add(ev);
    public void Logs(string pod, string container, string text, bool previous = false) => _logs[$"{pod}/{container}/{previous}"] = text;

    public string WriteKubeconfig(string dir)
    {
        var path = Path.Combine(dir, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"}name: fake, cluster: {"{"}server: "{BaseUrl.ToString().TrimEnd('/')}"{"}"}{"}"}]
            contexts: [{"{"}name: fake, context: {"{"}cluster: fake, user: tester, namespace: shop{"}"}{"}"}]
            users: [{"{"}name: tester, user: {"{"}token: fake-token-for-tests{"}"}{"}"}]
            current-context: fake
            """);
        return path;
    }

    private readonly ConcurrentDictionary<string, bool> _hanging = new();

    /// <summary>Gets of this workload never answer, like an API server behind a dead network path.</summary>
    public void Hang(string plural, string ns, string name) => _hanging[$"{plural}/{ns}/{name}"] = true;

    private async Task<IResult> Handle(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value!.TrimEnd('/');
        Requests.Enqueue(ctx.Request.Method + " " + path + ctx.Request.QueryString);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (path)
        {
            case "/version": return Json(new JObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-fake" });
            case "/api": return Json(new JObject { ["kind"] = "APIVersions", ["versions"] = new JArray("v1") });
            case "/apis":
                return Json(new JObject
                {
                    ["kind"] = "APIGroupList", ["apiVersion"] = "v1",
                    ["groups"] = new JArray(new JObject
                    {
                        ["name"] = "apps",
                        ["versions"] = new JArray(new JObject { ["groupVersion"] = "apps/v1", ["version"] = "v1" }),
                        ["preferredVersion"] = new JObject { ["groupVersion"] = "apps/v1", ["version"] = "v1" },
                    }),
                });
            case "/api/v1":
                return Json(ResourceList("v1", ("pods", "Pod", "po"), ("events", "Event", "ev"), ("pods/log", "Pod", null)));
            case "/apis/apps/v1":
                return Json(ResourceList("apps/v1", ("deployments", "Deployment", "deploy"), ("statefulsets", "StatefulSet", "sts"), ("daemonsets", "DaemonSet", "ds")));
        }

        if (parts is ["api", "v1", "namespaces", var nsName])
            return Json(new JObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JObject { ["name"] = nsName }, ["status"] = new JObject { ["phase"] = "Active" } });

        // /apis/apps/v1/namespaces/{ns}/{plural}/{name}
        if (parts is ["apis", "apps", "v1", "namespaces", var ns, var plural, var name] && Kinds.ContainsKey(plural))
        {
            var key = $"{plural}/{ns}/{name}";
            if (_hanging.ContainsKey(key))
            {
                try { await Task.Delay(TimeSpan.FromSeconds(60), ctx.RequestAborted); } catch (OperationCanceledException) { }
                return Results.StatusCode(504);
            }
            if (!_workloads.TryGetValue(key, out var w)) return NotFound(plural, name);
            _workloads[key] = (w.States, w.Calls + 1);
            var state = (JObject)w.States[Math.Min(w.Calls, w.States.Length - 1)].DeepClone();
            state["apiVersion"] = "apps/v1";
            state["kind"] = Kinds[plural].Resource;
            return Json(state);
        }
        if (parts is ["api", "v1", "namespaces", var pns, "pods"])
        {
            var selector = ParseSelector(ctx.Request.Query["labelSelector"].ToString());
            var items = _pods.Where(p => (string?)p["metadata"]?["namespace"] == pns && Matches(p, selector));
            return Json(List("PodList", items));
        }
        if (parts is ["api", "v1", "namespaces", var gns, "pods", var podName])
            return _pods.FirstOrDefault(p => (string?)p["metadata"]?["name"] == podName && (string?)p["metadata"]?["namespace"] == gns) is { } pod
                ? Json(pod) : NotFound("pods", podName);
        if (parts is ["api", "v1", "namespaces", _, "pods", var logPod, "log"])
        {
            var previous = ctx.Request.Query["previous"] == "true";
            var container = ctx.Request.Query["container"].ToString();
            return _logs.TryGetValue($"{logPod}/{container}/{previous}", out var text)
                ? Results.Text(text, "text/plain")
                : Results.Text($"{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"previous terminated container \\\"{container}\\\" not found\",\"reason\":\"BadRequest\",\"code\":400}}", "application/json", statusCode: 400);
        }
        if (parts is ["api", "v1", "namespaces", var ens, "events"])
        {
            var field = ctx.Request.Query["fieldSelector"].ToString();
            var involved = field.StartsWith("involvedObject.name=") ? field["involvedObject.name=".Length..] : null;
            var items = _events.Where(e => (string?)e["metadata"]?["namespace"] == ens && (involved == null || (string?)e["involvedObject"]?["name"] == involved));
            return Json(List("EventList", items));
        }
        return NotFound("path", path);
    }

    private static JObject ResourceList(string groupVersion, params (string Name, string Kind, string? Short)[] resources) => new()
    {
        ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion,
        ["resources"] = new JArray(resources.Select(r => new JObject
        {
            ["name"] = r.Name, ["singularName"] = r.Name.Contains('/') ? "" : r.Kind.ToLowerInvariant(), ["namespaced"] = true, ["kind"] = r.Kind,
            ["verbs"] = new JArray("get", "list", "watch"), ["shortNames"] = r.Short == null ? new JArray() : new JArray(r.Short),
        })),
    };

    private static JObject List(string kind, IEnumerable<JObject> items) => new()
    {
        ["kind"] = kind, ["apiVersion"] = "v1", ["metadata"] = new JObject { ["resourceVersion"] = "1" }, ["items"] = new JArray(items),
    };

    private static Dictionary<string, string> ParseSelector(string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);

    private static bool Matches(JObject pod, Dictionary<string, string> selector) =>
        selector.All(kv => (string?)pod["metadata"]?["labels"]?[kv.Key] == kv.Value);

    private static IResult Json(JToken body) => Results.Text(body.ToString(), "application/json");

    private static IResult NotFound(string kind, string name) => Results.Text(new JObject
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "NotFound", ["code"] = 404,
        ["message"] = $"{kind} \"{name}\" not found", ["details"] = new JObject { ["name"] = name, ["kind"] = kind },
    }.ToString(), "application/json", statusCode: 404);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // Object builders, shaped like what the API server returns.

    public static JObject Deployment(string name, long generation, long observed, int desired, int replicas, int updated, int available,
        string? progressReason = null) => new()
    {
        ["metadata"] = new JObject { ["name"] = name, ["namespace"] = "shop", ["generation"] = generation },
        ["spec"] = new JObject { ["replicas"] = desired, ["selector"] = new JObject { ["matchLabels"] = new JObject { ["app"] = name } } },
        ["status"] = new JObject
        {
            ["observedGeneration"] = observed, ["replicas"] = replicas, ["updatedReplicas"] = updated, ["availableReplicas"] = available,
            ["readyReplicas"] = available,
            ["conditions"] = new JArray(new JObject
            {
                ["type"] = "Progressing", ["status"] = progressReason == "ProgressDeadlineExceeded" ? "False" : "True",
                ["reason"] = progressReason ?? "ReplicaSetUpdated",
                ["message"] = progressReason == "ProgressDeadlineExceeded" ? $"ReplicaSet \"{name}-7d9f\" has timed out progressing." : "progressing",
            }),
        },
    };

    public static JObject Pod(string name, string app, string container, JObject state, int restarts, bool ready, JObject? lastState = null) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Pod",
        ["metadata"] = new JObject { ["name"] = name, ["namespace"] = "shop", ["labels"] = new JObject { ["app"] = app } },
        ["spec"] = new JObject { ["containers"] = new JArray(new JObject { ["name"] = container, ["image"] = $"registry.example/{app}:2" }) },
        ["status"] = new JObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JArray(new JObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            ["containerStatuses"] = new JArray(new JObject
            {
                ["name"] = container, ["ready"] = ready, ["restartCount"] = restarts, ["state"] = state, ["lastState"] = lastState ?? new JObject(),
            }),
        },
    };

    public static JObject EventFor(string pod, string type, string reason, string message) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Event",
        ["metadata"] = new JObject { ["name"] = $"{pod}.{reason}", ["namespace"] = "shop" },
        ["involvedObject"] = new JObject { ["kind"] = "Pod", ["name"] = pod, ["namespace"] = "shop" },
        ["type"] = type, ["reason"] = reason, ["message"] = message,
    };
}
