namespace Groundcrew.Iam;

/// <summary>
/// Wildcard matching as IAM does it. <c>*</c> matches any run of characters (also none), <c>?</c> any single
/// character. Actions match case-insensitively ("the prefix and the action name are case insensitive",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html); resource ARNs
/// match case-sensitively, segment by segment (<see cref="Arn"/>).
/// </summary>
public static class IamMatch
{
    /// <summary>Glob match of the whole <paramref name="value"/>; linear in practice (greedy with one backtrack point).</summary>
    public static bool Glob(string pattern, string value, bool ignoreCase)
    {
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase))) { p++; v++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = v; }
            else if (star >= 0) { p = star + 1; v = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));

    /// <summary>An action pattern ("s3:Get*", "*") against an action ("s3:GetObject"), case-insensitively.</summary>
    public static bool Action(string pattern, string action) => Glob(pattern.Trim(), action.Trim(), ignoreCase: true);

    /// <summary>
    /// A policy resource (an ARN pattern or "*") against a resource ARN. The first five segments
    /// (arn:partition:service:region:account) are matched one by one, a wildcard never crossing a colon, except
    /// that a pattern ending early with <c>*</c> ("arn:aws:logs:*") spans the rest. The sixth part, the resource,
    /// may itself hold ':' and '/', and a <c>*</c> there spans both
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
    /// No special case for Secrets Manager: the policy resource "…:secret:name" does not match the secret's
    /// real ARN "…:secret:name-AbCdEf" (Secrets Manager adds a hyphen and six random characters to the ARN of
    /// every secret: https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen,
    /// and the secret resource type is arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}:
    /// https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html);
    /// "…:secret:name-*" or "…:secret:name-??????" does.
    /// </summary>
    public static bool Resource(string pattern, string arn)
    {
        pattern = pattern.Trim();
        if (pattern == "*") return true;
        var ps = Split(pattern);
        var rs = Split(arn);
        for (var i = 0; i < ps.Count; i++)
        {
            var lastOfPattern = i == ps.Count - 1;
            if (i >= rs.Count) return false;
            // The trailing '*' spans the rest of the ARN; the part's other wildcards stay inside their part
            // ("arn:*:*::?*" needs a one-character Region, it does not take a ':' for it).
            if (lastOfPattern && i < 5 && ps[i].EndsWith('*'))
                return Glob(ps[i], rs[i], ignoreCase: false);
            if (i == 5) return rs.Count == 6 && Glob(ps[5], rs[5], ignoreCase: false);
            if (!Glob(ps[i], rs[i], ignoreCase: false)) return false;
            if (lastOfPattern) return rs.Count == ps.Count;
        }
        return false;
    }

    /// <summary>Splits an ARN into at most six parts; the sixth (the resource) keeps its colons.</summary>
    public static List<string> Split(string arn)
    {
        var parts = new List<string>(6);
        var start = 0;
        for (var i = 0; i < arn.Length && parts.Count < 5; i++)
        {
            if (arn[i] != ':') continue;
            parts.Add(arn[start..i]);
            start = i + 1;
        }
        parts.Add(arn[start..]);
        return parts;
    }

    /// <summary>The service of an ARN ("secretsmanager"), or null.</summary>
    public static string? ServiceOf(string arn)
    {
        var p = Split(arn);
        return p.Count >= 3 && p[0] == "arn" ? p[2] : null;
    }

    /// <summary>
    /// True when <paramref name="pattern"/> names a Secrets Manager secret without its random suffix and the
    /// <paramref name="arn"/> is that secret with a "-" and six characters after the name: the classic policy
    /// mistake, worth saying in an explanation.
    /// </summary>
    public static bool IsSecretWithoutSuffix(string pattern, string arn)
    {
        if (ServiceOf(arn) != "secretsmanager" || pattern.Contains('*') || pattern.Contains('?')) return false;
        return arn.Length == pattern.Length + 7 && arn.StartsWith(pattern, StringComparison.Ordinal) && arn[pattern.Length] == '-';
    }

    /// <summary>
    /// A policy resource against a secret known only by its partial ARN (…:secret:NAME, without the "-" and six
    /// random characters Secrets Manager adds): Yes when the pattern matches whatever the suffix is (its
    /// wildcards cover it), Unknown when it could match one particular suffix (it spells one out), No otherwise.
    /// </summary>
    public static Applies ResourceForSecretWithoutSuffix(string pattern, string partialSecretArn)
    {
        pattern = pattern.Trim();
        // Characters no ARN pattern spells literally: a match means wildcards cover the suffix, so any suffix matches.
        if (Resource(pattern, partialSecretArn + "-\u0001\u0001\u0001\u0001\u0001\u0001")) return Applies.Yes;
        var prefix = partialSecretArn + "-";
        if (pattern.Length > prefix.Length && pattern.Length <= prefix.Length + 6 && pattern.StartsWith(prefix, StringComparison.Ordinal))
            return Applies.Unknown;
        if (Resource(pattern, prefix + "AAAAAA") || Resource(pattern, prefix + "zzzzzz") || Resource(pattern, prefix + "000000"))
            return Applies.Unknown; // e.g. name-A* : matches some suffixes only
        return Applies.No;
    }

    /// <summary>
    /// The secret ARN inside an ECS secrets valueFrom that may carry ":json-key:version-stage:version-id"
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html): its first
    /// seven colon-separated parts; null when the value is not a Secrets Manager secret ARN.
    /// </summary>
    public static string? SecretArnOf(string valueFrom)
    {
        var parts = valueFrom.Trim().Split(':');
        if (parts.Length < 7 || parts[0] != "arn" || parts[2] != "secretsmanager" || parts[5] != "secret" || parts[6].Length == 0) return null;
        return string.Join(':', parts.Take(7));
    }

    /// <summary>
    /// Whether a secret ARN ends like a complete one ("-" and six letters or digits). Only a hint: a secret whose
    /// own name ends that way looks complete too, which AWS documents as ambiguous
    /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen).
    /// </summary>
    public static bool LooksLikeCompleteSecretArn(string secretArn) =>
        secretArn.Length > 7 && secretArn[^7] == '-' && secretArn[^6..].All(char.IsAsciiLetterOrDigit);
}
