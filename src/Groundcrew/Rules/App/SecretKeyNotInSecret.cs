using Groundcrew.Core;
using Groundcrew.Load.AppCode;

namespace Groundcrew.Rules.App;

/// <summary>
/// App code parses a secret as JSON and reads a key the secret does not have. The secret reaches the code through
/// an env var of the container the app runs in: its value (ECS `secrets`, Kubernetes `secretKeyRef`), or its id passed
/// to GetSecretValue. The keys are known only for secrets an AWS service manages (RDS master user secrets `rds!...`
/// hold `username` and `password`) and for JSON values written in the scanned manifests; otherwise nothing is said.
/// A `valueFrom` with a JSON key injects one value, not JSON, and is not judged here.
/// </summary>
public sealed class SecretKeyNotInSecret : Rule
{
    public override string Title => "App reads a key the secret does not have";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "KeyError: 'host' (Python), `undefined` host/database in the connection (JavaScript): the app cannot connect to its database";
    public override string Fix => "Read only the keys the secret has. Take the rest from elsewhere: the database endpoint and name from plain environment variables (e.g. the RDS endpoint output), a separate secret that holds those keys, or one `valueFrom` per key (`arn...:secret:NAME:username::`).";
    public override IReadOnlyList<string> Incidents => ["D5"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var seen = new HashSet<(string, int, int, string)>();
        foreach (var tc in InjectedSecrets.TiedContainers(context))
        {
            foreach (var read in tc.Tie.App.Scan.Secrets.KeyReads)
            {
                if (!tc.Secrets.TryGetValue(read.Source.EnvName, out var inj) || inj.Shape is not { } shape) continue;
                // Parsing an env value as JSON needs the whole secret; fetching by id needs the id (or the whole secret,
                // which secret-value-used-as-secret-id reports: the keys still show what the code expects of it).
                var applies = read.Source.Origin == SecretOrigin.EnvValue
                    ? inj.Kind == Injection.WholeSecret
                    : inj.Kind is Injection.WholeSecret or Injection.SecretId;
                if (!applies || shape.Keys.Contains(read.Key, StringComparer.Ordinal)) continue;
                if (!seen.Add((read.Span.File, read.Span.StartLine, read.Span.StartColumn, inj.Secret))) continue;

                var how = read.Source.Origin == SecretOrigin.EnvValue
                    ? $"parses {read.Source.EnvName} as JSON"
                    : $"fetches the secret named by {read.Source.EnvName} and parses its SecretString";
                var keys = string.Join(", ", shape.Keys.Select(k => $"`{k}`"));
                var message = $"{tc.Tie.App.DisplayPath}/ {how} and reads key `{read.Key}` ({read.Form}), but {read.Source.EnvName} of container " +
                              $"'{tc.Container.Name}' ({tc.Owner}) is secret {inj.Secret}, which holds only {keys} ({shape.KeysFrom}). " +
                              $"{Consequence(read)} App tied by {tc.Tie.How}.";
                var related = new List<RelatedLocation> { new(inj.At.Span, $"{read.Source.EnvName} comes from secret {inj.Secret} here") };
                if (shape.DefinedAt is { } def && def != inj.At.Span) related.Add(new RelatedLocation(def, $"the keys of {inj.Secret} are defined here"));
                var f = At(read.Span, message + tc.Tie.CertaintyNote, related: related);
                yield return f with { Severity = tc.Tie.Cap(f.Severity) };
            }
        }
    }

    private static string Consequence(SecretKeyRead read) => read.Language == AppLanguages.Python
        ? read.Form.StartsWith(".get", StringComparison.Ordinal) ? "It gets None." : $"Python raises KeyError: '{read.Key}'."
        : "It gets undefined.";
}
