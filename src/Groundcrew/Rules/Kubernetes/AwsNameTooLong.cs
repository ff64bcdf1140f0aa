using System.Text;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// An AWS resource name set in configuration that AWS will reject: too long, wrong characters, a hyphen at either end,
/// a reserved prefix. Limits come from Data/aws-name-limits.yaml (one row per AWS resource type).
/// Checked: the AWS Load Balancer Controller's load-balancer-name annotations on Ingresses and Services (D1);
/// Terraform attributes and Pulumi inputs listed per row (names evaluated by the Terraform evaluator: unknown
/// values are never reported); the family of every ECS task definition.
/// </summary>
public sealed class AwsNameTooLong : Rule
{
    public override string Title => "AWS resource name breaks AWS naming limits";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`InvalidParameterValueException: LoadBalancer name cannot be longer than 32 characters` (the controller never creates the load balancer)";
    public override string Fix => "Shorten the name to the limit, using only the allowed characters.";
    public override IReadOnlyList<string> Incidents => ["D1"];

    internal sealed record Limit(string Id, string Title, int MaxLength, Groundcrew.Core.SafeRegex Pattern, string Allowed, string Edges, IReadOnlyList<string> ForbiddenPrefixes, string Error, string Source)
    {
        public int MinLength { get; init; } = 1;
        public Groundcrew.Core.SafeRegex? Start { get; init; }
        public string StartDescription { get; init; } = "";
        public bool NoDoubleHyphen { get; init; }
        public bool NoDoubleDot { get; init; }
        public bool NotIpAddress { get; init; }
        public IReadOnlyList<string> ForbiddenSuffixes { get; init; } = [];
        public bool EcsFamily { get; init; }
    }
    internal sealed record KubeSite(string Kind, string Annotation, Limit Limit);
    /// <summary>A Terraform attribute (Family Terraform) or Pulumi input (Family Pulumi) that holds a name.</summary>
    internal sealed record IacSite(ResourceFamily Family, string Type, string Attribute, Limit Limit);

    // One parse of the data file for both views below (declared first: static fields initialise in order).
    private static readonly Lazy<MapNode> DataFile = new(() => DataFiles.ReadYaml("aws-name-limits.yaml"));

    internal static readonly Lazy<(IReadOnlyList<Limit> Limits, IReadOnlyList<KubeSite> Kube)> Data = new(() =>
    {
        var root = DataFile.Value;
        var limits = new List<Limit>();
        var sites = new List<KubeSite>();
        foreach (var row in root.GetSeq("resources")?.Maps ?? [])
        {
            var limit = new Limit(row.GetString("id")!, row.GetString("title")!, int.Parse(row.GetString("maxLength")!),
                Groundcrew.Core.SafeRegex.Create(row.GetString("pattern")!, RegexOptions.CultureInvariant), row.GetString("allowed") ?? "", row.GetString("edges") ?? "",
                row.GetSeq("forbiddenPrefixes")?.Items.OfType<ScalarNode>().Select(s => s.Value!).ToList() ?? [], row.GetString("error") ?? "", row.GetString("source") ?? "")
            {
                MinLength = int.TryParse(row.GetString("minLength"), out var min) ? min : 1,
                Start = row.GetString("start") is { } start ? Groundcrew.Core.SafeRegex.Create("^" + start, RegexOptions.CultureInvariant) : null,
                StartDescription = row.GetString("startDescription") ?? "",
                NoDoubleHyphen = row.GetString("noDoubleHyphen") == "true",
                NoDoubleDot = row.GetString("noDoubleDot") == "true",
                NotIpAddress = row.GetString("notIpAddress") == "true",
                ForbiddenSuffixes = row.GetSeq("forbiddenSuffixes")?.Items.OfType<ScalarNode>().Select(s => s.Value!).ToList() ?? [],
                EcsFamily = row.GetString("ecsFamily") == "true",
            };
            limits.Add(limit);
            foreach (var k in row.GetSeq("kubernetes")?.Maps ?? [])
                sites.Add(new KubeSite(k.GetString("kind")!, k.GetString("annotation")!, limit));
        }
        return (limits, sites);
    });

    internal static readonly Lazy<IReadOnlyList<IacSite>> IacSites = new(() =>
    {
        var root = DataFile.Value;
        var limits = Data.Value.Limits.ToDictionary(l => l.Id);
        var sites = new List<IacSite>();
        foreach (var row in root.GetSeq("resources")?.Maps ?? [])
        {
            var limit = limits[row.GetString("id")!];
            foreach (var t in row.GetSeq("terraform")?.Maps ?? [])
                sites.Add(new IacSite(ResourceFamily.Terraform, t.GetString("type")!, t.GetString("attribute")!, limit));
            foreach (var p in row.GetSeq("pulumi")?.Maps ?? [])
                sites.Add(new IacSite(ResourceFamily.Pulumi, p.GetString("type")!, p.GetString("input")!, limit));
            foreach (var c in row.GetSeq("cloudformation")?.Maps ?? [])
                sites.Add(new IacSite(ResourceFamily.CloudFormation, c.GetString("type")!, c.GetString("property")!, limit));
        }
        return sites;
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var (limits, sites) = Data.Value;
        foreach (var site in sites)
            foreach (var r in context.Model.OfKind(site.Kind))
            {
                if (r.Family != ResourceFamily.Kubernetes || !r.Annotations.TryGetValue(site.Annotation, out var node)) continue;
                if (Report(node, site.Annotation, site.Limit, null) is { } f) yield return f;
            }

        foreach (var site in IacSites.Value)
            foreach (var r in context.Model.OfKind(site.Type))
            {
                if (r.Family != site.Family || r.Body[site.Attribute] is not ScalarNode node) continue;
                var where = site.Family == ResourceFamily.Terraform ? $"{r.Name} {site.Attribute}" : $"{r.Kind} \"{r.Name}\" {site.Attribute}";
                var note = site.Family != ResourceFamily.Terraform ? null
                    : r.Plan != null ? $" The value is the one in the plan {r.Plan}."
                    : " The value is the one Groundcrew evaluates from the configuration, variable defaults and .tfvars; a value given at plan time (-var, TF_VAR_*) may differ.";
                if (Report(node, where, site.Limit, note) is { } f) yield return f;
            }

        foreach (var family in limits.Where(l => l.EcsFamily))
            foreach (var td in context.Model.TaskDefinitions)
                if (td.Body["family"] is ScalarNode node && Report(node, $"task definition family", family, null) is { } f)
                    yield return f;
    }

    /// <summary>Pulumi preview prints this for values known only after the update (UnknownStringValue in the Pulumi SDK).</summary>
    private const string PulumiUnknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    private Finding? Report(ScalarNode node, string where, Limit limit, string? note)
    {
        // Only text: null, numbers, unknown Terraform values (not a ScalarNode at all) and placeholders are never judged.
        if (node.Kind == ScalarKind.Plain && (node.IsNull || !node.IsString)) return null;
        var name = node.Value;
        if (string.IsNullOrEmpty(name) || KubeSupport.IsPlaceholder(name) || name.Contains(PulumiUnknown, StringComparison.Ordinal)) return null;
        var problems = Problems(name, limit);
        if (problems.Count == 0) return null;
        var suggestion = Shorten(name, limit);
        return At(node,
            $"{where}: \"{name}\" {string.Join("; ", problems)} ({limit.Title} names: {(limit.MinLength > 1 ? $"{limit.MinLength} to {limit.MaxLength}" : $"at most {limit.MaxLength}")} characters, {limit.Allowed}" +
            (limit.Start != null ? $", starting with {limit.StartDescription}" : "") +
            (limit.Edges.Length > 0 ? $", not starting or ending with {EdgeList(limit.Edges)}" : "") +
            (limit.ForbiddenPrefixes.Count > 0 ? $", not starting with {string.Join(", ", limit.ForbiddenPrefixes.Select(p => $"'{p}'"))}" : "") +
            (limit.ForbiddenSuffixes.Count > 0 ? $", not ending with {string.Join(", ", limit.ForbiddenSuffixes.Select(p => $"'{p}'"))}" : "") + ")." + note,
            suggestion != null ? $"Use a valid name such as \"{suggestion}\" ({suggestion.Length} characters)." : Fix,
            evidence: new Dictionary<string, string> { ["limit"] = limit.Id, ["length"] = name.Length.ToString(), ["maxLength"] = limit.MaxLength.ToString() });
    }

    private static string EdgeList(string edges) => string.Join(" or ", edges.Select(c => $"'{c}'"));

    internal static List<string> Problems(string name, Limit limit)
    {
        var p = new List<string>();
        if (name.Length > limit.MaxLength) p.Add($"is {name.Length} characters, over the {limit.MaxLength}-character limit");
        if (!limit.Pattern.IsMatch(name))
        {
            var bad = name.Where(c => !limit.Pattern.IsMatch(c.ToString())).Distinct().Select(c => c == ' ' ? "' '" : $"'{c}'");
            p.Add($"contains characters AWS does not allow ({string.Join(" ", bad)})");
        }
        if (name.Length < limit.MinLength) p.Add($"is {name.Length} characters, under the {limit.MinLength}-character minimum");
        if (name.Length == 0) return p;
        if (limit.Start != null && !limit.Start.IsMatch(name)) p.Add($"does not start with {limit.StartDescription}");
        if (limit.Edges.Length > 0 && (limit.Edges.Contains(name[0]) || limit.Edges.Contains(name[^1])))
            p.Add($"starts or ends with {EdgeList(limit.Edges)}");
        if (limit.NoDoubleHyphen && name.Contains("--", StringComparison.Ordinal)) p.Add("contains two consecutive hyphens");
        if (limit.NoDoubleDot && name.Contains("..", StringComparison.Ordinal)) p.Add("contains two adjacent periods");
        if (limit.NotIpAddress && System.Net.IPAddress.TryParse(name, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Count(c => c == '.') == 3)
            p.Add("is formatted as an IP address");
        foreach (var prefix in limit.ForbiddenPrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) p.Add($"starts with the reserved prefix '{prefix}'");
        foreach (var suffix in limit.ForbiddenSuffixes)
            if (name.EndsWith(suffix, StringComparison.Ordinal)) p.Add($"ends with the reserved suffix '{suffix}'");
        return p;
    }

    private static readonly (string Long, string Short)[] Abbreviations =
    [
        ("production", "prod"), ("staging", "stg"), ("development", "dev"), ("internal", "int"), ("external", "ext"),
        ("application", "app"), ("applications", "apps"), ("loadbalancer", "lb"), ("load-balancer", "lb"), ("service", "svc"),
        ("services", "svc"), ("environment", "env"), ("frontend", "fe"), ("backend", "be"), ("public", "pub"), ("private", "priv"),
        ("ingress", "ing"),
    ];

    /// <summary>A valid name close to the given one: invalid characters become hyphens, common words shortened, then cut to the limit.</summary>
    internal static string? Shorten(string name, Limit limit)
    {
        var sb = new StringBuilder();
        if (!limit.Pattern.IsMatch("A") && limit.Pattern.IsMatch("a")) name = name.ToLowerInvariant();
        foreach (var c in name) sb.Append(limit.Pattern.IsMatch(c.ToString()) ? c : '-');
        var s = Regex.Replace(sb.ToString(), "-{2,}", "-");
        foreach (var prefix in limit.ForbiddenPrefixes)
            if (s.StartsWith(prefix, StringComparison.Ordinal)) s = s[prefix.Length..];
        if (s.Length > limit.MaxLength)
        {
            var words = s.Split('-').Select(w => Abbreviations.FirstOrDefault(a => a.Long.Equals(w, StringComparison.OrdinalIgnoreCase)).Short ?? w);
            s = string.Join('-', words);
            s = Regex.Replace(s, "(?i)load-balancer", "lb");
        }
        if (s.Length > limit.MaxLength) s = s[..limit.MaxLength];
        if (limit.Edges.Length > 0) s = s.Trim(limit.Edges.ToCharArray());
        if (s.Length == 0 || Problems(s, limit).Count > 0) return null;
        return s;
    }
}
