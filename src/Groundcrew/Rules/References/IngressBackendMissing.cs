using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// An Ingress backend naming a Service the namespace does not have (unknown: a note unless the config says the
/// files are complete) or a port the Service does not expose (contradicted: an error). Covers networking.k8s.io/v1
/// (service.name, port.number|name, defaultBackend) and the v1beta1 shape (serviceName, servicePort, spec.backend).
/// </summary>
public sealed class IngressBackendMissing : Rule
{
    public override string Title => "Ingress backend Service or port does not exist";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "ingress-nginx: \"service default/api does not have any active endpoints\" / \"service not found\" (HTTP 503); AWS Load Balancer Controller: \"unable to find port 8080 on service default/api\"";
    public override string Fix => "Point the backend at a Service in the Ingress's namespace and at a port it lists in spec.ports (by `port` number or by `name`).";

    private sealed record Backend(Node At, ScalarNode? ServiceNode, string ServiceName, ScalarNode? PortNode, bool PortIsName);

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var ingresses = model.OfKind("Ingress").Where(ReferenceFacts.IsIngress).ToList();
        if (ingresses.Count == 0) yield break;
        // (namespace, name) -> Services; several overlays may render the same one.
        var services = new Dictionary<(string?, string), List<Resource>>();
        foreach (var s in model.OfKind("Service").Where(ReferenceFacts.IsCoreService))
        {
            if (!services.TryGetValue((s.Namespace, s.Name), out var l)) services[(s.Namespace, s.Name)] = l = new List<Resource>(1);
            l.Add(s);
        }
        Dictionary<string, List<Resource>>? byName = null;

        foreach (var ing in ingresses)
        {
            var isV1 = ing.ApiVersion == "networking.k8s.io/v1";
            foreach (var (backend, problem) in Backends(ing, isV1))
            {
                if (problem != null) { yield return At(backend, problem); continue; }
                var b = Parse(backend, isV1);
                if (b == null || Rules.Values.Placeholders.IsTemplated(b.ServiceName)) continue; // a templated name: unknown
                // AWS Load Balancer Controller actions: `use-annotation` names an action, not a Service.
                if (b.PortNode?.Value == ReferenceFacts.AlbActionPort || ing.Annotations.ContainsKey(ReferenceFacts.AlbActionPrefix + b.ServiceName)) continue;

                var at = (Node?)b.ServiceNode ?? backend;
                if (isV1 && backend.GetMap("service") is { } service && service.GetMap("port") is var portMap && portMap?["number"] == null && portMap?["name"] == null)
                {
                    // networking/v1 validation (validateIngressServiceBackend): a service backend needs port.number or port.name.
                    yield return At(at, $"Ingress {ing.Name} routes to Service {b.ServiceName} without a port: networking.k8s.io/v1 needs service.port.number or service.port.name, so the API server rejects the Ingress (`port name or number is required`)",
                        "Add `port: {number: N}` (or `port: {name: NAME}`) with a port the Service lists in spec.ports.");
                    continue;
                }
                if (!services.TryGetValue((ing.Namespace, b.ServiceName), out var candidates))
                {
                    byName ??= ReferenceFacts.ByName(model.OfKind("Service").Where(ReferenceFacts.IsCoreService));
                    if (ReferenceFacts.InAnotherNamespaceImplicitly(byName, b.ServiceName, ing, ing.Namespace) is { } elsewhere)
                    {
                        yield return At(at, $"Ingress {ing.Name} routes to Service {b.ServiceName} in namespace {ing.Namespace}, which is defined for namespace {elsewhere.Namespace}; one of them sets no namespace, so this holds only if both are applied to the same one",
                            related: [new RelatedLocation(elsewhere.Anchor, $"Service {b.ServiceName} is defined here")]) with { Severity = Severity.Note };
                        continue;
                    }
                    var msg = $"Ingress {ing.Name} routes to Service {b.ServiceName} (namespace {ing.Namespace}), which is not defined in the scanned files";
                    msg += model.Complete ? "; the configuration says they are complete, so this path returns 503" : "; defined outside the scanned files? (set `complete: true` in .groundcrew.yaml to make this an error)";
                    yield return At(at, msg) with { Severity = ReferenceFacts.UnknownSeverity(model) };
                    continue;
                }
                if (b.PortNode?.Value is not { Length: > 0 } port) continue;
                if (candidates.Count > 1) // one candidate stays the candidate either way
                {
                    var same = candidates.Where(s => s.RenderedFrom == ing.RenderedFrom).ToList();
                    if (same.Count > 0) candidates = same;
                }
                if (candidates.Any(s => Exposes(s, port, b.PortIsName))) continue;
                var svc = candidates[0];
                var ports = (svc.Spec?.GetSeq("ports")?.Maps ?? []).Select(p => p.GetString("name") is { Length: > 0 } n ? $"{p.GetString("port")} ({n})" : p.GetString("port")).OfType<string>().ToList();
                var has = ports.Count == 0 ? "it lists no ports" : $"it exposes {string.Join(", ", ports)}";
                yield return At(b.PortNode, $"Ingress {ing.Name} routes to port {(b.PortIsName ? $"named '{port}'" : port)} of Service {b.ServiceName}, which has no such port ({has}); the path returns 503",
                    related: [new RelatedLocation((svc.Spec?["ports"] ?? (Node)svc.Body).Span, $"Service {svc.Name} ports")]);
            }
        }
    }

    /// <summary>Whether the Service takes the port: a number matches spec.ports[].port, a name spec.ports[].name. ExternalName Services and Services without a port list are not judged.</summary>
    private static bool Exposes(Resource svc, string port, bool isName)
    {
        var spec = svc.Spec;
        if (spec == null || spec.GetString("type") == "ExternalName" || spec.GetSeq("ports") is not { } ports) return true;
        foreach (var p in ports.Items)
        {
            if (p is not MapNode m) return true; // unreadable: do not judge
            if (isName ? m.GetString("name") == port : m.GetString("port") == port) return true;
        }
        return false;
    }

    /// <summary>Every backend map of the Ingress; a v1 Ingress still written in the v1beta1 shape is reported as such.</summary>
    private static IEnumerable<(MapNode Backend, string? Problem)> Backends(Resource ing, bool isV1)
    {
        var spec = ing.Spec;
        if (spec == null) yield break;
        foreach (var key in new[] { "defaultBackend", "backend" })
            if (spec.GetMap(key) is { } d) yield return (d, V1Shape(d, isV1, ing));
        foreach (var rule in spec.GetSeq("rules")?.Maps ?? [])
            foreach (var path in rule.GetMap("http")?.GetSeq("paths")?.Maps ?? [])
                if (path.GetMap("backend") is { } b) yield return (b, V1Shape(b, isV1, ing));
    }

    private static string? V1Shape(MapNode backend, bool isV1, Resource ing) =>
        isV1 && backend["service"] == null && backend["resource"] == null && backend["serviceName"] != null
            ? $"Ingress {ing.Name} is networking.k8s.io/v1 but this backend uses the v1beta1 fields serviceName/servicePort; v1 needs service.name and service.port.number (or .name), so the API server rejects it"
            : null;

    private static Backend? Parse(MapNode backend, bool isV1)
    {
        if (backend.GetMap("service") is { } svc)
        {
            if (svc["name"] is not ScalarNode { Value: { Length: > 0 } name } nameNode) return null;
            var port = svc.GetMap("port");
            if (port?["number"] is ScalarNode num) return new Backend(backend, nameNode, name, num, false);
            if (port?["name"] is ScalarNode pn) return new Backend(backend, nameNode, name, pn, true);
            return new Backend(backend, nameNode, name, null, false);
        }
        if (isV1) return null;
        if (backend["serviceName"] is ScalarNode { Value: { Length: > 0 } legacyName } legacyNode)
        {
            var sp = backend["servicePort"] as ScalarNode;
            return new Backend(backend, legacyNode, legacyName, sp, sp?.Value is { } v && !long.TryParse(v, out _));
        }
        return null;
    }
}
