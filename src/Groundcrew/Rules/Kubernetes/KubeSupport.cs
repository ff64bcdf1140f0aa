using System.Globalization;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>Shared helpers of the Kubernetes rules: label selectors, autoscaler lookups, int-or-percent values, name suggestions.</summary>
internal static class KubeSupport
{
    /// <summary>Kinds an HPA (or KEDA ScaledObject) may target that this tool reads, with a replica count at spec.replicas.</summary>
    public static readonly HashSet<string> ScalableKinds = new(StringComparer.Ordinal)
    {
        "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout",
    };

    public static bool IsHpa(Resource r) => r.Family == ResourceFamily.Kubernetes && r.Kind == "HorizontalPodAutoscaler"
        && (r.ApiVersion ?? "").StartsWith("autoscaling/", StringComparison.Ordinal);

    public static bool IsKedaScaledObject(Resource r) => r.Family == ResourceFamily.Kubernetes && r.Kind == "ScaledObject"
        && (r.ApiVersion ?? "").StartsWith("keda.sh/", StringComparison.Ordinal);

    /// <summary>An autoscaler (HPA or KEDA ScaledObject) and what it says about the target's replica floor.</summary>
    public sealed record Autoscaler(Resource Resource, string TargetKind, string TargetName, ScalarNode? MinNode, long? Min, long? Max, bool IsKeda)
    {
        /// <summary>The smallest replica count the autoscaler may choose, when known: HPA minReplicas defaults to 1;
        /// a KEDA ScaledObject defaults to 0 (scale to zero), so only an explicit minReplicaCount counts.</summary>
        public long? Floor => IsKeda ? (Min is > 0 ? Min : null) : Min ?? 1;
    }

    /// <summary>
    /// The render unit of a resource: the Kustomize overlay it came from, or "" for plain files. Two overlays of one
    /// base hold two copies of each object; joins between objects stay inside one unit so the copies never mix.
    /// </summary>
    public static string Unit(Resource r) => r.RenderedFrom ?? "";

    /// <summary>Autoscalers by (target kind, namespace, target name, render unit). Built once per call.</summary>
    public static Dictionary<(string Kind, string? Ns, string Name, string Unit), List<Autoscaler>> AutoscalersByTarget(DeploymentModel model)
    {
        var d = new Dictionary<(string, string?, string, string), List<Autoscaler>>();
        foreach (var r in model.OfKind("HorizontalPodAutoscaler"))
            if (IsHpa(r) && ReadHpa(r) is { } a) Add(d, a);
        foreach (var r in model.OfKind("ScaledObject"))
            if (IsKedaScaledObject(r) && ReadKeda(r) is { } a) Add(d, a);
        return d;

        static void Add(Dictionary<(string, string?, string, string), List<Autoscaler>> d, Autoscaler a)
        {
            var key = (a.TargetKind, a.Resource.Namespace, a.TargetName, Unit(a.Resource));
            if (!d.TryGetValue(key, out var list)) d[key] = list = new List<Autoscaler>(1);
            list.Add(a);
        }
    }

    public static Autoscaler? ReadHpa(Resource r)
    {
        var spec = r.Spec;
        var target = spec?.GetMap("scaleTargetRef");
        var kind = target?.GetString("kind");
        var name = target?.GetString("name");
        if (spec == null || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name)) return null;
        var minNode = spec["minReplicas"] as ScalarNode;
        return new Autoscaler(r, kind, name, minNode, Integer(minNode), Integer(spec["maxReplicas"] as ScalarNode), false);
    }

    private static Autoscaler? ReadKeda(Resource r)
    {
        var spec = r.Spec;
        var target = spec?.GetMap("scaleTargetRef");
        var name = target?.GetString("name");
        if (spec == null || string.IsNullOrEmpty(name)) return null;
        var kind = target!.GetString("kind") is { Length: > 0 } k ? k : "Deployment";
        var minNode = spec["minReplicaCount"] as ScalarNode;
        return new Autoscaler(r, kind, name, minNode, Integer(minNode), Integer(spec["maxReplicaCount"] as ScalarNode), true);
    }

    /// <summary>A whole number written as a YAML integer (not a template placeholder, not a quoted string).</summary>
    public static long? Integer(ScalarNode? s) => s is { Kind: ScalarKind.Plain } && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null;

    /// <summary>An IntOrString value: (number, isPercent), or null when it is neither an integer nor "N%".</summary>
    public static (long Value, bool Percent)? IntOrPercent(ScalarNode? s)
    {
        if (s == null || s.IsNull) return null;
        if (Integer(s) is { } i) return (i, false);
        var v = s.Value?.Trim();
        if (v != null && v.EndsWith('%') && long.TryParse(v[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p)) return (p, true);
        return null;
    }

    /// <summary>The labels the pods of a workload-like resource carry: its template labels, else its selector's matchLabels.</summary>
    public static IReadOnlyDictionary<string, string> PodLabels(Resource r)
    {
        var w = Workload.From(r);
        if (w != null && w.TemplateLabels.Count > 0) return w.TemplateLabels;
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in r.Spec?.GetMap("selector")?.GetMap("matchLabels")?.Entries ?? [])
            if (e.Name != null && e.Value is ScalarNode s) d[e.Name] = s.Value ?? "";
        if (d.Count == 0 && r.Kind == "Pod") return r.Labels.ToDictionary(kv => kv.Key, kv => kv.Value.Value ?? "");
        return d;
    }

    /// <summary>
    /// A parsed metav1.LabelSelector. Null from <see cref="ParseSelector"/> when the selector cannot be read
    /// (an unknown operator, a non-map): callers treat that as "unknown" and stay silent.
    /// </summary>
    public sealed class LabelSelector
    {
        public List<KeyValuePair<string, string>> MatchLabels { get; } = new();
        public List<(string Key, string Op, HashSet<string> Values)> Expressions { get; } = new();
        public bool IsEmpty => MatchLabels.Count == 0 && Expressions.Count == 0;

        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            foreach (var (k, v) in MatchLabels)
                if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
            foreach (var (k, op, values) in Expressions)
            {
                var has = labels.TryGetValue(k, out var actual);
                var ok = op switch
                {
                    "In" => has && values.Contains(actual!),
                    "NotIn" => !has || !values.Contains(actual!),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    _ => false,
                };
                if (!ok) return false;
            }
            return true;
        }
    }

    public static LabelSelector? ParseSelector(Node? node)
    {
        if (node is not MapNode map) return null;
        var sel = new LabelSelector();
        if (map["matchLabels"] is { } ml)
        {
            if (ml is ScalarNode { IsNull: true }) { }
            else if (ml is MapNode m)
            {
                foreach (var e in m.Entries)
                {
                    if (e.Name == null || e.Value is not ScalarNode s) return null;
                    sel.MatchLabels.Add(new(e.Name, s.Value ?? ""));
                }
            }
            else return null;
        }
        if (map["matchExpressions"] is { } me)
        {
            if (me is ScalarNode { IsNull: true }) { }
            else if (me is SeqNode seq)
            {
                foreach (var item in seq.Items)
                {
                    if (item is not MapNode expr) return null;
                    var key = expr.GetString("key");
                    var op = expr.GetString("operator");
                    if (key == null || op is not ("In" or "NotIn" or "Exists" or "DoesNotExist")) return null;
                    var values = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var v in expr.GetSeq("values")?.Items ?? [])
                        if (v is ScalarNode { Value: { } sv }) values.Add(sv);
                    sel.Expressions.Add((key, op, values));
                }
            }
            else return null;
        }
        return sel;
    }

    /// <summary>The nearest candidate to a misspelt value: same text ignoring case, a prefix ("Pod" for "Pods"), or within a small edit distance.</summary>
    public static string? Nearest(string value, IEnumerable<string> candidates, int maxDistance = -1)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (maxDistance < 0) maxDistance = value.Length <= 4 ? 1 : value.Length <= 8 ? 2 : 3;
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var c in candidates)
        {
            int score;
            if (string.Equals(c, value, StringComparison.OrdinalIgnoreCase)) score = 0;
            else
            {
                var d = Distance(value.ToLowerInvariant(), c.ToLowerInvariant());
                score = d <= maxDistance ? d : int.MaxValue;
                if (score == int.MaxValue && value.Length >= 3 && (c.StartsWith(value, StringComparison.OrdinalIgnoreCase) || value.StartsWith(c, StringComparison.OrdinalIgnoreCase))
                    && Math.Abs(c.Length - value.Length) <= 2)
                    score = maxDistance + 1;
            }
            if (score < bestScore) { bestScore = score; best = c; }
        }
        return bestScore == int.MaxValue ? null : best;
    }

    /// <summary>Damerau-Levenshtein (optimal string alignment) distance: a swap of two letters counts as one edit.</summary>
    public static int Distance(string a, string b) => Groundcrew.Core.EditDistance.Between(a, b);

    /// <summary>Values that a template engine or envsubst fills in later: not ours to judge.</summary>
    public static bool IsPlaceholder(string? v) => v != null && (v.Contains("${", StringComparison.Ordinal) || v.Contains("{{", StringComparison.Ordinal)
        || v.Contains("$(", StringComparison.Ordinal) || (v.StartsWith('<') && v.EndsWith('>')) || v.Contains("((", StringComparison.Ordinal));
}
