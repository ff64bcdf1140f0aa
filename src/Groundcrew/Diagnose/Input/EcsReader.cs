using Newtonsoft.Json.Linq;

namespace Groundcrew.Diagnose.Input;

/// <summary>
/// Reads `aws ecs describe-tasks` (stopCode, stoppedReason, each container's reason and exit code)
/// and `aws ecs describe-services` (service events, deployment rollout reasons).
/// </summary>
internal static class EcsReader
{
    public static bool LooksLikeTasks(JToken root) =>
        root is JObject o && o["tasks"] is JArray tasks && tasks.All(t => t["taskArn"] != null);

    public static bool LooksLikeServices(JToken root) =>
        root is JObject o && o["services"] is JArray services && services.All(s => s["serviceName"] != null || s["serviceArn"] != null);

    public static IEnumerable<Observation> ReadTasks(string source, JToken root)
    {
        foreach (var task in root["tasks"]!.OfType<JObject>())
        {
            var subject = $"task/{Last((string?)task["taskArn"])}";
            if ((string?)task["group"] is { } group) subject += $" ({group})";
            var stopCode = (string?)task["stopCode"];
            var stoppedReason = (string?)task["stoppedReason"];
            if (stopCode != null || stoppedReason != null)
                yield return new Observation(ObservationKind.EcsTask, source, 0, subject, stopCode, null, stoppedReason ?? "");
            foreach (var c in task["containers"] as JArray ?? [])
            {
                var reason = (string?)c["reason"];
                var exit = KubernetesObjectReader.ToInt(c["exitCode"]);
                if (reason == null && exit is null or 0) continue;
                yield return new Observation(ObservationKind.EcsContainer, source, 0, $"{subject} container {(string?)c["name"]}",
                    null, exit, reason ?? "");
            }
        }
    }

    public static IEnumerable<Observation> ReadServices(string source, JToken root)
    {
        foreach (var service in root["services"]!.OfType<JObject>())
        {
            var subject = $"service/{(string?)service["serviceName"] ?? Last((string?)service["serviceArn"])}";
            foreach (var d in service["deployments"] as JArray ?? [])
                if ((string?)d["rolloutStateReason"] is { } why && (string?)d["rolloutState"] == "FAILED")
                    yield return new Observation(ObservationKind.ServiceEvent, source, 0, subject, null, null, why);
            foreach (var e in service["events"] as JArray ?? [])
                if ((string?)e["message"] is { } message)
                    yield return new Observation(ObservationKind.ServiceEvent, source, 0, subject, null, null, message);
        }
    }

    private static string Last(string? arn) => arn?.Split('/').Last() ?? "?";
}
