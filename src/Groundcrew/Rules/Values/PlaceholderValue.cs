using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Values;

/// <summary>
/// Placeholders left in values that reach AWS or the cluster as they are: ACCOUNT_ID in ARNs and image hosts, the AWS
/// documentation account, &lt;your-...&gt;, REPLACE_ME/CHANGEME, secret ARNs ending in -RANDOM, and ${VAR} that nothing in
/// the repository substitutes, and substitution tokens (__IMAGE__, #{Tag}#, @VERSION@) that no script mentions. Owns every placeholder: other rules (irsa-role-arn-invalid, invalid-image-reference) leave them here.
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
            if (RenderedAtDeploy.ReplacedBy(model, v) != null) continue; // a workflow's render step writes the deployed value
            if (MayHoldUnexpandedVariable(v) && Placeholders.SubstitutionToken(v.Value) is { } token)
            {
                if (LooksLikeTemplateFile(v.Node.Span.File)) continue;
                scripts ??= RepoScripts.For(model);
                var tokenName = token.Groups["name"].Value;
                if (scripts.Mentions(token.Value) != null || scripts.SubstituterOf(v.Node.Span.File) != null || scripts.DefinesVariable(tokenName) != null) continue;
                yield return At(v.Node,
                    $"{v.Describe} holds the substitution token {Quote(token.Value)}, which nothing in this repository replaces (no script, workflow or Makefile mentions it, defines {tokenName} or runs sed/envsubst/replace-tokens on this file or its folder), so the literal text {Quote(token.Value)} is deployed");
                continue;
            }
            var hit = Placeholders.InAwsIdentifiers(v.Value);
            // Word placeholders matter where a program reads the value: not in free-form annotations (descriptions, owners)
            // other than the AWS controllers' own, and only as tokens inside commands.
            var wordsMatter = v.Site != ValueSite.Annotation || IsAwsAnnotation(v);
            if (hit == null && !v.IsMultiLine && wordsMatter && v.Site != ValueSite.CommandArg)
                hit = Placeholders.WholeValue(v.Value) ?? Placeholders.Embedded(v.Value);
            else if (hit == null && !v.IsMultiLine && wordsMatter)
                hit = Placeholders.Embedded(v.Value);
            if (hit != null)
            {
                yield return At(v.Node, $"{v.Describe} holds the placeholder {Quote(hit.Token)}: {hit.Reason}");
                continue;
            }

            if (UnresolvedDependentVariable(model, v) is { } unresolved)
            {
                yield return At(v.Node, unresolved);
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

    private static readonly System.Text.RegularExpressions.Regex DependentVariable = new(@"(?<!\$)\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// $(VAR) in a Kubernetes env value or command/args that Kubernetes cannot resolve: VAR is not defined before this entry
    /// (env values see only the variables above them; command/args see the whole env). Kubernetes then leaves the text as it is.
    /// Silent when envFrom brings keys we cannot list, and for Service link variables (*_SERVICE_HOST, *_PORT...).
    /// Source: https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
    /// </summary>
    private static string? UnresolvedDependentVariable(DeploymentModel model, DeployValue v)
    {
        if (v.Owner.Family != ResourceFamily.Kubernetes || v.Container is not { } c || v.Site is not (ValueSite.EnvValue or ValueSite.CommandArg)) return null;
        var match = DependentVariable.Match(v.Value);
        if (!match.Success) return null;
        // In `sh -c` scripts $(cmd) is the shell's command substitution, not a Kubernetes reference.
        if (v.Site == ValueSite.CommandArg && new[] { "command", "args" }.Any(k => c.Node.GetSeq(k)?.Items.OfType<ScalarNode>().Any(i => i.Value is "-c" or "-ec" or "-ce" or "-lc" or "-xc" or "-euc") == true))
            return null;
        var env = c.Node.GetSeq("env")?.Maps.ToList() ?? [];
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var later = new HashSet<string>(StringComparer.Ordinal);
        var seenSelf = v.Site == ValueSite.CommandArg;
        foreach (var e in env)
        {
            if (ReferenceEquals(e["value"], v.Node)) { seenSelf = true; continue; }
            if (e.GetString("name") is { } n) (seenSelf && v.Site == ValueSite.EnvValue ? later : defined).Add(n);
        }
        foreach (var ef in c.Node.GetSeq("envFrom")?.Maps ?? [])
        {
            var (kind, refName) = ef.GetMap("configMapRef")?.GetString("name") is { } cm ? ("ConfigMap", cm)
                : ef.GetMap("secretRef")?.GetString("name") is { } sec ? ("Secret", sec) : (null, null);
            if (kind == null || model.FindKeyProvider(kind, v.Owner.Namespace, refName!)?.Keys is not { } keys) return null; // keys unknown
            var prefix = ef.GetString("prefix") ?? "";
            foreach (var k in keys) defined.Add(prefix + k);
        }
        foreach (System.Text.RegularExpressions.Match m in DependentVariable.Matches(v.Value))
        {
            var name = m.Groups["name"].Value;
            // Lowercase names ($(hostname), $(date)) are command substitutions meant for a shell, not env references.
            if (defined.Contains(name) || IsServiceLinkVariable(name) || name.Any(char.IsLower)) continue;
            return later.Contains(name)
                ? $"{v.Describe}: $({name}) refers to {name}, which is defined below this entry; Kubernetes resolves $(VAR) only from variables defined above it, so the literal text $({name}) is deployed"
                : $"{v.Describe}: $({name}) refers to no env var of container {c.Name}; Kubernetes leaves an unresolvable $(VAR) as it is, so the literal text $({name}) is deployed";
        }
        return null;
    }

    // Service links: FOO_SERVICE_HOST, FOO_SERVICE_PORT, FOO_SERVICE_PORT_HTTP, FOO_PORT, FOO_PORT_80_TCP_ADDR...
    private static bool IsServiceLinkVariable(string name) =>
        name.EndsWith("_SERVICE_HOST", StringComparison.Ordinal) || name.Contains("_SERVICE_PORT", StringComparison.Ordinal) || name.Contains("_PORT", StringComparison.Ordinal);

    /// <summary>Where ${VAR} can only be a leftover: values the platform reads as they are. Not container commands (a shell may run them)
    /// nor config files in ConfigMaps (the application may expand them itself).</summary>
    private static bool MayHoldUnexpandedVariable(DeployValue v)
    {
        if (v.IsMultiLine) return false;
        return v.Site switch
        {
            ValueSite.Image or ValueSite.RoleArn or ValueSite.SecretValueFrom or ValueSite.EnvValue => true,
            ValueSite.Annotation => IsAwsAnnotation(v),
            _ => false,
        };
    }

    private static bool IsAwsAnnotation(DeployValue v) =>
        v.Value.StartsWith("arn:", StringComparison.Ordinal) || Placeholders.AwsAnnotationPrefixes.Any(p => v.Name?.StartsWith(p, StringComparison.Ordinal) == true);

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
