using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;

namespace Groundcrew.Rules.Live;

/// <summary>
/// B3 against the secrets as they are: a Secrets Manager secret a task definition reads, or a Kubernetes Secret a
/// workload reads, holds a value that looks like a placeholder (`&lt;your-openai-assistant-id&gt;`, `changeme`, `TODO`:
/// the patterns of Data/placeholders.yaml). The app starts and gets the template text instead of a credential or id.
/// Needs a snapshot collected with `--read-secret-values`: only then are values read, and even then only the key name
/// and the pattern class that matched are kept, so a finding never shows the value. Silent without that flag.
/// </summary>
public sealed class LiveSecretValuePlaceholder : Rule
{
    public override string Title => "A secret the deployment reads holds a placeholder value";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "the app starts with `<your-...>`/`changeme` as its credential or id: authentication and API calls fail at run time (AI features fail, 401/403)";
    public override string Fix => "Put the real value into the secret (a secret store write, not the repository), then restart the tasks or pods that read it.";
    public override IReadOnlyList<string> Incidents => ["B3"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (LiveFacts.TryAws(context, out var snapshot, out _, "secretsmanager.secrets"))
            foreach (var td in context.Model.TaskDefinitions)
                foreach (var (use, lookup) in LiveFacts.SecretLookups(snapshot, td))
                {
                    if (lookup.Found is not { Placeholders: { Count: > 0 } placeholders } secret) continue;
                    // valueFrom ARN:json-key:version-stage:version-id selects one key; without it the whole value is injected.
                    var key = lookup.Reference.Split(':') is { Length: > 7 } p && p[7].Length > 0 ? p[7] : null;
                    var hits = placeholders.Where(h => key == null || h.Key == key).ToList();
                    if (hits.Count == 0) continue;
                    yield return At(use.ValueFrom,
                        $"{Capital(use.Label)} reads Secrets Manager secret `{secret.Name}`: {Describe(hits)} {LiveFacts.Observed(snapshot)}. " +
                        "The task gets the placeholder, not the real value.",
                        $"Write the real value: `aws secretsmanager put-secret-value --secret-id {secret.Arn} --secret-string file://value.json` " +
                        $"(keep the file out of the repository), then force a new deployment of the services that use task definition `{td.Family}`.");
                }
        if (LiveFacts.TryKube(context, out var kubeSnapshot, out var kube, "kube.secrets"))
            foreach (var g in context.Model.References.Where(r => r.TargetKind == "Secret" && r.From.Family == ResourceFamily.Kubernetes)
                         .GroupBy(r => (r.From, r.TargetName, r.Key)))
            {
                var r = g.First();
                var ns = r.TargetNamespace ?? r.From.Namespace ?? "default";
                if (!kubeSnapshot.Knows($"kube.secrets:{ns}")) continue;
                if (kube.Secrets.FirstOrDefault(s => s.Namespace == ns && s.Name == r.TargetName) is not { Placeholders: { Count: > 0 } placeholders }) continue;
                var hits = placeholders.Where(h => r.Key == null || h.Key == r.Key).ToList();
                if (hits.Count == 0) continue;
                yield return At(r.At,
                    $"{r.From.Kind}/{r.From.Name} reads Secret `{r.TargetName}` (namespace {ns}, {r.Via}): {Describe(hits)} {LiveFacts.Observed(kubeSnapshot)}. " +
                    "The pods get the placeholder, not the real value.",
                    $"Write the real value into Secret `{r.TargetName}` (`kubectl create secret generic {r.TargetName} -n {ns} --from-env-file=... --dry-run=client -o yaml | kubectl apply -f -`, " +
                    $"or fix its source in your secret store), then `kubectl rollout restart {r.From.Kind.ToLowerInvariant()}/{r.From.Name} -n {ns}`.");
            }
    }

    /// <summary>"the value of key `api_key` looks like a placeholder (pattern `angle-your` of placeholders.yaml)": key names and pattern classes only.</summary>
    private static string Describe(IReadOnlyList<PlaceholderFact> hits) =>
        string.Join("; ", hits.Select(h =>
            $"{(h.Key == null ? "its value" : $"the value of key `{h.Key}`")} looks like a placeholder (pattern `{h.Pattern}` of placeholders.yaml)"));

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
