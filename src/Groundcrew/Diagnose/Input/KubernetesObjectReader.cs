using System.Text.Json.Nodes;
using static Groundcrew.Core.JsonValues;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Reads Kubernetes objects (from `kubectl get -o json|yaml`, single objects or lists): pod container
/// states and conditions, events, and the failure conditions of Deployments and ReplicaSets.
/// </summary>
internal static class KubernetesObjectReader
{
    public static bool LooksLikeKubernetes(JsonNode? root) =>
        root is JsonObject o && (Has(o, "kind") && Has(o, "apiVersion") || o["items"] is JsonArray);

    public static IEnumerable<Observation> Read(string source, JsonNode? root)
    {
        foreach (var item in Objects(root))
        {
            var kind = Str(item["kind"]) ?? "";
            var result = kind switch
            {
                "Pod" => ReadPod(source, item),
                "Event" => ReadEvent(source, item),
                _ => ReadConditions(source, item, $"{kind.ToLowerInvariant()}/{Name(item)}"),
            };
            foreach (var o in result) yield return o;
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? root)
    {
        if (root is JsonArray array)
        {
            foreach (var o in array.OfType<JsonObject>().SelectMany(i => Objects(i))) yield return o;
            yield break;
        }
        if (root is not JsonObject obj) yield break;
        if (obj["items"] is JsonArray items)
            foreach (var o in items.OfType<JsonObject>().SelectMany(i => Objects(i))) yield return o;
        else
            yield return obj;
    }

    private static string Name(JsonNode item) => Str(item["metadata"]?["name"]) ?? "?";

    private static IEnumerable<Observation> ReadPod(string source, JsonObject pod)
    {
        var subject = $"pod/{Name(pod)}";
        var status = pod["status"];
        if (status == null) yield break;
        if (Str(status["reason"]) is { } podReason)
            yield return new Observation(ObservationKind.Condition, source, 0, subject, podReason, null, Str(status["message"]) ?? "");
        foreach (var o in ReadConditions(source, pod, subject)) yield return o;
        var containers = (status["initContainerStatuses"] as JsonArray ?? []).Concat(status["containerStatuses"] as JsonArray ?? []);
        foreach (var c in containers)
        {
            var who = $"{subject} container {Str(c!["name"])}";
            foreach (var stateName in new[] { "state", "lastState" })
            {
                var state = c![stateName];
                if (state?["waiting"] is JsonObject waiting && Str(waiting["reason"]) is { } wr)
                    yield return new Observation(ObservationKind.Waiting, source, 0, who, wr, null, Str(waiting["message"]) ?? "");
                if (state?["terminated"] is JsonObject terminated)
                {
                    var exit = ToInt(terminated["exitCode"]);
                    if (exit is 0 or null && Str(terminated["reason"]) is "Completed" or null) continue;
                    yield return new Observation(ObservationKind.Terminated, source, 0, who, Str(terminated["reason"]), exit,
                        Str(terminated["message"]) ?? "");
                }
            }
        }
    }

    private static IEnumerable<Observation> ReadConditions(string source, JsonNode item, string subject)
    {
        if (item["status"]?["conditions"] is not JsonArray conditions) yield break;
        foreach (var c in conditions)
        {
            var failing = Str(c!["status"]) == "False" || Str(c!["type"]) == "ReplicaFailure";
            if (failing && Str(c!["reason"]) is { } reason)
                yield return new Observation(ObservationKind.Condition, source, 0, subject, reason, null, Str(c!["message"]) ?? "");
        }
    }

    private static IEnumerable<Observation> ReadEvent(string source, JsonObject ev)
    {
        // core/v1 events use involvedObject/message, events.k8s.io/v1 uses regarding/note.
        var target = ev["involvedObject"] ?? ev["regarding"];
        var subject = target == null ? "" : $"{(Str(target["kind"]) ?? "").ToLowerInvariant()}/{Str(target["name"])}";
        var message = Str(ev["message"]) ?? Str(ev["note"]) ?? "";
        yield return new Observation(ObservationKind.Event, source, 0, subject, Str(ev["reason"]), null, message);
    }

    internal static int? ToInt(JsonNode? token) => Int(token);
}
