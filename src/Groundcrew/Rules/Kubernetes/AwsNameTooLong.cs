using System.Text;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// An AWS resource name set in configuration that AWS will reject: too long, wrong characters, a hyphen at either end,
/// a reserved prefix. Limits come from Data/aws-name-limits.yaml (one row per AWS resource type).
/// Today: the AWS Load Balancer Controller's load-balancer-name annotations on Ingresses and Services (D1).
/// </summary>
public sealed class AwsNameTooLong : Rule
{
    public override string Title => "AWS resource name breaks AWS naming limits";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`InvalidParameterValueException: LoadBalancer name cannot be longer than 32 characters` (the controller never creates the load balancer)";
    public override string Fix => "Shorten the name to the limit, using only the allowed characters.";
    public override IReadOnlyList<string> Incidents => ["D1"];

    internal sealed record Limit(string Id, string Title, int MaxLength, Regex Pattern, string Allowed, string Edges, IReadOnlyList<string> ForbiddenPrefixes, string Error, string Source);
    internal sealed record KubeSite(string Kind, string Annotation, Limit Limit);

    internal static readonly Lazy<(IReadOnlyList<Limit> Limits, IReadOnlyList<KubeSite> Kube)> Data = new(() =>
    {
        var root = DataFiles.ReadYaml("aws-name-limits.yaml");
        var limits = new List<Limit>();
        var sites = new List<KubeSite>();
        foreach (var row in root.GetSeq("resources")?.Maps ?? [])
        {
            var limit = new Limit(row.GetString("id")!, row.GetString("title")!, int.Parse(row.GetString("maxLength")!),
                new Regex(row.GetString("pattern")!, RegexOptions.CultureInvariant), row.GetString("allowed") ?? "", row.GetString("edges") ?? "",
                row.GetSeq("forbiddenPrefixes")?.Items.OfType<ScalarNode>().Select(s => s.Value!).ToList() ?? [], row.GetString("error") ?? "", row.GetString("source") ?? "");
            limits.Add(limit);
            foreach (var k in row.GetSeq("kubernetes")?.Maps ?? [])
                sites.Add(new KubeSite(k.GetString("kind")!, k.GetString("annotation")!, limit));
        }
        return (limits, sites);
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var (_, sites) = Data.Value;
        foreach (var site in sites)
            foreach (var r in context.Model.OfKind(site.Kind))
            {
                if (r.Family != ResourceFamily.Kubernetes || !r.Annotations.TryGetValue(site.Annotation, out var node)) continue;
                var name = node.Value;
                if (string.IsNullOrEmpty(name) || KubeSupport.IsPlaceholder(name)) continue;
                var problems = Problems(name, site.Limit);
                if (problems.Count == 0) continue;
                var suggestion = Shorten(name, site.Limit);
                yield return At(node,
                    $"{site.Annotation}: \"{name}\" {string.Join("; ", problems)} ({site.Limit.Title} names: at most {site.Limit.MaxLength} characters, {site.Limit.Allowed}" +
                    (site.Limit.Edges.Length > 0 ? $", not starting or ending with '{site.Limit.Edges}'" : "") +
                    (site.Limit.ForbiddenPrefixes.Count > 0 ? $", not starting with {string.Join(", ", site.Limit.ForbiddenPrefixes.Select(p => $"'{p}'"))}" : "") + ")",
                    suggestion != null ? $"Use a valid name such as \"{suggestion}\" ({suggestion.Length} characters)." : Fix,
                    evidence: new Dictionary<string, string> { ["limit"] = site.Limit.Id, ["length"] = name.Length.ToString(), ["maxLength"] = site.Limit.MaxLength.ToString() });
            }
    }

    internal static List<string> Problems(string name, Limit limit)
    {
        var p = new List<string>();
        if (name.Length > limit.MaxLength) p.Add($"is {name.Length} characters, over the {limit.MaxLength}-character limit");
        if (!limit.Pattern.IsMatch(name))
        {
            var bad = name.Where(c => !limit.Pattern.IsMatch(c.ToString())).Distinct().Select(c => c == ' ' ? "' '" : $"'{c}'");
            p.Add($"contains characters AWS does not allow ({string.Join(" ", bad)})");
        }
        if (limit.Edges.Length > 0 && (limit.Edges.Contains(name[0]) || limit.Edges.Contains(name[^1])))
            p.Add($"starts or ends with '{limit.Edges}'");
        foreach (var prefix in limit.ForbiddenPrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) p.Add($"starts with the reserved prefix '{prefix}'");
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
