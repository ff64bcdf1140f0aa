using System.Text.RegularExpressions;

namespace Groundcrew.Iam;

/// <summary>
/// A resource a rule asks about whose ARN may be known only in part: an SSM parameter named without its Region
/// (ECS reads a bare name in the task's own Region and account), a Secrets Manager secret known by its name (its
/// ARN ends in a hyphen and six random characters we do not know), a KMS key declared in Terraform (its id is
/// generated). <see cref="Match"/> compares a policy Resource pattern with it: Yes when the pattern matches
/// whatever the unknown parts are, Unknown when it could match for some value of them, No when it cannot.
/// </summary>
public sealed partial record ResourceTarget
{
    public required string Service { get; init; }
    public string Partition { get; init; } = "aws";
    /// <summary>Null: not known (the task's Region, or a Terraform resource's).</summary>
    public string? Region { get; init; }
    /// <summary>Null: not known.</summary>
    public string? Account { get; init; }
    /// <summary>The known start of the resource part: <c>secret:prod/db</c>, <c>parameter/app/key</c>, <c>key/</c>.</summary>
    public required string Resource { get; init; }
    /// <summary>A Secrets Manager secret known by its name only: the real ARN adds "-" and six random characters.</summary>
    public bool SecretSuffixUnknown { get; init; }
    /// <summary>The rest of the resource part is not known (a KMS key id generated at apply time).</summary>
    public bool ResourceIdUnknown { get; init; }

    /// <summary>Every part known: <see cref="Arn"/> is the resource's ARN.</summary>
    public bool IsComplete => Region != null && Account != null && !SecretSuffixUnknown && !ResourceIdUnknown;
    public string Arn => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";

    private const string U = "\u0001"; // a character no ARN pattern spells: only a wildcard matches it

    /// <summary>How messages name it when its ARN says too little ("the ARN of aws_kms_key.app").</summary>
    public string? Label { get; init; }

    /// <summary>The ARN for messages, with the unknown parts named: arn:aws:ssm:(region):123456789012:parameter/app/key.</summary>
    public string Display => Label ??
        $"arn:{Partition}:{Service}:{Region ?? "(region)"}:{Account ?? "(account)"}:{Resource}" +
        (ResourceIdUnknown ? "(id)" : "") + (SecretSuffixUnknown ? "-(6 random characters)" : "");

    /// <summary>The narrowest policy Resource that matches it: unknown Region/account as *, a secret's suffix as -*.</summary>
    public string PolicyResource =>
        $"arn:{Partition}:{Service}:{Region ?? "*"}:{Account ?? "*"}:{Resource}" + (ResourceIdUnknown ? "*" : "") + (SecretSuffixUnknown ? "-*" : "");

    public Applies Match(string pattern)
    {
        pattern = pattern.Trim();
        if (pattern.Contains("${", StringComparison.Ordinal))
            return MatchCore(Variables().Replace(pattern, "*")) == Applies.No ? Applies.No : Applies.Unknown;
        return MatchCore(pattern);
    }

    private Applies MatchCore(string pattern)
    {
        if (pattern == "*") return Applies.Yes;
        var closed = $"arn:{Partition}:{Service}:{Region ?? U}:{Account ?? U}:{Resource}" + (ResourceIdUnknown ? U : "");
        if (IamMatch.Resource(pattern, SecretSuffixUnknown ? closed + "-" + new string('\u0001', 6) : closed)) return Applies.Yes;

        // Could it match for some value of the unknown parts? Give them the pattern's own values.
        var ps = IamMatch.Split(pattern);
        var region = Region ?? (ps.Count > 3 ? ps[3] : "");
        var account = Account ?? (ps.Count > 4 ? ps[4] : "");
        var resource = Resource;
        if (ResourceIdUnknown)
        {
            if (ps.Count < 6 || !ps[5].StartsWith(Resource, StringComparison.Ordinal)) return Applies.No;
            resource = ps[5];
        }
        var open = $"arn:{Partition}:{Service}:{region}:{account}:{resource}";
        if (SecretSuffixUnknown)
            return IamMatch.ResourceForSecretWithoutSuffix(pattern, open) == Applies.No ? Applies.No : Applies.Unknown;
        return open != closed && IamMatch.Resource(pattern, open) ? Applies.Unknown : Applies.No;
    }

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Variables();
}
