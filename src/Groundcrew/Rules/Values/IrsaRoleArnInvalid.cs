using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Values;

/// <summary>
/// A ServiceAccount's `eks.amazonaws.com/role-arn` annotation that is not an IAM role ARN: wrong partition or service,
/// a region, an account that is not 12 digits, a user/policy instead of a role, a name over 64 characters or with
/// characters IAM rejects. Also Terraform kubernetes_service_account(_v1) whose annotation is set to a role's name
/// (<c>aws_iam_role.x.name</c>, <c>.id</c>, <c>.unique_id</c>) instead of its ARN. Placeholders (ACCOUNT_ID, 123456789012, ${VAR}) belong to placeholder-value and are not reported twice.
/// </summary>
public sealed class IrsaRoleArnInvalid : Rule
{
    public override string Title => "IRSA role ARN is not a valid IAM role ARN";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`InvalidIdentityToken` / `ValidationError: Request ARN is invalid` from sts:AssumeRoleWithWebIdentity: every AWS call of the pod fails (incident A2)";
    public override string Fix => "Use the role's ARN exactly as IAM shows it: arn:aws:iam::<12-digit account>:role/<optional/path/>name.";
    public override IReadOnlyList<string> Incidents => ["A2"];

    private sealed record Tables(string Annotation, HashSet<string> Partitions, int NameMax, Groundcrew.Core.SafeRegex NamePattern, int PathMax, Groundcrew.Core.SafeRegex PathPattern,
        Dictionary<string, string> NotArnAttributes, Regex NameReference);

    private static readonly Lazy<Tables> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("iam-role-arn.yaml");
        return new Tables(
            y.GetString("annotation") ?? "eks.amazonaws.com/role-arn",
            (y.GetSeq("partitions")?.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>() ?? []).ToHashSet(StringComparer.Ordinal),
            (int)((y["roleNameMaxLength"] as ScalarNode)?.AsLong ?? 64),
            Groundcrew.Core.SafeRegex.Create(y.GetString("roleNamePattern") ?? ".*", RegexOptions.CultureInvariant),
            (int)((y["pathMaxLength"] as ScalarNode)?.AsLong ?? 512),
            Groundcrew.Core.SafeRegex.Create(y.GetString("pathPattern") ?? ".*", RegexOptions.CultureInvariant),
            NotArn(y),
            NameReferencePattern(NotArn(y).Keys));
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var d = Data.Value;
        foreach (var sa in context.Model.OfKind("ServiceAccount"))
        {
            if (!sa.Annotations.TryGetValue(d.Annotation, out var node) || node.IsNull) continue;
            var value = node.Value ?? "";
            if (value.Length == 0 || Placeholders.IsTemplated(value)) continue;
            if (Placeholders.Any(value) != null) continue; // placeholder-value owns placeholders
            if (Problem(value, d) is { } why)
                yield return At(node, $"ServiceAccount {sa.Name}: {d.Annotation} '{Short(value)}' is not a valid IAM role ARN: {why}");
        }
        foreach (var f in TerraformServiceAccounts(context.Model, d)) yield return f;
    }

    private static Dictionary<string, string> NotArn(MapNode y) =>
        (y.GetMap("terraformNotArnAttributes")?.Entries ?? []).Where(e => e.Value is ScalarNode { Value: not null })
            .ToDictionary(e => e.Name, e => ((ScalarNode)e.Value).Value!, StringComparer.Ordinal);

    // aws_iam_role.x.<attribute> (optionally indexed, in a module, a data source, or inside "${...}") for the attributes that are not the ARN.
    private static Regex NameReferencePattern(IEnumerable<string> attributes) => new(
        @"^""?(?:\$\{)?(?<role>(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?aws_iam_role\.[\w-]+(?:\[[^\]]*\])?)\.(?<attr>"
        + string.Join("|", attributes.Select(Regex.Escape)) + @")(?:\})?""?\s*,?$",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// kubernetes_service_account(_v1) resources: the evaluated tree holds the role's name (pointing at the role), so the
    /// annotation's expression is read from the source text after the annotations map's opening brace.
    /// </summary>
    private IEnumerable<Finding> TerraformServiceAccounts(DeploymentModel model, Tables d)
    {
        foreach (var r in model.OfKinds(Irsa.IrsaFacts.TerraformServiceAccountTypes))
        {
            if (r.Family != ResourceFamily.Terraform || Irsa.IrsaFacts.IsData(r)) continue;
            if (r.Body.GetSeq("metadata")?.Maps.FirstOrDefault()?.GetMap("annotations") is not { } annotations || annotations[d.Annotation] == null) continue;
            if (AnnotationExpression(model, annotations.Span, d.Annotation) is not { } expr) continue;
            var m = d.NameReference.Match(expr.Text);
            if (!m.Success) continue;
            var role = m.Groups["role"].Value;
            var attr = m.Groups["attr"].Value;
            var what = d.NotArnAttributes[attr];
            yield return At(expr.Span,
                $"ServiceAccount {SaName(r)}: {d.Annotation} = {role}.{attr} is {what}, not its ARN; the EKS pod identity webhook passes it to sts:AssumeRoleWithWebIdentity as the role ARN, which STS rejects",
                fix: $"Use the role's ARN: \"{d.Annotation}\" = {role}.arn");
        }
    }

    private static string SaName(Resource r) => Irsa.IrsaFacts.Literal(r.Body.GetSeq("metadata")?.Maps.FirstOrDefault()?["name"]) ?? r.Address ?? r.Name;

    /// <summary>The source text and position of `"annotation" = EXPR` (or `:`) at or after <paramref name="from"/>; null when not found.</summary>
    private static (string Text, SourceSpan Span)? AnnotationExpression(DeploymentModel model, SourceSpan from, string annotation)
    {
        string[] lines;
        try
        {
            var root = Path.GetFullPath(model.Root);
            var path = File.Exists(root) ? Path.Combine(Path.GetDirectoryName(root)!, from.File) : Path.Combine(root, from.File);
            if (!File.Exists(path)) return null;
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
        var key = new Regex(@"[""']?" + Regex.Escape(annotation) + @"[""']?\s*[=:]\s*(?<expr>[^#\r\n]*?)\s*(?://.*)?$", RegexOptions.CultureInvariant);
        for (var i = Math.Max(0, from.StartLine - 1); i < lines.Length && i < from.StartLine + 50; i++)
        {
            var text = i == from.StartLine - 1 && from.StartColumn > 0 && from.StartColumn <= lines[i].Length ? lines[i][(from.StartColumn - 1)..] : lines[i];
            var m = key.Match(text);
            if (!m.Success) continue;
            var expr = m.Groups["expr"].Value.Trim();
            // `{ "k" = aws_iam_role.x.name }` on one line: drop the map's closing brace, keep the one of "${...}".
            while (expr.EndsWith('}') && expr.Count(ch => ch == '}') > expr.Count(ch => ch == '{')) expr = expr[..^1].TrimEnd();
            var col = (i == from.StartLine - 1 ? from.StartColumn - 1 : 0) + m.Groups["expr"].Index + 1;
            return (expr, new SourceSpan(from.File, i + 1, col));
        }
        return null;
    }

    public static string? Problem(string value) => Problem(value, Data.Value);

    private static string? Problem(string value, Tables d)
    {
        if (value != value.Trim()) return "it has leading or trailing whitespace";
        var parts = value.Split(':', 6);
        if (parts.Length < 6 || parts[0] != "arn") return "it does not have the form arn:PARTITION:iam::ACCOUNT:role/NAME";
        if (!d.Partitions.Contains(parts[1])) return $"partition '{parts[1]}' is not an AWS partition (aws, aws-cn, aws-us-gov...)";
        if (parts[2] != "iam") return $"service is '{parts[2]}', an IRSA role ARN names the iam service";
        if (parts[3].Length != 0) return $"IAM is global: the region field must be empty, not '{parts[3]}'";
        if (parts[4].Length != 12 || !parts[4].All(char.IsAsciiDigit)) return $"account '{parts[4]}' is not 12 digits";
        var resource = parts[5];
        if (!resource.StartsWith("role/", StringComparison.Ordinal))
            return $"the resource is '{resource.Split('/')[0]}', not a role (a pod can only assume a role)";
        var rest = resource["role".Length..]; // "/path/name"
        var lastSlash = rest.LastIndexOf('/');
        var path = rest[..(lastSlash + 1)];
        var name = rest[(lastSlash + 1)..];
        if (name.Length == 0) return "the role name is empty";
        if (name.Length > d.NameMax) return $"the role name is {name.Length} characters; IAM allows at most {d.NameMax}";
        if (!d.NamePattern.IsMatch(name)) return "the role name has characters IAM does not allow (only letters, digits and +=,.@_-)";
        if (path.Length > d.PathMax || !d.PathPattern.IsMatch(path)) return $"the role path '{path}' is not valid";
        return null;
    }

    private static string Short(string s) => s.Length > 140 ? s[..137] + "..." : s;
}
