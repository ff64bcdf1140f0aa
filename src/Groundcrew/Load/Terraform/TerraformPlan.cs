using System.Globalization;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load.Terraform;

/// <summary>One resource instance of a plan (or state) JSON, with its values as Terraform will apply them.</summary>
/// <param name="Address">The full instance address: <c>module.lb.aws_lb.this[0]</c>, <c>data.aws_iam_policy_document.x</c>.</param>
/// <param name="ConfigAddress">The address of its configuration block: module path without instance keys, then the
/// module-relative address without the instance key (<c>module.lb.aws_lb.this</c>).</param>
/// <param name="Value">Known values from <c>planned_values</c>; values known only after apply and sensitive values are unknown.</param>
/// <param name="Config">The resource's entry in <c>configuration</c> (its <c>expressions</c>), when the plan has one.</param>
public sealed record PlanResource(string Address, string ModulePath, string ConfigAddress, bool Data, string Type, string Name, TfValue Value, SourceSpan Span, MapNode? Config);

/// <summary>
/// The JSON that <c>terraform show -json plan.out</c> prints (https://developer.hashicorp.com/terraform/internals/json-format),
/// recognised by content: <c>format_version</c> and <c>terraform_version</c> with <c>planned_values</c>, <c>resource_changes</c>
/// or <c>configuration</c>.
/// <c>terraform show -json</c> of a state (<c>values</c>) is read the same way.
/// <list type="bullet">
/// <item>Resources come from <c>planned_values.root_module</c> and its <c>child_modules</c>; data sources read during the plan
/// from <c>prior_state</c> when <c>planned_values</c> does not list them.</item>
/// <item><c>resource_changes[].change.after_unknown</c> marks values known only after apply: they are unknown.</item>
/// <item><c>sensitive_values</c> and <c>after_sensitive</c> mark sensitive values: they are unknown too, never read, so
/// never printed.</item>
/// </list>
/// Every value's span is its line in the plan JSON; <see cref="TerraformLoader"/> moves them to the .tf lines when the
/// plan's root module is scanned too. Addresses are unique within one plan: <see cref="Resource.Scope"/>, <see cref="Resource.TerraformRoot"/>
/// and the scope of references are the plan file (two plans of one root module, one per environment, stay apart).
/// </summary>
public sealed class TerraformPlan
{
    public const string UnknownReason = "known after apply (the plan says so)";
    public const string SensitiveReason = "sensitive in the plan (not read)";

    public required string File { get; init; }
    public required MapNode Root { get; init; }
    public List<PlanResource> Resources { get; } = new();
    /// <summary>Configuration addresses of the root module's own resources and module calls (<c>aws_lb.web</c>, <c>module.lb</c>).</summary>
    public HashSet<string> RootAddresses { get; } = new(StringComparer.Ordinal);
    /// <summary>
    /// The text of every value the plan marks sensitive (resource values, after values, sensitive variables): never
    /// read into the model, and handed to the Redactor, because a one-line plan shown as a source excerpt would
    /// otherwise print them.
    /// </summary>
    public HashSet<string> SensitiveTexts { get; } = new(StringComparer.Ordinal);

    public static bool IsPlan(MapNode root) =>
        root.GetString("format_version") is { Length: > 0 } && root.GetString("terraform_version") is { Length: > 0 }
        && (root["planned_values"] is MapNode || root["resource_changes"] is SeqNode || root["configuration"] is MapNode
            || root.GetMap("values")?["root_module"] is MapNode);

    public static TerraformPlan Read(MapNode root, string file)
    {
        var plan = new TerraformPlan { File = file, Root = root };
        var changes = new Dictionary<string, MapNode>(StringComparer.Ordinal);
        foreach (var rc in root.GetSeq("resource_changes")?.Maps ?? [])
            if (rc.GetString("address") is { } a && rc.GetMap("change") is { } change) changes[a] = change;

        // Sensitive input variables: their values sit in clear text in the plan's top-level "variables".
        var declared = root.GetMap("configuration")?.GetMap("root_module")?.GetMap("variables");
        foreach (var v in root.GetMap("variables")?.Entries ?? [])
            if (declared?.GetMap(v.Name) is { } decl && IsTrue(decl["sensitive"]) && v.Value is MapNode given)
                plan.CollectSensitive(given["value"], decl["sensitive"]);

        var configs = new Dictionary<string, MapNode>(StringComparer.Ordinal);
        if (root.GetMap("configuration")?.GetMap("root_module") is { } configRoot)
        {
            IndexConfig(configRoot, "", configs);
            foreach (var r in configRoot.GetSeq("resources")?.Maps ?? [])
                if (r.GetString("address") is { } a) plan.RootAddresses.Add(a);
            foreach (var call in configRoot.GetMap("module_calls")?.Entries ?? [])
                plan.RootAddresses.Add("module." + call.Name);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = root.GetMap("planned_values")?.GetMap("root_module") ?? root.GetMap("values")?.GetMap("root_module");
        if (values != null) plan.ReadModule(values, changes, configs, seen, dataOnly: false);
        if (root.GetMap("prior_state")?.GetMap("values")?.GetMap("root_module") is { } prior)
            plan.ReadModule(prior, changes, configs, seen, dataOnly: true);

        if (root["configuration"] is null)
            foreach (var r in plan.Resources.Where(r => r.ModulePath == ""))
                plan.RootAddresses.Add(r.ConfigAddress);
        foreach (var r in plan.Resources.Where(r => r.ModulePath != ""))
            if (root["configuration"] is null) plan.RootAddresses.Add(string.Join('.', r.ConfigAddress.Split('.').Take(2)));
        return plan;
    }

    private static void IndexConfig(MapNode module, string prefix, Dictionary<string, MapNode> configs)
    {
        foreach (var r in module.GetSeq("resources")?.Maps ?? [])
            if (r.GetString("address") is { } a) configs[prefix + a] = r;
        foreach (var call in module.GetMap("module_calls")?.Entries ?? [])
            if (call.Value is MapNode c && c.GetMap("module") is { } child) IndexConfig(child, $"{prefix}module.{call.Name}.", configs);
    }

    private void ReadModule(MapNode module, Dictionary<string, MapNode> changes, Dictionary<string, MapNode> configs, HashSet<string> seen, bool dataOnly)
    {
        foreach (var r in module.GetSeq("resources")?.Maps ?? [])
        {
            if (r.GetString("address") is not { } address || r.GetString("type") is not { } type || r.GetString("name") is not { } name) continue;
            var data = r.GetString("mode") == "data";
            if (dataOnly && !data || !seen.Add(address)) continue;
            var modulePath = ModulePath(address);
            var configAddress = (modulePath.Length > 0 ? StripKeys(modulePath) + "." : "") + (data ? "data." : "") + type + "." + name;
            changes.TryGetValue(address, out var change);
            var sensitive = Merge(r["sensitive_values"], change?["after_sensitive"]);
            CollectSensitive(r["values"], sensitive);
            CollectSensitive(change?["after"], sensitive);
            CollectSensitive(change?["before"], change?["before_sensitive"]);
            var value = FromJson(r["values"] ?? new MapNode { Span = r.Span }, change?["after_unknown"], sensitive, r.Span);
            configs.TryGetValue(configAddress, out var config);
            if (config?.GetMap("expressions") is { } expressions) value = WithRefs(value, expressions, modulePath.Length > 0 ? modulePath + "." : "", File);
            Resources.Add(new PlanResource(address, modulePath, configAddress, data, type, name, value, r.Span, config));
        }
        foreach (var child in module.GetSeq("child_modules")?.Maps ?? [])
            ReadModule(child, changes, configs, seen, dataOnly);
    }

    /// <summary>The module part of an instance address: <c>module.a["x"].module.b</c> for <c>module.a["x"].module.b.aws_lb.y[0]</c>.</summary>
    internal static string ModulePath(string address)
    {
        var parts = SplitAddress(address);
        var end = 0;
        while (end + 1 < parts.Count && parts[end] == "module") end += 2;
        return string.Join('.', parts.Take(end));
    }

    /// <summary>Remove instance keys: <c>module.a["x"]</c> -> <c>module.a</c>.</summary>
    internal static string StripKeys(string address)
    {
        var sb = new System.Text.StringBuilder();
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (quoted) { if (c == '\\') i++; else if (c == '"') quoted = false; continue; }
            if (c == '[') { depth++; continue; }
            if (c == ']') { depth--; continue; }
            if (depth > 0) { if (c == '"') quoted = true; continue; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Split at dots outside brackets and quotes.</summary>
    private static List<string> SplitAddress(string address)
    {
        var parts = new List<string>();
        var start = 0;
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (quoted) { if (c == '\\') i++; else if (c == '"') quoted = false; continue; }
            if (c == '"') quoted = true;
            else if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == '.' && depth == 0) { parts.Add(address[start..i]); start = i + 1; }
        }
        parts.Add(address[start..]);
        return parts;
    }

    /// <summary>Two sensitivity marks combined: true wins; objects and lists are combined key by key.</summary>
    private static Node? Merge(Node? a, Node? b)
    {
        if (a == null || IsFalse(a)) return b;
        if (b == null || IsFalse(b)) return a;
        if (IsTrue(a)) return a;
        if (IsTrue(b)) return b;
        if (a is MapNode ma && b is MapNode mb)
        {
            var m = new MapNode { Span = ma.Span };
            foreach (var key in ma.Entries.Select(e => e.Name).Concat(mb.Entries.Select(e => e.Name)).OfType<string>().Distinct())
                if (Merge(ma[key], mb[key]) is { } v) m.Add(new ScalarNode { Value = key, Kind = ScalarKind.Quoted, Span = v.Span }, v);
            return m;
        }
        if (a is SeqNode sa && b is SeqNode sb)
        {
            var s = new SeqNode { Span = sa.Span };
            for (var i = 0; i < Math.Max(sa.Items.Count, sb.Items.Count); i++)
                s.Add(Merge(i < sa.Items.Count ? sa.Items[i] : null, i < sb.Items.Count ? sb.Items[i] : null) ?? new ScalarNode { Value = "false", Span = sa.Span });
            return s;
        }
        return a;
    }

    private static bool IsTrue(Node? n) => n is ScalarNode { Kind: ScalarKind.Plain, Value: "true" };
    private static bool IsFalse(Node? n) => n is ScalarNode { Kind: ScalarKind.Plain, Value: "false" or null };

    private static Node? Child(Node? marks, string key) => marks is MapNode m ? m[key] : IsTrue(marks) ? marks : null;
    private static Node? Child(Node? marks, int index) => marks is SeqNode s ? index < s.Items.Count ? s.Items[index] : null : IsTrue(marks) ? marks : null;

    /// <summary>Every scalar under <paramref name="values"/> that <paramref name="mask"/> (true, or a map/list of marks) calls sensitive.</summary>
    private void CollectSensitive(Node? values, Node? mask)
    {
        if (values == null || mask == null) return;
        if (IsTrue(mask))
        {
            foreach (var n in values.Descendants().Prepend(values))
                if (n is ScalarNode { Value: { Length: > 0 } v }) SensitiveTexts.Add(v);
            return;
        }
        switch (mask)
        {
            case MapNode m when values is MapNode vm:
                foreach (var e in m.Entries) CollectSensitive(vm[e.Name], e.Value);
                break;
            case SeqNode ms when values is SeqNode vs:
                for (var i = 0; i < ms.Items.Count && i < vs.Items.Count; i++) CollectSensitive(vs.Items[i], ms.Items[i]);
                break;
        }
    }

    /// <summary>A plan JSON value as a <see cref="TfValue"/> with plan-line origins; unknown and sensitive marks become unknowns.</summary>
    internal static TfValue FromJson(Node node, Node? unknown, Node? sensitive, SourceSpan fallback)
    {
        var span = node.Span.StartLine > 0 ? node.Span : fallback;
        if (IsTrue(sensitive)) return TfValue.Unknown(SensitiveReason, span);
        if (IsTrue(unknown)) return TfValue.Unknown(UnknownReason, span);
        switch (node)
        {
            case MapNode map:
            {
                var entries = new List<KeyValuePair<string, TfValue>>();
                foreach (var e in map.Entries)
                    entries.Add(new(e.Name, FromJson(e.Value, Child(unknown, e.Name), Child(sensitive, e.Name), span)));
                // Unknown values are left out of the plan's values: put them back as unknowns.
                if (unknown is MapNode marks)
                    foreach (var e in marks.Entries)
                        if (map[e.Name] is null && e.Value.Descendants().Any(IsTrue))
                            entries.Add(new(e.Name, IsTrue(e.Value) ? TfValue.Unknown(UnknownReason, span) : FromJson(Empty(e.Value, span), e.Value, Child(sensitive, e.Name), span)));
                return TfValue.Object(entries, span);
            }
            case SeqNode seq:
            {
                var items = new List<TfValue>();
                for (var i = 0; i < seq.Items.Count; i++) items.Add(FromJson(seq.Items[i], Child(unknown, i), Child(sensitive, i), span));
                return TfValue.List(items, span);
            }
            case ScalarNode { Kind: ScalarKind.Quoted } s:
                return TfValue.String(s.Value ?? "", span);
            case ScalarNode s when s.Value is null:
                // Unknown elements of a list are null in the plan (so indices stay): after_unknown says which.
                return TfValue.Null(span);
            case ScalarNode { Value: "true" or "false" } b:
                return TfValue.Boolean(b.Value == "true", span);
            case ScalarNode n when decimal.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return TfValue.Num(d, span);
            default:
                return TfValue.Unknown("not a JSON value", span);
        }
    }

    /// <summary>
    /// Unknown values whose configuration expression is one reference to a resource (<c>execution_role_arn =
    /// aws_iam_role.execution.arn</c>: <c>references</c> lists <c>aws_iam_role.execution.arn</c> and <c>aws_iam_role.execution</c>)
    /// keep that reference (<see cref="TfValue.Ref"/>, module-prefixed), as the HCL path does. Nested blocks are followed.
    /// </summary>
    internal static TfValue WithRefs(TfValue value, Node? expression, string modulePrefix, string scope)
    {
        if (expression is not MapNode expr) return value;
        if (expr["references"] is SeqNode refs || expr["constant_value"] != null)
        {
            if (value.IsKnown || expr["references"] is not SeqNode list) return value;
            var names = list.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>().ToList();
            if (names.Count == 0 || names.Any(n => !names[0].StartsWith(n, StringComparison.Ordinal))) return value; // several references: a computed value
            var first = names[0];
            if (first.Split('.')[0] is "var" or "local" or "each" or "count" or "path" or "terraform" or "self") return value;
            return TfValue.Reference(value.Reason ?? UnknownReason, modulePrefix + first, scope, value.Origin);
        }
        if (value.Kind != TfKind.Map) return value;
        var entries = value.Map.Select(e => new KeyValuePair<string, TfValue>(e.Key, e.Value.Kind switch
        {
            _ when expr[e.Key] is MapNode m => WithRefs(e.Value, m, modulePrefix, scope),
            TfKind.List when expr[e.Key] is SeqNode blocks => TfValue.List(
                e.Value.Items.Select((item, i) => i < blocks.Items.Count ? WithRefs(item, blocks.Items[i], modulePrefix, scope) : item).ToList(), e.Value.Origin, e.Value.IsSet),
            _ => e.Value,
        })).ToList();
        return TfValue.Object(entries, value.Origin);
    }

    /// <summary>An empty container shaped like an after_unknown mark (a nested object only partly unknown).</summary>
    private static Node Empty(Node marks, SourceSpan span) => marks is SeqNode ? new SeqNode { Span = span } : new MapNode { Span = span };

    /// <summary>The model resources of this plan, with plan-line spans (see <see cref="ToResource"/>).</summary>
    public IEnumerable<Resource> ToModel() => Resources.Select(r => ToResource(r, File)).OfType<Resource>();

    /// <summary>
    /// A plan resource as a model resource, exactly as the HCL path builds it: <c>aws_ecs_task_definition</c> becomes an ECS
    /// task definition in the RegisterTaskDefinition shape (its <c>container_definitions</c> string decoded), everything else a
    /// <see cref="ResourceFamily.Terraform"/> resource named by its address.
    /// </summary>
    public static Resource? ToResource(PlanResource r, string file)
    {
        if (r.Value.Kind != TfKind.Map) return null;
        if (!r.Data && r.Type == "aws_ecs_task_definition")
        {
            var body = TerraformValueToTree.EcsTaskDefinition(r.Value, r.Span);
            return new Resource
            {
                Family = ResourceFamily.EcsTaskDefinition, Kind = "TaskDefinition", Name = body.GetString("family") ?? r.Address, Body = body, File = file,
                Address = r.Address, Plan = file, Scope = file, TerraformRoot = file,
            };
        }
        if (TerraformValueToTree.Convert(r.Value, r.Span) is not MapNode tree) return null;
        return new Resource { Family = ResourceFamily.Terraform, Kind = r.Type, Name = r.Address, Body = tree, File = file, Address = r.Address, Plan = file, Scope = file, TerraformRoot = file };
    }
}
