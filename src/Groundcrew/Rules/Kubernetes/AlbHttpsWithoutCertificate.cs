using System.Text.Json;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// An AWS Load Balancer Controller Ingress that asks for HTTPS (an HTTPS entry in `listen-ports`, or `ssl-redirect`) but gives
/// the load balancer no certificate: no `certificate-arn` annotation, no `certificateArn` in its IngressClassParams, and no
/// host (spec.tls[].hosts or spec.rules[].host) from which the controller could discover an ACM certificate
/// (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/cert_discovery/). Whether
/// `listen-ports` parses at all is <see cref="AlbListenPortsNotJson"/>'s check.
/// </summary>
public sealed class AlbHttpsWithoutCertificate : Rule
{
    public override string Title => "ALB Ingress asks for HTTPS without a certificate";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`Failed deploy model due to ValidationError: A certificate must be specified for HTTPS listeners` (the ALB is never reconciled)";
    public override string Fix => "Add `alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:REGION:ACCOUNT:certificate/ID`, or list the hostnames in spec.tls[].hosts / spec.rules[].host so the controller can discover an ACM certificate for them.";
    public override IReadOnlyList<string> Incidents => ["A7"];

    internal const string Prefix = "alb.ingress.kubernetes.io/";
    private const string AlbController = "ingress.k8s.aws/alb";

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var ingresses = model.OfKind("Ingress").Where(r => r.Family == ResourceFamily.Kubernetes).ToList();
        if (ingresses.Count == 0) yield break;

        var infos = new List<(Resource Ing, string? Group, bool HasCert, bool Unknown)>();
        foreach (var ing in ingresses)
        {
            var (isAlb, cls) = Classify(ing, model);
            if (isAlb == false) continue;
            var ann = ing.Annotations;

            // A listen-ports value that does not parse is alb-listen-ports-not-json's finding; here it means "no HTTPS listener".
            if (isAlb != true) continue;

            var paramsSpec = cls?.Params;
            var hasCert = ann.TryGetValue(Prefix + "certificate-arn", out var arn) && !string.IsNullOrWhiteSpace(arn.Value)
                || HasHosts(ing)
                || paramsSpec?["certificateArn"] is SeqNode { Items.Count: > 0 } or ScalarNode { IsNull: false, Value.Length: > 0 };
            var group = ann.TryGetValue(Prefix + "group.name", out var g) && !string.IsNullOrEmpty(g.Value) ? g.Value : paramsSpec?.GetMap("group")?.GetString("name");
            infos.Add((ing, group, hasCert, cls?.ParamsUnknown == true));
        }

        // An IngressGroup shares one ALB: a certificate any member brings serves the group's HTTPS listener.
        var groupsWithCert = infos.Where(i => i.Group != null && (i.HasCert || i.Unknown))
            .Select(i => (KubeSupport.Unit(i.Ing), i.Ing.Namespace == null ? "" : "", i.Group!)).ToHashSet();
        foreach (var (ing, group, hasCert, unknown) in infos)
        {
            if (hasCert || unknown) continue;
            if (group != null && groupsWithCert.Contains((KubeSupport.Unit(ing), "", group))) continue;
            var ann = ing.Annotations;
            ann.TryGetValue(Prefix + "listen-ports", out var lpNode);
            var (https, httpsPort, lpError) = ParseListenPorts(lpNode?.Value);
            var groupNote = group != null ? $" (no scanned Ingress of IngressGroup '{group}' brings one either)" : "";
            Finding? f = null;
            if (lpError == null && https)
                f = At(lpNode!, $"Ingress/{ing.Name} listens on HTTPS:{httpsPort} but gives the ALB no certificate: no {Prefix}certificate-arn, and no spec.tls[].hosts or spec.rules[].host for ACM certificate discovery{groupNote}; the controller fails with `A certificate must be specified for HTTPS listeners`");
            else if (ann.TryGetValue(Prefix + "ssl-redirect", out var redirect) && !string.IsNullOrEmpty(redirect.Value) && !KubeSupport.IsPlaceholder(redirect.Value))
                f = At(redirect, $"Ingress/{ing.Name} sets ssl-redirect to port {redirect.Value}, but there is no HTTPS listener to redirect to: no HTTPS entry in listen-ports and no certificate (certificate-arn, or spec.tls/rule hosts for ACM discovery){groupNote}",
                    "Add a certificate (`alb.ingress.kubernetes.io/certificate-arn`, or hosts for discovery) and `alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'`, or drop ssl-redirect.");
            if (f == null) continue;
            // Another Ingress outside the scan may join the same IngressGroup and bring the certificate.
            yield return group != null && !model.Complete ? f with { Severity = Severity.Warning } : f;
        }
    }

    internal sealed record ClassInfo(MapNode? Params, bool ParamsUnknown);

    /// <summary>Whether the AWS Load Balancer Controller serves the Ingress (true), does not (false), or we cannot tell (null).</summary>
    internal static (bool? IsAlb, ClassInfo? Class) Classify(Resource ing, DeploymentModel model)
    {
        var className = ing.Spec?.GetString("ingressClassName");
        if (string.IsNullOrEmpty(className) && ing.Annotations.TryGetValue("kubernetes.io/ingress.class", out var legacy)) className = legacy.Value;
        Resource? cls = null;
        if (!string.IsNullOrEmpty(className)) cls = model.Find("IngressClass", null, className);
        else
        {
            // No class named: the cluster's default IngressClass serves it, if the scan defines one.
            cls = model.OfKind("IngressClass").FirstOrDefault(c => c.Annotations.TryGetValue("ingressclass.kubernetes.io/is-default-class", out var d) && d.Value is "true");
            if (cls == null) return (null, null);
        }
        if (cls != null)
        {
            if (cls.Spec?.GetString("controller") != AlbController) return (false, null);
            var p = cls.Spec?.GetMap("parameters");
            if (p == null) return (true, new ClassInfo(null, false));
            if (p.GetString("kind") != "IngressClassParams") return (true, new ClassInfo(null, true));
            var name = p.GetString("name");
            var paramsRes = name == null ? null : model.Find("IngressClassParams", null, name);
            return (true, new ClassInfo(paramsRes?.Spec, paramsRes == null));
        }
        return (className == "alb", null);
    }

    private static bool HasHosts(Resource ing)
    {
        var spec = ing.Spec;
        if (spec == null) return false;
        foreach (var tls in spec.GetSeq("tls")?.Maps ?? [])
            if (tls.GetSeq("hosts")?.Items.OfType<ScalarNode>().Any(h => !string.IsNullOrEmpty(h.Value)) == true) return true;
        foreach (var rule in spec.GetSeq("rules")?.Maps ?? [])
            if (!string.IsNullOrEmpty(rule.GetString("host"))) return true;
        return false;
    }

    /// <summary>
    /// Parse listen-ports as the controller does: Go's encoding/json into `[]map[string]int64` (strict JSON: keys in double
    /// quotes, no comments, integer ports), then protocols HTTP/HTTPS and ports 1-65535. System.Text.Json is as strict as Go
    /// here; a lenient reader would accept `[{HTTP: 80}]`, which the controller rejects.
    /// </summary>
    internal static (bool Https, long HttpsPort, string? Error) ParseListenPorts(string? raw)
    {
        if (raw == null) return (false, 0, null);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(raw); }
        catch (JsonException ex) { return (false, 0, $"'{raw}' is not valid JSON ({ex.Message.Split('.')[0]})"); }
        using (doc)
        {
            var arr = doc.RootElement;
            if (arr.ValueKind != JsonValueKind.Array) return (false, 0, $"'{raw}' is not a JSON list");
            if (arr.GetArrayLength() == 0) return (false, 0, "the list is empty");
            var https = false;
            long httpsPort = 0;
            foreach (var item in arr.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Null) continue; // Go decodes null into an empty map
                if (item.ValueKind != JsonValueKind.Object) return (false, 0, $"entry {item.GetRawText()} is not a {{\"PROTOCOL\": port}} object");
                foreach (var entry in item.EnumerateObject())
                {
                    var protocol = entry.Name;
                    if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt64(out var port))
                        return (false, 0, $"port {entry.Value.GetRawText()} for {protocol} is not a JSON number" + (entry.Value.ValueKind == JsonValueKind.Number ? " without a fraction" : ""));
                    if (port is < 1 or > 65535) return (false, 0, $"port {port} is outside 1-65535");
                    if (protocol is not ("HTTP" or "HTTPS"))
                        return (false, 0, $"protocol '{protocol}' is not HTTP or HTTPS" + (protocol.ToUpperInvariant() is "HTTP" or "HTTPS" ? " (the controller compares case-sensitively)" : ""));
                    if (protocol == "HTTPS" && !https) { https = true; httpsPort = port; }
                }
            }
            return (https, httpsPort, null);
        }
    }
}
