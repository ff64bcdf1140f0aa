using System.Text.Json.Nodes;
using static Groundcrew.Core.JsonValues;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Reads `aws ecs describe-tasks` (stopCode, stoppedReason, each container's reason and exit code)
/// and `aws ecs describe-services` (service events, deployment rollout reasons).
/// </summary>
internal static class EcsReader
{
    public static bool LooksLikeTasks(JsonNode? root) =>
        root is JsonObject o && o["tasks"] is JsonArray tasks && tasks.All(t => Has(t, "taskArn"));

    public static bool LooksLikeServices(JsonNode? root) =>
        root is JsonObject o && o["services"] is JsonArray services && services.All(s => Has(s, "serviceName") || Has(s, "serviceArn"));

    public static IEnumerable<Observation> ReadTasks(string source, JsonNode? root)
    {
        foreach (var task in root!["tasks"]!.AsArray().OfType<JsonObject>())
        {
            var subject = $"task/{Last(Str(task["taskArn"]))}";
            if (Str(task["group"]) is { } group) subject += $" ({group})";
            var stopCode = Str(task["stopCode"]);
            var stoppedReason = Str(task["stoppedReason"]);
            if (stopCode != null || stoppedReason != null)
                yield return new Observation(ObservationKind.EcsTask, source, 0, subject, stopCode, null, stoppedReason ?? "");
            foreach (var c in task["containers"] as JsonArray ?? [])
            {
                var reason = Str(c!["reason"]);
                var exit = KubernetesObjectReader.ToInt(c!["exitCode"]);
                if (reason == null && exit is null or 0) continue;
                yield return new Observation(ObservationKind.EcsContainer, source, 0, $"{subject} container {Str(c!["name"])}",
                    null, exit, reason ?? "");
            }
        }
    }

    public static IEnumerable<Observation> ReadServices(string source, JsonNode? root)
    {
        foreach (var service in root!["services"]!.AsArray().OfType<JsonObject>())
        {
            var subject = $"service/{Str(service["serviceName"]) ?? Last(Str(service["serviceArn"]))}";
            foreach (var d in service["deployments"] as JsonArray ?? [])
                if (Str(d!["rolloutStateReason"]) is { } why && Str(d!["rolloutState"]) == "FAILED")
                    yield return new Observation(ObservationKind.ServiceEvent, source, 0, subject, null, null, why);
            foreach (var e in service["events"] as JsonArray ?? [])
                if (Str(e!["message"]) is { } message)
                    yield return new Observation(ObservationKind.ServiceEvent, source, 0, subject, null, null, message);
        }
    }

    private static string Last(string? arn) => arn?.Split('/').Last() ?? "?";
}
