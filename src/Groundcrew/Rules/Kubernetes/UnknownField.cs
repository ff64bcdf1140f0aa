using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// A field the Kubernetes API does not define, in a common built-in kind (Deployment, StatefulSet, DaemonSet, ReplicaSet,
/// Job, CronJob, Pod, Service, Ingress, ConfigMap, Secret, ServiceAccount, HPA autoscaling/v2, PDB policy/v1). `kubectl
/// apply` validates strictly by default (`--validate=strict`): the API server answers `strict decoding error: unknown
/// field` and nothing is applied; with validation off the field is silently dropped, so a typo like `imagePullPolicty`
/// quietly does nothing. Known fields come from Data/kubernetes/known-fields.yaml (generated from the Kubernetes OpenAPI
/// spec). Older apiVersions with a subset of the fields (CronJob batch/v1beta1) use the same schema; other kinds, other
/// apiVersions and custom resources are not checked. A field written twice in one mapping is reported as well.
/// </summary>
public sealed class UnknownField : Rule
{
    public override string Title => "Field the Kubernetes API does not know";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`Error from server (BadRequest): error when creating \"deploy.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.template.spec.contaners\"`, or the field silently dropped";
    public override string Fix => "Fix the field name's spelling or indentation (a field at the wrong level is unknown there), or remove it.";

    internal sealed record Schema(Dictionary<string, (string[] ApiVersions, string Type)> Roots, Dictionary<string, Dictionary<string, string?>> Types, string Version)
    {
        /// <summary>The item type of each list type ("V1Container[]" -> "V1Container"), made once instead of per list walked.</summary>
        public Dictionary<string, string> ItemTypes { get; } = Types.Values.SelectMany(f => f.Values).OfType<string>()
            .Where(t => t.EndsWith("[]", StringComparison.Ordinal)).Distinct().ToDictionary(t => t, t => t[..^2], StringComparer.Ordinal);
    }

    internal static readonly Lazy<Schema> Known = new(() =>
    {
        var root = DataFiles.ReadYaml("kubernetes/known-fields.yaml");
        var roots = new Dictionary<string, (string[], string)>(StringComparer.Ordinal);
        foreach (var e in root.GetMap("roots")!.Entries)
            if (e.Value is MapNode m)
                roots[e.Name] = ([m.GetString("apiVersion")!, .. m.GetSeq("olderApiVersions")?.Items.OfType<ScalarNode>().Select(v => v.Value!) ?? []], m.GetString("type")!);
        var types = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var t in root.GetMap("types")!.Entries)
        {
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var f in (t.Value as MapNode)?.Entries ?? [])
                fields[f.Name] = f.Value is ScalarNode { IsNull: false } s ? s.Value : null;
            types[t.Name] = fields;
        }
        return new Schema(roots, types, root.GetString("specVersion") ?? "");
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var schema = Known.Value;
        // Reused from resource to resource: almost every walk finds nothing.
        var found = new List<(ScalarNode Key, string Type, string[] Ancestors)>();
        var ancestors = new List<string>();
        foreach (var r in context.Model.Resources)
        {
            if (r.Family != ResourceFamily.Kubernetes || !schema.Roots.TryGetValue(r.Kind, out var root) || Array.IndexOf(root.ApiVersions, r.ApiVersion) < 0) continue;
            found.Clear();
            Walk(r.Body, root.Type, schema, found, ancestors);
            if (found.Count > 0)
                foreach (var f in Report(r, found.ToArray(), schema)) yield return f;
        }
    }

    private IEnumerable<Finding> Report(Resource r, (ScalarNode Key, string Type, string[] Ancestors)[] found, Schema schema)
    {
        foreach (var (key, type, ancestors) in found)
        {
            if (ReferenceEquals(type, DuplicateMarker))
            {
                // A second apiVersion at the root is two objects run together: report that once, not each root field.
                var runTogether = key.Parent == r.Body && IsDuplicate(r.Body, "apiVersion");
                if (!runTogether || key.Value == "apiVersion") yield return DuplicateAt(r, key, runTogether);
                continue;
            }
            var fields = schema.Types[type];
            var nearest = KubeSupport.Nearest(key.Value!, fields.Keys);
            var path = key.Parent?.Path is { Length: > 0 } p ? $"{p}.{key.Value}" : key.Value;
            string fix;
            if (nearest != null) fix = $"Did you mean `{nearest}`?";
            else if (OwnersNear(schema, key.Value!, type, ancestors) is { Count: > 0 } owners)
                fix = $"`{key.Value}` is a field of {string.Join(" / ", owners.Take(3).Select(TypeName))}, not of {TypeName(type)}: move it there (check the indentation), or remove it.";
            else fix = $"Remove it or move it to where it belongs; {TypeName(type)} fields: {string.Join(", ", fields.Keys.Take(30))}.";
            yield return At(key,
                $"{r.Kind}/{r.Name}: unknown field \"{path}\" ({TypeName(type)} has no field '{key.Value}'): strict validation rejects the object, and without it the field is silently ignored",
                fix);
        }
    }

    /// <summary>Stands in for the type in the found list when the key is a duplicate rather than unknown.</summary>
    private static readonly string DuplicateMarker = new('#', 1);

    private static bool IsDuplicate(MapNode map, string key)
    {
        var seen = 0;
        for (var i = 0; i < map.Entries.Count; i++)
            if (map.Entries[i].Name == key && ++seen > 1) return true;
        return false;
    }

    private Finding DuplicateAt(Resource r, ScalarNode key, bool runTogether)
    {
        var parent = key.Parent as MapNode;
        var kept = parent?.Entry(key.Value!)?.Key;
        var path = parent?.Path is { Length: > 0 } p ? $"{p}.{key.Value}" : key.Value;
        var keptAt = kept != null ? $" (line {kept.Span.StartLine})" : "";
        if (runTogether)
            return At(key,
                $"{r.Kind}/{r.Name}: a second apiVersion{keptAt} in the same object: two objects are written as one (a `---` separator is missing?), so only the later fields are applied, and strict validation rejects it",
                $"Put `---` on its own line before line {kept?.Span.StartLine}, so each object is its own document.",
                related: kept != null ? [new RelatedLocation(kept.Span, "where the second object starts")] : null);
        return At(key,
            $"{r.Kind}/{r.Name}: duplicate field \"{path}\": the later one{keptAt} silently replaces this one, and strict validation (`kubectl apply --validate=strict`, the default) rejects the object",
            $"Keep one `{key.Value}` and merge what both hold into it (a list written twice keeps only the second list's items).",
            related: kept != null ? [new RelatedLocation(kept.Span, $"the `{key.Value}` that wins")] : null);
    }

    /// <summary>
    /// Nearby types that do define a field of this name, for "it belongs one level up/down" hints: the enclosing types,
    /// and the children and grandchildren of the current type and of its parent (container securityContext vs pod securityContext).
    /// </summary>
    private static List<string> OwnersNear(Schema schema, string field, string type, string[] ancestors)
    {
        var near = new List<string>(ancestors.Reverse());
        void AddChildren(string t, int levels)
        {
            if (levels == 0 || !schema.Types.TryGetValue(t, out var fields)) return;
            foreach (var child in fields.Values)
                if (child != null)
                {
                    var c = child.TrimEnd('[', ']');
                    near.Add(c);
                    AddChildren(c, levels - 1);
                }
        }
        AddChildren(type, 2);
        if (ancestors.Length > 0) AddChildren(ancestors[^1], 2);
        return near.Distinct().Where(t => t != type && !t.EndsWith("Status", StringComparison.Ordinal) && schema.Types.TryGetValue(t, out var f) && f.ContainsKey(field)).ToList();
    }

    private static string TypeName(string type) => type.StartsWith("V2", StringComparison.Ordinal) || type.StartsWith("V1", StringComparison.Ordinal) ? type[2..] : type;

    private static void Walk(Node node, string type, Schema schema, List<(ScalarNode, string, string[])> found, List<string> ancestors)
    {
        var depth = ancestors.Count;
        if (depth > 40 || !schema.Types.TryGetValue(type, out var fields)) return;
        switch (node)
        {
            case MapNode map:
                // Indexed loops: this walk visits every map and list of every built-in object.
                for (var i = 0; i < map.Entries.Count; i++)
                {
                    var e = map.Entries[i];
                    var key = e.Name;
                    // YAML merge keys and strategic-merge-patch directives ($patch, $setElementOrder/...) are not fields.
                    if (key == null || key == "<<" || key.StartsWith('$') || e.KeyIsNull) continue;
                    if (!fields.TryGetValue(key, out var child))
                    {
                        found.Add((e.Key, type, ancestors.ToArray()));
                        continue;
                    }
                    // The same field written twice: the map keeps the last one (as the API does), so an entry that is not
                    // what a lookup returns is a duplicate that is silently dropped (strict validation rejects the object).
                    if (!ReferenceEquals(map[key], e.Value)) found.Add((e.Key, DuplicateMarker, ancestors.ToArray()));
                    if (key == "status" && depth == 0) continue; // written by controllers, not by people
                    if (child == null) continue;
                    ancestors.Add(type);
                    // A list where the schema has a list: check each item; any other shape mismatch is a type error, not ours.
                    if (schema.ItemTypes.TryGetValue(child, out var itemType))
                    {
                        if (e.Value is SeqNode seq)
                            for (var j = 0; j < seq.Items.Count; j++) Walk(seq.Items[j], itemType, schema, found, ancestors);
                    }
                    else if (e.Value is MapNode) Walk(e.Value, child, schema, found, ancestors);
                    ancestors.RemoveAt(ancestors.Count - 1);
                }
                break;
        }
    }
}
