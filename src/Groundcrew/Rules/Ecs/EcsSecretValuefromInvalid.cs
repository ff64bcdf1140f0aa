using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Ecs;

/// <summary>
/// `secrets[].valueFrom` (and `logConfiguration.secretOptions[].valueFrom`) that ECS cannot resolve: an ARN of a
/// service other than Secrets Manager or SSM, a Secrets Manager ARN whose JSON-key suffix has the wrong number of
/// fields (the agent accepts `secret:ID` or `secret:ID:json-key:version-stage:version-id`, nothing in between), an SSM
/// ARN without `parameter/`, or a bare parameter name SSM cannot have (characters outside a-zA-Z0-9_.-/, or a
/// hierarchy without its leading `/`). Partial Secrets Manager ARNs (no 6-character suffix) are valid and not reported.
/// Templated values (`${...}`, `{{...}}`, `&lt;...&gt;`) are skipped.
/// </summary>
public sealed partial class EcsSecretValuefromInvalid : Rule
{
    public override string Title => "Secret valueFrom is not a Secrets Manager or SSM Parameter Store reference ECS can read";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "ResourceInitializationError: unable to pull secrets or registry auth: ... an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN and try again. / ... invalid parameters: NAME (SSM)";
    public override string Fix => "Use the secret's ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME, optionally followed by :json-key:version-stage:version-id) or the SSM parameter's ARN or full name (/path/name).";

    private sealed record Facts(HashSet<int> AsmFieldCounts, string SsmArnPrefix, Groundcrew.Core.SafeRegex SsmName, Groundcrew.Core.SafeRegex SsmSelector, int SsmMaxLength, HashSet<string> Services);

    private static readonly Lazy<Facts> Data = new(() =>
    {
        var root = DataFiles.ReadYaml("ecs/secret-references.yaml");
        var counts = (root.At("secretsManager.resourceFieldCounts") as SeqNode)?.Items.OfType<ScalarNode>().Select(s => (int)(s.AsLong ?? 0)).ToHashSet()
            ?? throw new InvalidDataException("secret-references.yaml: secretsManager.resourceFieldCounts missing");
        var services = (root["services"] as SeqNode)?.Items.OfType<ScalarNode>().Select(s => s.Value ?? "").ToHashSet(StringComparer.Ordinal)
            ?? throw new InvalidDataException("secret-references.yaml: services missing");
        return new Facts(counts,
            root.StringAt("ssmParameter.arnResourcePrefix") ?? "parameter/",
            Groundcrew.Core.SafeRegex.Create(root.StringAt("ssmParameter.namePattern") ?? "^[A-Za-z0-9_.\\-/]+$", RegexOptions.CultureInvariant),
            Groundcrew.Core.SafeRegex.Create(root.StringAt("ssmParameter.selectorPattern") ?? "^[A-Za-z0-9_.\\-]{1,100}$", RegexOptions.CultureInvariant),
            (int)((root.At("ssmParameter.maxNameLength") as ScalarNode)?.AsLong ?? 1011),
            services);
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var td in context.Model.TaskDefinitions)
            foreach (var c in td.Containers)
            {
                foreach (var f in CheckList(context, c, c.Node.GetSeq("secrets"), "secrets")) yield return f;
                foreach (var f in CheckList(context, c, c.Node.GetMap("logConfiguration")?.GetSeq("secretOptions"), "logConfiguration.secretOptions")) yield return f;
            }
    }

    private IEnumerable<Finding> CheckList(RuleContext context, Container c, SeqNode? list, string where)
    {
        if (list == null) yield break;
        foreach (var entry in list.Maps)
        {
            var label = entry.GetString("name") is { Length: > 0 } n ? $"`{n}`" : $"{where}[{entry.IndexInParent}]";
            var node = entry["valueFrom"];
            if (node is null or ScalarNode { IsNull: true } or ScalarNode { Value: "" })
            {
                yield return At(entry.Entry("valueFrom")?.Key ?? (Node)entry,
                    $"secret {label} of container `{c.Name}` has no `valueFrom`: ECS rejects the task definition (valueFrom is required)");
                continue;
            }
            if (node is not ScalarNode { Value: { } value }) continue;
            var problem = Problem(context, value.Trim());
            if (problem != null)
                yield return At(node, $"secret {label} of container `{c.Name}`: {problem}");
        }
    }

    /// <summary>Why ECS cannot resolve this valueFrom, or null when it can (or when it is a template Groundcrew cannot judge).</summary>
    internal static string? Problem(RuleContext? context, string value)
    {
        if (IsTemplated(value)) return null;
        var facts = Data.Value;
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = value.Split(':', 6);
            if (parts.Length < 6)
                return $"valueFrom is not a complete ARN ({parts.Length} of the six `arn:partition:service:region:account:resource` sections)";
            var service = parts[2];
            var resource = parts[5];
            if (!facts.Services.Contains(service))
                return $"valueFrom is an ARN of service `{service}`; ECS reads secrets only from Secrets Manager (`arn:aws:secretsmanager:...:secret:NAME`) or SSM Parameter Store (`arn:aws:ssm:...:parameter/NAME`)";
            if (service == "secretsmanager")
            {
                if (!resource.StartsWith("secret:", StringComparison.Ordinal))
                    return "valueFrom is a Secrets Manager ARN without `secret:NAME` after the account";
                var fields = resource.Split(':');
                if (fields[1].Length == 0)
                    return "valueFrom is a Secrets Manager ARN with an empty secret name";
                if (!facts.AsmFieldCounts.Contains(fields.Length))
                {
                    var extra = fields.Length - 2;
                    var detail = extra switch
                    {
                        1 => $"it has a JSON key (`{fields[2]}`) without the version fields; write `...:secret:{fields[1]}:{fields[2]}::` (json-key:version-stage:version-id, empty fields allowed)",
                        2 => "it has 2 fields after the secret id; ECS needs exactly 3 (json-key:version-stage:version-id, empty fields allowed, e.g. `:password::`)",
                        _ => $"it has {extra} colon-separated fields after the secret id; ECS reads at most 3 (json-key:version-stage:version-id), and a JSON key cannot contain `:`",
                    };
                    return $"the Secrets Manager ARN in valueFrom has a malformed JSON-key suffix: {detail}; the task fails to start (\"an invalid ARN format for the AWS Secrets Manager secret was specified\")";
                }
                return null;
            }
            // ssm
            if (!resource.StartsWith(facts.SsmArnPrefix, StringComparison.Ordinal))
                return $"valueFrom is an SSM ARN whose resource does not start with `{facts.SsmArnPrefix}` (the form is `arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`)";
            var name = WithoutSelector(resource[facts.SsmArnPrefix.Length..], facts);
            if (name.Length == 0) return "valueFrom is an SSM ARN with an empty parameter name";
            if (!facts.SsmName.IsMatch(name))
                return "the parameter name in the SSM ARN has characters SSM parameter names cannot have (only letters, digits, `_`, `.`, `-` and `/`)";
            return null;
        }

        // Not an ARN: ECS reads it as the name of an SSM parameter in the task's Region. Never printed: when it is not
        // even a valid name it may be a secret value pasted into valueFrom, and is registered with the redactor.
        var described = Redactor.Describe(value);
        var parameter = WithoutSelector(value, facts);
        if (parameter.Length == 0 || !facts.SsmName.IsMatch(parameter))
        {
            context?.Redactor.Add(value);
            var hint = value.Contains("secretsmanager", StringComparison.OrdinalIgnoreCase) || value.StartsWith("arn", StringComparison.OrdinalIgnoreCase)
                ? "; for a Secrets Manager secret use its full ARN (`arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME`)"
                : "; if this is the secret value itself, store it in Secrets Manager or SSM and reference it here";
            return $"valueFrom ({described}) is neither an ARN nor a valid SSM parameter name (only letters, digits, `_`, `.`, `-` and `/` are allowed){hint}";
        }
        if (parameter.Contains('/') && !parameter.StartsWith('/'))
            return $"valueFrom ({described}) is a hierarchical SSM parameter name without its leading `/`; SSM only finds hierarchical parameters by their full name (`/path/name`); if it is a Secrets Manager secret name, use the secret's ARN instead";
        if (parameter.Length > facts.SsmMaxLength)
            return $"valueFrom ({described}) is longer than the {facts.SsmMaxLength} characters an SSM parameter name can have";
        return null;
    }

    /// <summary>The parameter name without a `:version` or `:label` selector (GetParameters accepts both); unchanged when what follows the colon is not a selector.</summary>
    private static string WithoutSelector(string name, Facts facts)
    {
        var colon = name.IndexOf(':');
        return colon >= 0 && facts.SsmSelector.IsMatch(name[(colon + 1)..]) ? name[..colon] : name;
    }

    /// <summary>
    /// Values still to be filled in by a template engine, a CI step or a person: `${X}`, `$X`, `{{ x }}`, `&lt;x&gt;`,
    /// `#{x}`, `%{x}`, `((x))`, jq's `\(x)`, `%X%`, `@X@`, and `...` elisions. Seen in real task definitions; judging
    /// them would only report the template syntax.
    /// </summary>
    internal static bool IsTemplated(string v) =>
        v.Contains('$') || v.Contains("{{", StringComparison.Ordinal) || v.Contains("}}", StringComparison.Ordinal) ||
        (v.Contains('<') && v.Contains('>')) || v.Contains("#{", StringComparison.Ordinal) || v.Contains("%{", StringComparison.Ordinal) ||
        v.Contains("((", StringComparison.Ordinal) || v.Contains("\\(", StringComparison.Ordinal) || v.Contains("...", StringComparison.Ordinal) ||
        DelimitedVariable().IsMatch(v);

    [GeneratedRegex(@"%[A-Za-z_][A-Za-z0-9_]*%|@[A-Za-z_][A-Za-z0-9_]*@")]
    private static partial Regex DelimitedVariable();
}
