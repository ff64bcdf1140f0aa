namespace Groundcrew.Live.Inventory;

/// <summary>
/// What a task definition's `valueFrom` names (a Secrets Manager secret or an SSM parameter), and what the snapshot
/// holds for it. <see cref="Account"/> and <see cref="Region"/> are the reference's own (an ARN's) or the defaults it
/// was resolved with; <see cref="Name"/> is the secret's name without the 6-character suffix, or the parameter's name.
/// </summary>
public sealed record LiveSecretLookup(string Service, string Reference, string Account, string Region, string Name, bool HasSuffix, SecretFact? Found, string? ParameterArn);

/// <summary>
/// The one reading of "which calls does ECS make with the execution role to fetch this secret" (C2, C4, C6, D4). The
/// collector asks `iam simulate-principal-policy` exactly these (action, resource) pairs, and
/// live-execution-role-cannot-read-secret looks exactly these up in the snapshot, so every simulated answer the rule
/// needs was asked for and nothing else was.
/// </summary>
public static class SecretReads
{
    /// <summary>
    /// A valueFrom as the snapshot sees it: a Secrets Manager secret ARN (full with its 6-character suffix, partial
    /// without it, or either with a `:json-key:version-stage:version-id` tail), an SSM parameter ARN, or an SSM parameter
    /// name (resolved in <paramref name="account"/> and <paramref name="region"/>). Null for anything else (another
    /// service's ARN, an ARN that is not a secret's or a parameter's).
    /// </summary>
    public static LiveSecretLookup? Resolve(AwsFacts aws, string valueFrom, string? account, string? region)
    {
        if (valueFrom.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal))
        {
            var parts = valueFrom.Split(':');
            if (parts.Length < 7 || parts[5] != "secret") return null;
            var secretPart = parts[6];
            var fullArn = string.Join(':', parts.Take(7));
            var prefix = string.Join(':', parts.Take(6)) + ":";
            var exact = aws.Secrets.FirstOrDefault(x => x.Arn == fullArn);
            // A partial ARN names the secret whole, and a name may itself end in "-" and six letters ("app-secret"):
            // a secret of exactly that name is the one meant, before the last seven characters are read as a suffix.
            var byName = exact == null ? aws.Secrets.FirstOrDefault(x => x.Name == secretPart && x.Arn.StartsWith(prefix, StringComparison.Ordinal)) : null;
            var hasSuffix = byName == null && secretPart.Length > 7 && secretPart[^7] == '-' && secretPart[^6..].All(char.IsAsciiLetterOrDigit);
            var name = hasSuffix ? secretPart[..^7] : secretPart;
            var found = exact ?? byName;
            return new LiveSecretLookup("secretsmanager", valueFrom, parts[4], parts[3], name, hasSuffix, found, null);
        }
        if (valueFrom.StartsWith("arn:aws:ssm:", StringComparison.Ordinal))
        {
            var parts = valueFrom.Split(':', 6);
            if (parts.Length < 6 || !parts[5].StartsWith("parameter", StringComparison.Ordinal)) return null;
            var rest = parts[5]["parameter".Length..];
            var name = rest.StartsWith("//", StringComparison.Ordinal) ? rest[1..] : rest.StartsWith('/') && rest.IndexOf('/', 1) > 0 ? rest : rest.TrimStart('/');
            return new LiveSecretLookup("ssm", valueFrom, parts[4], parts[3], name, false, null, valueFrom);
        }
        if (valueFrom.StartsWith("arn:", StringComparison.Ordinal)) return null;
        // A parameter name: its ARN is known only with the account and the region (no guess without them).
        var arn = account is { Length: > 0 } && region is { Length: > 0 }
            ? $"arn:aws:ssm:{region}:{account}:parameter{(valueFrom.StartsWith('/') ? "" : "/")}{valueFrom}" : null;
        return new LiveSecretLookup("ssm", valueFrom, account ?? "", region ?? "", valueFrom, false, null, arn);
    }

    /// <summary>
    /// The calls ECS makes with the execution role for one resolved reference, on the resources as they exist:
    /// secretsmanager:GetSecretValue on the secret's real ARN and kms:Decrypt on its customer managed key (the AWS
    /// managed alias/aws/secretsmanager key needs no grant), ssm:GetParameters on a parameter that exists. Nothing for
    /// a secret or parameter that does not exist (that is live-secret-missing's finding, not a permission).
    /// </summary>
    public static IEnumerable<(string Action, string Resource)> Needs(AwsFacts aws, LiveSecretLookup lookup)
    {
        if (lookup.Service == "ssm")
        {
            if (lookup.ParameterArn != null && ParameterExists(aws, lookup.Name)) yield return ("ssm:GetParameters", lookup.ParameterArn);
            yield break;
        }
        if (lookup.Found is not { } secret) yield break;
        yield return ("secretsmanager:GetSecretValue", secret.Arn);
        if (secret.KmsKeyId is { } key && !key.Contains("alias/aws/", StringComparison.Ordinal))
        {
            var fact = aws.KmsKeys.FirstOrDefault(k => k.KeyId == key || k.Arn == key || key.EndsWith("/" + k.KeyId, StringComparison.Ordinal));
            if ((fact?.Arn ?? (key.StartsWith("arn:", StringComparison.Ordinal) ? key : null)) is { } arn) yield return ("kms:Decrypt", arn);
        }
    }

    /// <summary><see cref="Resolve"/> then <see cref="Needs(AwsFacts, LiveSecretLookup)"/>: none for a reference it does not read.</summary>
    public static IEnumerable<(string Action, string Resource)> Needs(AwsFacts aws, string valueFrom, string? account, string? region) =>
        Resolve(aws, valueFrom, account, region) is { } lookup ? Needs(aws, lookup) : [];

    /// <summary>SSM names are stored with their leading slash when they have one; a reference may write either.</summary>
    public static bool ParameterExists(AwsFacts aws, string name) =>
        aws.SsmParameters.Contains(name) || aws.SsmParameters.Contains("/" + name) || aws.SsmParameters.Contains(name.TrimStart('/'));
}
