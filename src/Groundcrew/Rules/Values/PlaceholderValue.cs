using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Values;

/// <summary>
/// Placeholders left in values that reach AWS or the cluster as they are: ACCOUNT_ID in ARNs and image hosts, the AWS
/// documentation account, &lt;your-...&gt;, REPLACE_ME/CHANGEME, secret ARNs ending in -RANDOM, and ${VAR} that nothing in
/// the repository substitutes. Owns every placeholder: other rules (irsa-role-arn-invalid, invalid-image-reference) leave them here.
/// </summary>
public sealed class PlaceholderValue : Rule
{
    public override string Title => "Placeholder left in a deployable value";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`InvalidIdentityToken: No OpenIDConnect provider found in your account`, `InvalidImageName`, `ResourceInitializationError: ... ResourceNotFoundException: Secrets Manager can't find the specified secret`";
    public override string Fix => "Replace the placeholder with the real value, or have the deploy step substitute it (envsubst, Kustomize, Helm) and make sure that step names this file.";
    public override IReadOnlyList<string> Incidents => ["A2", "A8", "B3", "C5"];

    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var fluxSubstitutes = model.OfKind("Kustomization").Any(k =>
            k.ApiVersion?.StartsWith("kustomize.toolkit.fluxcd.io", StringComparison.Ordinal) == true && k.Spec?["postBuild"] != null);
        RepoScripts? scripts = null;

        foreach (var v in DeployValues.All(model))
        {
            if (v.Site == ValueSite.Annotation && v.Name == LastApplied) continue;
            if (Placeholders.IsTemplateResource(v.Owner)) continue; // the whole file is a template (family/name is itself a placeholder)
            if (v.Site == ValueSite.Image && Placeholders.IsPipelinePlaceholder(v.Value)) continue;
            var hit = Placeholders.InAwsIdentifiers(v.Value);
            if (hit == null && !v.IsMultiLine && v.Site != ValueSite.CommandArg)
                hit = Placeholders.WholeValue(v.Value) ?? Placeholders.Embedded(v.Value);
            else if (hit == null && !v.IsMultiLine)
                hit = Placeholders.Embedded(v.Value);
            if (hit != null)
            {
                yield return At(v.Node, $"{v.Describe} holds the placeholder {Quote(hit.Token)}: {hit.Reason}");
                continue;
            }

            if (!MayHoldUnexpandedVariable(v)) continue;
            var match = Placeholders.Variable.Match(v.Value);
            if (!match.Success) continue;
            var name = match.Groups["name"].Value;
            if (fluxSubstitutes || LooksLikeTemplateFile(v.Node.Span.File) || DefinedInSameContainer(v, name)) continue;
            scripts ??= RepoScripts.For(model);
            if (scripts.SubstituterOf(v.Node.Span.File) != null || scripts.DefinesVariable(name) != null) continue;
            var who = v.Owner.Family == ResourceFamily.EcsTaskDefinition
                ? "ECS does not expand variables in task definitions"
                : "Kubernetes expands only $(VAR), never ${VAR}";
            yield return At(v.Node,
                $"{v.Describe}: ${{{name}}} is not substituted by anything in this repository (no envsubst/sed/templatefile step names this file or its folder, no script or Terraform output defines {name}, no Flux postBuild) and {who}, so the literal text ${{{name}}} is deployed");
        }
    }

    /// <summary>Where ${VAR} can only be a leftover: values the platform reads as they are. Not container commands (a shell may run them)
    /// nor config files in ConfigMaps (the application may expand them itself).</summary>
    private static bool MayHoldUnexpandedVariable(DeployValue v)
    {
        if (v.IsMultiLine) return false;
        return v.Site switch
        {
            ValueSite.Image or ValueSite.RoleArn or ValueSite.SecretValueFrom or ValueSite.EnvValue => true,
            ValueSite.Annotation => v.Value.StartsWith("arn:", StringComparison.Ordinal) || Placeholders.AwsAnnotationPrefixes.Any(p => v.Name?.StartsWith(p, StringComparison.Ordinal) == true),
            _ => false,
        };
    }

    /// <summary>A file named as a template (deploy.tpl.yaml, task-def.template.json, x.yaml.in, x.j2) is rendered by something before use.</summary>
    private static bool LooksLikeTemplateFile(string file)
    {
        var name = Path.GetFileName(file).ToLowerInvariant();
        return name.Contains("template") || name.Contains(".tpl") || name.Contains(".tmpl") || name.Contains(".j2") || name.EndsWith(".in") || name.Contains(".in.") || name.Contains(".gotmpl");
    }

    /// <summary>${VAR} in an env value when VAR is an env var of the same container: the application (Spring, an entrypoint script) may resolve it itself.</summary>
    private static bool DefinedInSameContainer(DeployValue v, string name) =>
        v.Site == ValueSite.EnvValue && v.Container != null && DeployValues.EnvEntries(v.Container).Any(e => e.GetString("name") == name && !ReferenceEquals(e["value"], v.Node));

    private static string Quote(string token) => "'" + (token.Length > 80 ? token[..77] + "..." : token) + "'";
}
