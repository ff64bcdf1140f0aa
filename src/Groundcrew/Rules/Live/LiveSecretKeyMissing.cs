using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;

namespace Groundcrew.Rules.Live;

/// <summary>
/// D5 against the secrets as they are: a deployment selects one key of a secret that the live secret does not hold.
/// An ECS `valueFrom` of `ARN:json-key::` on a Secrets Manager secret whose JSON keys (known only from a snapshot taken
/// with `--read-secret-keys`) lack that key (an RDS-managed `rds!db-...` secret holds only `username` and `password`),
/// or a Kubernetes `secretKeyRef`/`configMapKeyRef` whose Secret or ConfigMap exists in the cluster, is not defined
/// in the repository, and lacks the key. Key names only; silent when the keys are not known.
/// </summary>
public sealed class LiveSecretKeyMissing : Rule
{
    public override string Title => "The live secret does not hold the key the deployment selects";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ResourceInitializationError: ... retrieved secret from Secrets Manager did not contain json key host / CreateContainerConfigError: couldn't find key host in Secret";
    public override string Fix => "Select a key the secret holds, add the key to the secret, or take the value from elsewhere (the RDS endpoint as a plain environment variable).";
    public override IReadOnlyList<string> Incidents => ["D5"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (LiveFacts.TryAws(context, out var snapshot, out _, "secretsmanager.secrets"))
            foreach (var td in context.Model.TaskDefinitions)
                foreach (var (use, lookup) in LiveFacts.SecretLookups(snapshot, td))
                {
                    if (lookup.Found is not { KeyNames: { } keys } secret) continue;
                    if (lookup.Reference.Split(':') is not { Length: > 7 } parts || parts[7].Length == 0 || keys.Contains(parts[7])) continue;
                    yield return At(use.ValueFrom,
                        $"{Capital(use.Label)} selects JSON key `{parts[7]}` of Secrets Manager secret `{secret.Name}`, which holds {Keys(keys)} " +
                        $"{LiveFacts.Observed(snapshot)}: the task stops with `did not contain json key {parts[7]}`.",
                        keys.Count > 0 ? $"Select one of {Keys(keys)}, or add `{parts[7]}` to the secret (for an RDS-managed secret, take the endpoint and database name from plain environment variables)." : Fix);
                }
        if (LiveFacts.TryKube(context, out var kubeSnapshot, out var kube))
            foreach (var r in context.Model.References.Where(r => r.TargetKind is "Secret" or "ConfigMap" && r.Key != null && r.Target == null && !r.Optional
                                                                   && r.From.Family == ResourceFamily.Kubernetes))
            {
                var ns = r.TargetNamespace ?? r.From.Namespace ?? "default";
                var part = r.TargetKind == "Secret" ? "kube.secrets" : "kube.configMaps";
                if (!kubeSnapshot.Knows(part) || !kubeSnapshot.Knows($"{part}:{ns}")) continue;
                var live = (r.TargetKind == "Secret" ? kube.Secrets : kube.ConfigMaps).FirstOrDefault(o => o.Namespace == ns && o.Name == r.TargetName);
                if (live == null || live.Keys.Contains(r.Key!)) continue;
                var meant = LiveFacts.MostLikely(r.Key!, live.Keys);
                yield return At(r.At,
                    $"{r.From.Kind}/{r.From.Name} selects key `{r.Key}` of {r.TargetKind} `{r.TargetName}` (namespace {ns}, {r.Via}), which in the cluster holds {Keys(live.Keys)} " +
                    $"{LiveFacts.Observed(kubeSnapshot)}: the pods stay in `CreateContainerConfigError`." + (meant != null ? $" It most likely meant `{meant}`." : ""),
                    meant != null ? $"Select `{meant}`, or add `{r.Key}` to {r.TargetKind} `{r.TargetName}`." : $"Add `{r.Key}` to {r.TargetKind} `{r.TargetName}`, or select one of {Keys(live.Keys)}.");
            }
    }

    private static string Keys(IReadOnlyCollection<string> keys) =>
        keys.Count == 0 ? "no keys" : "only " + string.Join(", ", keys.Select(k => $"`{k}`"));

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
