using Groundcrew.Core;

namespace Groundcrew.Rules.App;

/// <summary>
/// App code calls Secrets Manager GetSecretValue with SecretId set to an env var that ECS (`secrets`) or Kubernetes
/// (`secretKeyRef`) fills with the secret's VALUE: the JSON (or one key's value), not the secret's ARN or name, so the
/// call fails. Reported only when the variable comes from a Secrets Manager secret (an ARN in `valueFrom`, with or
/// without a JSON key) or from a Kubernetes Secret whose value is known to be JSON (or an ExternalSecret entry
/// fetching a whole managed secret); SSM parameters and unknown Secrets may hold an ARN and are not judged.
/// </summary>
public sealed class SecretValueUsedAsSecretId : Rule
{
    public override string Title => "App passes an injected secret value as the SecretId of GetSecretValue";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "ValidationException / ResourceNotFoundException from GetSecretValue: Secrets Manager can't find the specified secret (the SecretId is the secret's content)";
    public override string Fix => "The container already has the secret's value: parse the variable directly (json.loads(os.environ[\"X\"]), JSON.parse(process.env.X)) and drop the GetSecretValue call, or inject the secret's ARN as a plain environment variable and keep the call.";
    public override IReadOnlyList<string> Incidents => ["D6"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var seen = new HashSet<(string, int, int)>();
        foreach (var tc in InjectedSecrets.TiedContainers(context))
            foreach (var call in tc.Tie.App.Scan.Secrets.IdCalls)
            {
                if (!tc.Secrets.TryGetValue(call.EnvName, out var inj) || inj.Kind is not (Injection.WholeSecret or Injection.JsonKey)) continue;
                if (!seen.Add((call.Span.File, call.Span.StartLine, call.Span.StartColumn))) continue;
                var what = inj.Kind == Injection.JsonKey ? "the value of one JSON key of" : "the content (value) of";
                var message = $"{tc.Tie.App.DisplayPath}/ passes {call.EnvName} as SecretId ({call.Api}), but container '{tc.Container.Name}' " +
                              $"({tc.Owner}) gets {call.EnvName} from secret {inj.Secret}: the platform injects {what} the secret, not its ARN, " +
                              $"so GetSecretValue fails (ValidationException or ResourceNotFoundException). App tied by {tc.Tie.How}.";
                var f = At(call.Span, message + tc.Tie.CertaintyNote, related: [new RelatedLocation(inj.At.Span, $"{call.EnvName} gets the secret's value here")]);
                yield return f with { Severity = tc.Tie.Cap(f.Severity) };
            }
    }
}
