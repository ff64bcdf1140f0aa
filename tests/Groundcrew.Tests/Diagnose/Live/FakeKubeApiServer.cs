using Groundcrew.Tests.Support;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Tests.Diagnose.Live;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 that answers kubectl's discovery and the read calls diagnose
/// makes (pods, a deployment, events, previous logs) from recorded objects. It records every request
/// so tests can assert that diagnose only reads.
/// </summary>
public sealed class FakeKubeApiServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly JArray _pods;
    private readonly JArray _events;
    private readonly JObject _deployment;
    private readonly Dictionary<string, string> _previousLogs;

    public int Port { get; private set; }
    public ConcurrentQueue<string> Requests { get; } = new();

    public FakeKubeApiServer(JArray pods, JArray events, JObject deployment, Dictionary<string, string> previousLogs)
    {
        (_pods, _events, _deployment, _previousLogs) = (pods, events, deployment, previousLogs);
        // A probed free port can be taken before we bind it (tests run in parallel): retry on a fresh one.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try { _listener.Start(); break; }
            catch (HttpListenerException) when (attempt < 5) { _listener.Prefixes.Clear(); }
        }
        _ = Task.Run(Serve);
    }

    /// <summary>A kubeconfig in a temp folder pointing at this server, without credentials.</summary>
    public string WriteKubeconfig(string folder)
    {
        var path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: http://127.0.0.1:{Port}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: ftc-app
            current-context: fake
            users:
            - name: fake
              user: {"{}"}
            """);
        return path;
    }

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            try { Handle(context); }
            catch (Exception ex) { Reply(context, 500, Status(500, ex.Message)); }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.TrimEnd('/');
        var query = HttpUtility.ParseQueryString(request.Url.Query);
        Requests.Enqueue($"{request.HttpMethod} {path}{request.Url.Query}");
        if (request.HttpMethod != "GET") { Reply(context, 405, Status(405, "read-only fake")); return; }

        const string ns = "/api/v1/namespaces/ftc-app";
        switch (path)
        {
            case "/api":
                Reply(context, 200, new JObject { ["kind"] = "APIVersions", ["versions"] = new JArray("v1"),
                    ["serverAddressByClientCIDRs"] = new JArray(new JObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = $"127.0.0.1:{Port}" }) });
                return;
            case "/apis":
                Reply(context, 200, new JObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JArray(new JObject
                {
                    ["name"] = "apps",
                    ["versions"] = new JArray(new JObject { ["groupVersion"] = "apps/v1", ["version"] = "v1" }),
                    ["preferredVersion"] = new JObject { ["groupVersion"] = "apps/v1", ["version"] = "v1" },
                }) });
                return;
            case "/api/v1":
                Reply(context, 200, ResourceList("v1", ("pods", "pod", "Pod"), ("pods/log", "", "Pod"), ("events", "event", "Event")));
                return;
            case "/apis/apps/v1":
                Reply(context, 200, ResourceList("apps/v1", ("deployments", "deployment", "Deployment")));
                return;
            case ns + "/pods":
                var selector = query["labelSelector"];
                var pods = _pods.Where(p => selector is null || selector.Split(',').All(s =>
                    (string?)p["metadata"]?["labels"]?[s.Split('=')[0]] == s.Split('=')[1]));
                Reply(context, 200, new JObject { ["kind"] = "PodList", ["apiVersion"] = "v1", ["metadata"] = new JObject(), ["items"] = new JArray(pods) });
                return;
            case ns + "/events":
                var name = query["fieldSelector"]?.Split('=').Last();
                var events = _events.Where(e => name is null || (string?)e["involvedObject"]?["name"] == name);
                Reply(context, 200, new JObject { ["kind"] = "EventList", ["apiVersion"] = "v1", ["metadata"] = new JObject(), ["items"] = new JArray(events) });
                return;
            case "/apis/apps/v1/namespaces/ftc-app/deployments/" + "os-service":
                Reply(context, 200, _deployment);
                return;
        }
        // kubectl logs reads the pod first, to pick the container.
        if (path.StartsWith(ns + "/pods/") && _pods.FirstOrDefault(p => path == $"{ns}/pods/{p["metadata"]!["name"]}") is JObject single)
        {
            Reply(context, 200, single);
            return;
        }
        if (path.StartsWith(ns + "/pods/") && path.EndsWith("/log"))
        {
            var pod = path[(ns.Length + 6)..^4];
            if (query["previous"] == "true" && _previousLogs.TryGetValue(pod, out var log))
            {
                ReplyText(context, 200, log);
                return;
            }
            Reply(context, 400, Status(400, $"previous terminated container not found for pod {pod}"));
            return;
        }
        Reply(context, 404, Status(404, $"the server could not find the requested resource ({path})"));
    }

    private static JObject ResourceList(string groupVersion, params (string Name, string Singular, string Kind)[] resources) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JArray(resources.Select(r => new JObject
        {
            ["name"] = r.Name, ["singularName"] = r.Singular, ["namespaced"] = true, ["kind"] = r.Kind,
            ["verbs"] = new JArray("get", "list"),
        })),
    };

    private static JObject Status(int code, string message) => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["code"] = code,
    };

    private static void Reply(HttpListenerContext context, int status, JObject body) =>
        Write(context, status, "application/json", body.ToString());

    private static void ReplyText(HttpListenerContext context, int status, string text) => Write(context, status, "text/plain", text);

    private static void Write(HttpListenerContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    internal static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        LoopbackListener.Close(_listener);
    }
}
