using Newtonsoft.Json.Linq;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Reads Kubernetes objects (from `kubectl get -o json|yaml`, single objects or lists): pod container
/// states and conditions, events, and the failure conditions of Deployments and ReplicaSets.
/// </summary>
internal static class KubernetesObjectReader
{
    public static bool LooksLikeKubernetes(JToken root) =>
        root is JObject o && (o["kind"] != null && o["apiVersion"] != null || o["items"] is JArray);

    public static IEnumerable<Observation> Read(string source, JToken root)
    {
        foreach (var item in Objects(root))
        {
            var kind = (string?)item["kind"] ?? "";
            var result = kind switch
            {
                "Pod" => ReadPod(source, item),
                "Event" => ReadEvent(source, item),
                _ => ReadConditions(source, item, $"{kind.ToLowerInvariant()}/{Name(item)}"),
            };
            foreach (var o in result) yield return o;
        }
    }

    private static IEnumerable<JObject> Objects(JToken root)
    {
        if (root is JArray array)
        {
            foreach (var o in array.OfType<JObject>().SelectMany(i => Objects(i))) yield return o;
            yield break;
        }
        if (root is not JObject obj) yield break;
        if (obj["items"] is JArray items)
            foreach (var o in items.OfType<JObject>().SelectMany(i => Objects(i))) yield return o;
        else
            yield return obj;
    }

    private static string Name(JToken item) => (string?)item["metadata"]?["name"] ?? "?";

    private static IEnumerable<Observation> ReadPod(string source, JObject pod)
    {
        var subject = $"pod/{Name(pod)}";
        var status = pod["status"];
        if (status == null) yield break;
        if ((string?)status["reason"] is { } podReason)
            yield return new Observation(ObservationKind.Condition, source, 0, subject, podReason, null, (string?)status["message"] ?? "");
        foreach (var o in ReadConditions(source, pod, subject)) yield return o;
        var containers = (status["initContainerStatuses"] as JArray ?? []).Concat(status["containerStatuses"] as JArray ?? []);
        foreach (var c in containers)
        {
            var who = $"{subject} container {(string?)c["name"]}";
            foreach (var stateName in new[] { "state", "lastState" })
            {
                var state = c[stateName];
                if (state?["waiting"] is JObject waiting && (string?)waiting["reason"] is { } wr)
                    yield return new Observation(ObservationKind.Waiting, source, 0, who, wr, null, (string?)waiting["message"] ?? "");
                if (state?["terminated"] is JObject terminated)
                {
                    var exit = ToInt(terminated["exitCode"]);
                    if (exit is 0 or null && (string?)terminated["reason"] is "Completed" or null) continue;
                    yield return new Observation(ObservationKind.Terminated, source, 0, who, (string?)terminated["reason"], exit,
                        (string?)terminated["message"] ?? "");
                }
            }
        }
    }

    private static IEnumerable<Observation> ReadConditions(string source, JToken item, string subject)
    {
        if (item["status"]?["conditions"] is not JArray conditions) yield break;
        foreach (var c in conditions)
        {
            var failing = (string?)c["status"] == "False" || (string?)c["type"] == "ReplicaFailure";
            if (failing && (string?)c["reason"] is { } reason)
                yield return new Observation(ObservationKind.Condition, source, 0, subject, reason, null, (string?)c["message"] ?? "");
        }
    }

    private static IEnumerable<Observation> ReadEvent(string source, JObject ev)
    {
        // core/v1 events use involvedObject/message, events.k8s.io/v1 uses regarding/note.
        var target = ev["involvedObject"] ?? ev["regarding"];
        var subject = target == null ? "" : $"{((string?)target["kind"] ?? "").ToLowerInvariant()}/{(string?)target["name"]}";
        var message = (string?)ev["message"] ?? (string?)ev["note"] ?? "";
        yield return new Observation(ObservationKind.Event, source, 0, subject, (string?)ev["reason"], null, message);
    }

    internal static int? ToInt(JToken? token) =>
        token == null ? null : int.TryParse(token.ToString(), out var v) ? v : null;
}
