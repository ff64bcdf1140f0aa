using Groundcrew.Core;

namespace Groundcrew.Rules.Live;

/// <summary>
/// A task definition reads a Secrets Manager secret or an SSM parameter that does not exist in the account the
/// inventory was collected from. For a secret ARN with a 6-character suffix that exists under the same name with
/// another suffix (the `-RANDOM` placeholder of C5), the finding names the real ARN it most likely meant.
/// Silent without an inventory, outside its account and regions, and when the secrets could not be listed.
/// </summary>
public sealed class LiveSecretMissing : Rule
{
    public override string Title => "A secret or parameter the task definition reads does not exist in the account";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ResourceInitializationError: unable to pull secrets or registry auth: ... ResourceNotFoundException: Secrets Manager can't find the specified secret (or: invalid ssm parameters)";
    public override string Fix => "Use the secret's real ARN (with its 6-character suffix) or name, or create the secret/parameter before the deploy.";
    public override IReadOnlyList<string> Incidents => ["C5"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws)) yield break;
        var secretsKnown = snapshot.Knows("secretsmanager.secrets");
        var parametersKnown = snapshot.Knows("ssm.parameters");
        foreach (var td in context.Model.TaskDefinitions)
        {
            foreach (var (use, lookup) in LiveFacts.SecretLookups(snapshot, td))
            {
                if (lookup.Service == "secretsmanager")
                {
                    if (!secretsKnown || lookup.Found != null) continue;
                    var sameName = aws.Secrets.Where(s => s.Name == lookup.Name).ToList();
                    var meant = sameName.FirstOrDefault()?.Arn
                                ?? (LiveFacts.MostLikely(lookup.Name, aws.Secrets.Select(s => s.Name)) is { } n ? aws.Secrets.First(s => s.Name == n).Arn : null);
                    var why = sameName.Count > 0
                        ? $"the secret `{lookup.Name}` exists, but its ARN ends in `{meant![^6..]}`, not `{lookup.Reference.Split(':')[6][^6..]}`"
                        : $"no secret named `{lookup.Name}` exists";
                    yield return At(use.ValueFrom,
                        $"{Capital(use.Label)} reads `{lookup.Reference}`, which does not exist: {why} {LiveFacts.Observed(snapshot)}." +
                        (meant != null ? $" It most likely meant `{meant}`." : ""),
                        meant != null ? $"Use `{meant}`{Keys(lookup.Reference)}; the suffix is part of the ARN and is only known once the secret exists." : Fix);
                }
                else if (parametersKnown && !LiveFacts.ParameterExists(snapshot, lookup.Name))
                {
                    var meant = LiveFacts.MostLikely(lookup.Name, aws.SsmParameters);
                    yield return At(use.ValueFrom,
                        $"{Capital(use.Label)} reads SSM parameter `{lookup.Name}`, which does not exist {LiveFacts.Observed(snapshot)}." +
                        (meant != null ? $" It most likely meant `{meant}`." : ""),
                        meant != null ? $"Use `{meant}`, or create `{lookup.Name}` before the deploy." : $"Create `{lookup.Name}` (aws ssm put-parameter) before the deploy, or fix the name.");
                }
            }
        }
    }

    /// <summary>The `:json-key:version-stage:version-id` tail of a valueFrom, kept in the suggested fix.</summary>
    private static string Keys(string reference) =>
        reference.Split(':') is { Length: > 7 } parts ? " with `:" + string.Join(':', parts.Skip(7)) + "`" : "";

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
