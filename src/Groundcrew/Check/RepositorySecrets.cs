using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Rules.Values;

namespace Groundcrew.Check;

/// <summary>
/// The secret values a repository holds, handed to the run's <see cref="Redactor"/> before anything is reported, so no
/// output quotes them whichever rule fires (or none): a code frame of a Secret's line, a Terraform value in a message,
/// diagnose evidence with <c>--repo</c>. Independent of the rules: a disabled rule must not turn a leak back on.
/// </summary>
public static class RepositorySecrets
{
    /// <summary>How deep resource bodies are walked for credential-named keys (a body deeper than this is not a config).</summary>
    private const int MaxDepth = 32;

    public static void Register(Redactor redactor, DeploymentModel model, IEnumerable<TerraformLoader.Result> terraform, IEnumerable<TerraformPlan> plans)
    {
        foreach (var v in DeployValues.All(model))
        {
            switch (v.Site)
            {
                // A placeholder or a reference in a Secret stays readable: the findings about it quote it.
                case ValueSite.SecretData when SecretNames.LooksLikeSecretValue(v.Value):
                    redactor.AddBase64(v.Node.Value ?? "", v.Value); // as written (base64) and decoded
                    break;
                case ValueSite.SecretStringData when SecretNames.LooksLikeSecretValue(v.Value):
                    redactor.Add(v.Value);
                    break;
                case ValueSite.EnvValue or ValueSite.ConfigMapData when v.Name is { } name && SecretNames.IsSecretName(name) && SecretNames.LooksLikeSecretValue(v.Value):
                    redactor.Add(v.Value.Trim());
                    break;
            }
        }
        // Credential-named keys anywhere in a resource's body (a Terraform aws_db_instance's password, a CRD's token).
        foreach (var r in model.Resources)
            if (r.Family != ResourceFamily.Kubernetes || r.Kind != "Secret") Walk(r.Body, redactor, 0);

        foreach (var result in terraform)
            foreach (var text in result.SensitiveValues) redactor.Add(text);
        foreach (var plan in plans)
            foreach (var text in plan.SensitiveTexts) redactor.Add(text);
    }

    private static void Walk(Node node, Redactor redactor, int depth)
    {
        if (depth > MaxDepth) return;
        switch (node)
        {
            case MapNode m:
                foreach (var e in m.Entries)
                {
                    if (e.Value is ScalarNode { Value: { } value } && e.Name is { } key && SecretNames.IsSecretName(key) && SecretNames.LooksLikeSecretValue(value))
                        redactor.Add(value.Trim());
                    else if (e.Value is MapNode or SeqNode) Walk(e.Value, redactor, depth + 1);
                }
                break;
            case SeqNode s:
                foreach (var item in s.Items) Walk(item, redactor, depth + 1);
                break;
        }
    }
}
