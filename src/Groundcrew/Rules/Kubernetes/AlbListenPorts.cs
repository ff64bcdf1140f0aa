using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// An Ingress for the AWS Load Balancer Controller whose `alb.ingress.kubernetes.io/listen-ports` is not what the controller
/// parses: a JSON list of `{"HTTP"|"HTTPS": port}` objects (Go `[]map[string]int64`, ports 1-65535). The controller then
/// builds no load balancer for the Ingress at all (`Failed build model due to failed to parse json annotation`). Also an
/// unquoted YAML list or number, which is not even a string: the API server rejects the object, since annotation values are
/// strings. Ingresses another controller serves are skipped; when the class is unknown the annotation still says the
/// AWS controller is meant to read it.
/// Reported by <see cref="AlbHttpsWithoutCertificate"/> (id alb-https-without-certificate): both are "the controller cannot
/// build this Ingress's listeners", and peers' fixtures for the controller's listen-ports parser name that rule.
/// </summary>
internal static class AlbListenPorts
{
    public const string Fix = "Write the value as a quoted string of JSON: `alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'` (protocol HTTP or HTTPS in capitals, port a number 1-65535).";

    private const string Key = AlbHttpsWithoutCertificate.Prefix + "listen-ports";

    /// <summary>What is wrong with the Ingress's listen-ports value, at its node; nothing when it parses or is absent.</summary>
    public static IEnumerable<(Node At, string Message)> Problems(Resource ing)
    {
        if (ing.Metadata?.GetMap("annotations")?[Key] is not { } node) yield break;
        var where = $"{Key} on Ingress/{ing.Name}";
        switch (node)
        {
            case SeqNode or MapNode:
                // `listen-ports: [{"HTTP": 80}]` without quotes is a YAML list: kubectl cannot put it in a map of strings.
                yield return (node, $"{where} is an unquoted YAML {(node is SeqNode ? "list" : "map")}, not a string: annotation values are strings, so the API server rejects the Ingress (`cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type string`)");
                yield break;
            case ScalarNode { IsNull: true }:
                yield break; // `listen-ports:` with no value: the controller uses its default (HTTP 80)
            case ScalarNode s:
                if (KubeSupport.IsPlaceholder(s.Value)) yield break;
                var (_, _, error) = AlbHttpsWithoutCertificate.ParseListenPorts(s.Value);
                if (error == null) yield break;
                var unquoted = s.Kind == ScalarKind.Plain && (long.TryParse(s.Value, out _) || s.Value is "true" or "false")
                    ? "; and unquoted, YAML reads it as a number or bool, which the API server rejects (annotation values are strings)" : "";
                yield return (s, $"{where}: {error}{unquoted}: the controller reads a JSON list of {{\"HTTP\"|\"HTTPS\": port}} objects, and without one it builds no load balancer for this Ingress");
                yield break;
        }
    }
}
