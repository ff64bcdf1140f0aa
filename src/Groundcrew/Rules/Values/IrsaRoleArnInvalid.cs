using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Rules.Values;

/// <summary>
/// A ServiceAccount's `eks.amazonaws.com/role-arn` annotation that is not an IAM role ARN: wrong partition or service,
/// a region, an account that is not 12 digits, a user/policy instead of a role, a name over 64 characters or with
/// characters IAM rejects. Placeholders (ACCOUNT_ID, 123456789012, ${VAR}) belong to placeholder-value and are not reported twice.
/// </summary>
public sealed class IrsaRoleArnInvalid : Rule
{
    public override string Title => "IRSA role ARN is not a valid IAM role ARN";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`InvalidIdentityToken` / `ValidationError: Request ARN is invalid` from sts:AssumeRoleWithWebIdentity: every AWS call of the pod fails (incident A2)";
    public override string Fix => "Use the role's ARN exactly as IAM shows it: arn:aws:iam::<12-digit account>:role/<optional/path/>name.";
    public override IReadOnlyList<string> Incidents => ["A2"];

    private sealed record Tables(string Annotation, HashSet<string> Partitions, int NameMax, Regex NamePattern, int PathMax, Regex PathPattern);

    private static readonly Lazy<Tables> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("iam-role-arn.yaml");
        return new Tables(
            y.GetString("annotation") ?? "eks.amazonaws.com/role-arn",
            (y.GetSeq("partitions")?.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>() ?? []).ToHashSet(StringComparer.Ordinal),
            (int)((y["roleNameMaxLength"] as ScalarNode)?.AsLong ?? 64),
            new Regex(y.GetString("roleNamePattern") ?? ".*", RegexOptions.CultureInvariant),
            (int)((y["pathMaxLength"] as ScalarNode)?.AsLong ?? 512),
            new Regex(y.GetString("pathPattern") ?? ".*", RegexOptions.CultureInvariant));
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var d = Data.Value;
        foreach (var sa in context.Model.OfKind("ServiceAccount"))
        {
            if (!sa.Annotations.TryGetValue(d.Annotation, out var node) || node.IsNull) continue;
            var value = node.Value ?? "";
            if (value.Length == 0 || value.Contains("${", StringComparison.Ordinal) || value.Contains("$(", StringComparison.Ordinal) || value.Contains("{{", StringComparison.Ordinal)) continue;
            if (Placeholders.Any(value) != null) continue; // placeholder-value owns placeholders
            if (Problem(value, d) is { } why)
                yield return At(node, $"ServiceAccount {sa.Name}: {d.Annotation} '{Short(value)}' is not a valid IAM role ARN: {why}");
        }
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
