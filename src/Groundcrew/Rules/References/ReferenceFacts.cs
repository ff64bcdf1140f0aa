using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>Facts and small helpers shared by the reference rules (read from Data/References/references.yaml once).</summary>
internal static class ReferenceFacts
{
    private sealed record Facts(HashSet<string> ControllerPodLabels, Groundcrew.Core.SafeRegex HashSuffix, HashSet<string> ReloaderAnnotations, Groundcrew.Core.SafeRegex Checksum, string AlbActionPort, string AlbActionPrefix, HashSet<string> BuiltIn, HashSet<string> BuiltInGroups);

    private static readonly Lazy<Facts> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("References/references.yaml");
        HashSet<string> List(string key) => (y.GetSeq(key)?.Items ?? []).OfType<ScalarNode>().Select(s => s.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return new Facts(
            List("controllerPodLabels"),
            Groundcrew.Core.SafeRegex.Create(y.GetString("kustomizeHashSuffix")!, RegexOptions.CultureInvariant),
            List("reloaderAnnotations"),
            Groundcrew.Core.SafeRegex.Create(y.GetString("checksumAnnotation")!, RegexOptions.CultureInvariant),
            y.GetString("albActionPort")!,
            y.GetString("albActionAnnotationPrefix")!,
            List("builtInObjects"),
            List("builtInApiGroups"));
    });

    public static bool IsControllerPodLabel(string key) => Data.Value.ControllerPodLabels.Contains(key);
    public static bool HasGeneratorHash(string name) => Data.Value.HashSuffix.IsMatch(name);
    public static bool IsReloaderAnnotation(string key) => Data.Value.ReloaderAnnotations.Contains(key);
    public static bool IsChecksumAnnotation(string key) => Data.Value.Checksum.IsMatch(key);
    /// <summary>Objects the cluster creates in every namespace (kube-root-ca.crt, the default ServiceAccount).</summary>
    public static bool IsBuiltInObject(string kind, string name) => Data.Value.BuiltIn.Contains(kind + "/" + name);
    /// <summary>
    /// A reference whose name (or key) is a template ({{ .Values.x }}, ${VAR}, __NAME__, #{Name}#): the object it will name
    /// is unknown, so the reference rules say nothing about it.
    /// </summary>
    public static bool IsTemplated(Reference r) => Rules.Values.Placeholders.IsTemplated(r.TargetName) || (r.Key is { } k && Rules.Values.Placeholders.IsTemplated(k));
    /// <summary>An object of an API group Kubernetes does not serve itself (an operator's custom resource).</summary>
    public static bool IsCustomResource(Resource r)
    {
        if (r.Family != ResourceFamily.Kubernetes || r.ApiVersion is not { } av) return false;
        var slash = av.IndexOf('/');
        if (slash <= 0) return false;
        var group = av[..slash];
        return group.Contains('.') && !Data.Value.BuiltInGroups.Contains(group);
    }

    public static string AlbActionPort => Data.Value.AlbActionPort;
    public static string AlbActionPrefix => Data.Value.AlbActionPrefix;

    /// <summary>Severity of a reference to something the scanned files do not define: a note, unless the config says they are complete.</summary>
    public static Severity UnknownSeverity(DeploymentModel model) => model.Complete ? Severity.Error : Severity.Note;

    /// <summary>Whether the object names its namespace itself (otherwise it lands wherever `kubectl apply -n` puts it).</summary>
    public static bool HasExplicitNamespace(Resource r) => r.Metadata?["namespace"] is ScalarNode { Value.Length: > 0 };

    /// <summary>A core v1 Service (not a Knative or other custom kind that is also called Service).</summary>
    public static bool IsCoreService(Resource r) => r.Family == ResourceFamily.Kubernetes && r.Kind == "Service" && r.ApiVersion is null or "v1";

    /// <summary>An Ingress of the built-in API (networking.k8s.io/v1, v1beta1, or extensions/v1beta1).</summary>
    public static bool IsIngress(Resource r) => r.Family == ResourceFamily.Kubernetes && r.Kind == "Ingress"
        && r.ApiVersion is "networking.k8s.io/v1" or "networking.k8s.io/v1beta1" or "extensions/v1beta1";

    /// <summary>Resources of a kind indexed by name (all namespaces), to tell "absent" from "in another namespace".</summary>
    public static Dictionary<string, List<Resource>> ByName(IEnumerable<Resource> resources)
    {
        var d = new Dictionary<string, List<Resource>>(StringComparer.Ordinal);
        foreach (var r in resources)
        {
            if (!d.TryGetValue(r.Name, out var l)) d[r.Name] = l = new List<Resource>(1);
            l.Add(r);
        }
        return d;
    }

    /// <summary>
    /// A same-named object in another namespace when either side leaves its namespace unset: applied with
    /// `kubectl apply -n`, both may well land together, so the reference is not contradicted.
    /// </summary>
    public static Resource? InAnotherNamespaceImplicitly(Dictionary<string, List<Resource>> byName, string name, Resource from, string? ns)
    {
        if (!byName.TryGetValue(name, out var list)) return null;
        foreach (var r in list)
            if (r.Namespace != ns && (!HasExplicitNamespace(r) || !HasExplicitNamespace(from))) return r;
        return null;
    }
}
