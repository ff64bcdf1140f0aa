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
/// </summary>
public sealed class AlbListenPortsNotJson : Rule
{
    public override string Title => "ALB listen-ports annotation is not valid JSON";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`Failed build model due to failed to parse json annotation, alb.ingress.kubernetes.io/listen-ports: [{HTTP: 80}]: invalid character 'H' looking for beginning of object key string` (no load balancer is built)";
    public override string Fix => "Write the value as a quoted string of JSON: `alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'` (protocol HTTP or HTTPS in capitals, port a number 1-65535).";

    private const string Key = AlbHttpsWithoutCertificate.Prefix + "listen-ports";

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        foreach (var ing in model.OfKind("Ingress"))
        {
            if (ing.Family != ResourceFamily.Kubernetes) continue;
            if (ing.Metadata?.GetMap("annotations")?[Key] is not { } node) continue;
            if (AlbHttpsWithoutCertificate.Classify(ing, model).IsAlb == false) continue;
            var where = $"{Key} on Ingress/{ing.Name}";
            switch (node)
            {
                case SeqNode or MapNode:
                    // `listen-ports: [{"HTTP": 80}]` without quotes is a YAML list: kubectl cannot put it in a map of strings.
                    yield return At(node, $"{where} is an unquoted YAML {(node is SeqNode ? "list" : "map")}, not a string: annotation values are strings, so the API server rejects the Ingress (`cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type string`)");
                    continue;
                case ScalarNode { IsNull: true }:
                    continue; // `listen-ports:` with no value: the controller uses its default (HTTP 80)
                case ScalarNode s:
                    if (KubeSupport.IsPlaceholder(s.Value)) continue;
                    var (_, _, error) = AlbHttpsWithoutCertificate.ParseListenPorts(s.Value);
                    if (error == null) continue;
                    var unquoted = s.Kind == ScalarKind.Plain && (long.TryParse(s.Value, out _) || s.Value is "true" or "false")
                        ? "; and unquoted, YAML reads it as a number or bool, which the API server rejects (annotation values are strings)" : "";
                    yield return At(s, $"{where}: {error}{unquoted}: the controller reads a JSON list of {{\"HTTP\"|\"HTTPS\": port}} objects, and without one it builds no load balancer for this Ingress");
                    continue;
            }
        }
    }
}
