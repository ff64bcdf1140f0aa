using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// A value the API server rejects because the field only takes a fixed, case-sensitive set (HPA metric `type: Pod`,
/// Service `type: loadBalancer`, port `protocol: tcp`, a Deployment pod with `restartPolicy: OnFailure`...). Generic
/// schema validators type these as strings and let them through. The sets live in Data/kubernetes/enum-fields.yaml.
/// </summary>
public sealed class InvalidEnumValue : Rule
{
    public override string Title => "Value the API server does not accept";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`The HorizontalPodAutoscaler \"web\" is invalid: spec.metrics[0].type: Unsupported value: \"Pod\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"`";
    public override string Fix => "Use one of the supported values, spelled exactly (the API is case-sensitive).";
    public override IReadOnlyList<string> Incidents => ["E1"];

    internal sealed record EnumField(string Scope, HashSet<string>? Kinds, HashSet<string>? ApiVersions, string[] Path, string[] Values, string Source, string? AbsentMeans)
    {
        /// <summary>The path parsed once: each part's key ("*" for any) and whether it names a list to enter ("ports[]").</summary>
        public (string Key, bool Each)[] Steps { get; } = Path.Select(p => p.EndsWith("[]", StringComparison.Ordinal) ? (p[..^2], true) : (p, false)).ToArray();
    }

    internal static readonly Lazy<IReadOnlyList<EnumField>> Fields = new(() =>
    {
        var root = DataFiles.ReadYaml("kubernetes/enum-fields.yaml");
        var list = new List<EnumField>();
        foreach (var row in root.GetSeq("fields")?.Maps ?? [])
        {
            HashSet<string>? Set(string key) => row.GetSeq(key) is { } s ? s.Items.OfType<ScalarNode>().Select(v => v.Value!).ToHashSet(StringComparer.Ordinal) : null;
            list.Add(new EnumField(row.GetString("scope")!, Set("kinds"), Set("apiVersions"), row.GetString("path")!.Split('.'),
                row.GetSeq("values")!.Items.OfType<ScalarNode>().Select(v => v.Value!).ToArray(), row.GetString("source") ?? "",
                row.GetString("absentMeans")));
        }
        return list;
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var fields = Fields.Value;
        var model = context.Model;
        var found = new List<Node>(); // reused: most paths hold one value or none
        foreach (var field in fields.Where(f => f.Scope == "resource"))
            foreach (var kind in field.Kinds ?? [])
                foreach (var r in model.OfKind(kind))
                {
                    if (r.Family != ResourceFamily.Kubernetes || field.ApiVersions != null && !field.ApiVersions.Contains(r.ApiVersion ?? "")) continue;
                    foreach (var f in Judge(r, r.Body, field, found)) yield return f;
                }

        var podFields = fields.Where(f => f.Scope == "podSpec").ToList();
        var containerFields = fields.Where(f => f.Scope == "container").ToList();
        foreach (var w in model.Workloads)
        {
            if (!WorkloadApiVersionKnown(w.Resource)) continue;
            foreach (var field in podFields)
                if (field.Kinds == null || field.Kinds.Contains(w.Resource.Kind))
                    foreach (var f in Judge(w.Resource, w.PodSpec, field, found)) yield return f;
            foreach (var c in w.Containers)
                foreach (var field in containerFields)
                    foreach (var f in Judge(w.Resource, c.Node, field, found)) yield return f;
        }
    }

    /// <summary>The findings for the values of <paramref name="field"/> under <paramref name="start"/>; no allocation when all are valid.</summary>
    private List<Finding> Judge(Resource r, Node start, EnumField field, List<Node> found)
    {
        found.Clear();
        Walk(start, field.Steps, 0, found);
        List<Finding>? findings = null;
        foreach (var node in found)
            if (CheckAt(r, node, field) is { } f) (findings ??= []).Add(f);
        if (found.Count == 0 && field.AbsentMeans is { } filledIn && Array.IndexOf(field.Values, filledIn) < 0 && start is MapNode)
            (findings ??= []).Add(AbsentAt(r, start, field, filledIn));
        return findings ?? NoFindings;
    }

    private static readonly List<Finding> NoFindings = [];

    /// <summary>Only built-in workload kinds: a CRD that happens to be called Rollout or Job has its own rules.</summary>
    private static bool WorkloadApiVersionKnown(Resource r) => (r.Kind, r.ApiVersion) switch
    {
        ("Pod", "v1") or ("ReplicationController", "v1") => true,
        ("Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet", "apps/v1") => true,
        ("Job", "batch/v1") or ("CronJob", "batch/v1" or "batch/v1beta1") => true,
        _ => false,
    };

    private Finding? CheckAt(Resource r, Node node, EnumField field)
    {
        // Only text values: a number or boolean here is a type error the schema validators already catch.
        if (node is not ScalarNode s || !s.IsString || string.IsNullOrEmpty(s.Value) || KubeSupport.IsPlaceholder(s.Value)) return null;
        if (Array.IndexOf(field.Values, s.Value) >= 0) return null;
        var supported = string.Join(", ", field.Values.Select(v => $"\"{v}\""));
        var nearest = KubeSupport.Nearest(s.Value, field.Values);
        // Valid for the field elsewhere (restartPolicy: OnFailure on a Job) but not for this kind's pods.
        var validElsewhere = field.Kinds != null && Fields.Value.Any(o => o != field && o.Scope == field.Scope
            && o.Path.SequenceEqual(field.Path) && Array.IndexOf(o.Values, s.Value) >= 0);
        var message = validElsewhere
            ? $"{r.Kind}/{r.Name}: {s.Path}: \"{s.Value}\" is not allowed for a {r.Kind}'s pods; supported values: {supported}"
            : $"{r.Kind}/{r.Name}: {s.Path}: Unsupported value: \"{s.Value}\": supported values: {supported}";
        return At(s, message, nearest != null ? $"Did you mean \"{nearest}\"?" : $"Use one of {supported}.",
            evidence: new Dictionary<string, string> { ["source"] = field.Source });
    }

    /// <summary>The field is left out and the value the API fills in is one this kind rejects (a Job pod with no restartPolicy).</summary>
    private Finding AbsentAt(Resource r, Node start, EnumField field, string filledIn)
    {
        var path = start.Path is { Length: > 0 } p ? $"{p}.{string.Join('.', field.Path)}" : string.Join('.', field.Path);
        var supported = string.Join(", ", field.Values.Select(v => $"\"{v}\""));
        return At(start, $"{r.Kind}/{r.Name}: {path} is not set: the API fills in \"{filledIn}\", which a {r.Kind}'s pods do not support (supported values: {supported})",
            $"Set `{field.Path[^1]}` to one of {supported}.", evidence: new Dictionary<string, string> { ["source"] = field.Source });
    }

    private static void Walk(Node? node, (string Key, bool Each)[] steps, int i, List<Node> found)
    {
        if (node == null) return;
        if (i == steps.Length) { found.Add(node); return; }
        if (node is not MapNode map) return;
        var (key, each) = steps[i];
        if (key == "*")
        {
            for (var j = 0; j < map.Entries.Count; j++) Step(map.Entries[j].Value, steps, i, each, found);
        }
        else if (map[key] is { } v)
            Step(v, steps, i, each, found);
    }

    private static void Step(Node n, (string Key, bool Each)[] steps, int i, bool each, List<Node> found)
    {
        if (!each) { Walk(n, steps, i + 1, found); return; }
        if (n is SeqNode seq)
            for (var j = 0; j < seq.Items.Count; j++) Walk(seq.Items[j], steps, i + 1, found);
    }
}
