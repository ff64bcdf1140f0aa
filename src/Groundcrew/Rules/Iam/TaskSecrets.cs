using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;

namespace Groundcrew.Rules.Iam;

/// <summary>A place in a task definition where ECS reads a secret with the execution role.</summary>
internal sealed record SecretUse(Container Container, string Label, Node ValueFrom);

/// <summary>
/// What a secret reference of a task definition names, as far as the scanned files tell: the resource ECS reads
/// (<see cref="Target"/>), the action it calls, the Terraform resource that declares it (when known) and the
/// customer managed KMS key that encrypts it (when known).
/// </summary>
internal sealed record SecretSource(
    string Kind, string Action, ResourceTarget Target, string Name, Resource? Declared, ResourceTarget? AlternativeTarget)
{
    /// <summary>The names the resource may have (a secret ARN that looks complete may also be a name ending in "-" and six characters).</summary>
    public IReadOnlyCollection<string> Names => !NameKnown ? [] : AlternativeTarget == null || Name.Length <= 7 ? [Name] : [Name, Name[..^7]];
    /// <summary>False for a declared secret or parameter whose name is generated (a random suffix, name_prefix): <see cref="Name"/> is then its address.</summary>
    public bool NameKnown { get; init; } = true;
    /// <summary>Grouping key: two uses of the same secret (different JSON keys) are one problem.</summary>
    public string Key => $"{Action} {Target.Display} {Declared?.Address} {Name}";
    /// <summary>The KMS key ECS also needs kms:Decrypt on (a customer managed key declared in the scan), or null.</summary>
    public Resource? CustomerKey { get; init; }
}

/// <summary>
/// Reads the secret references of ECS task definitions (secrets[].valueFrom, logConfiguration.secretOptions[].valueFrom,
/// repositoryCredentials.credentialsParameter) into <see cref="SecretSource"/>s. ECS reads them at task start with the
/// task execution role: Secrets Manager with secretsmanager:GetSecretValue, Parameter Store with ssm:GetParameters, and
/// kms:Decrypt when a customer managed key encrypts them
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html, "Secrets Manager or
/// Systems Manager permissions"; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html).
/// </summary>
internal static class TaskSecrets
{
    public const string SecretAction = "secretsmanager:GetSecretValue";
    public const string ParameterAction = "ssm:GetParameters";
    public const string DecryptAction = "kms:Decrypt";

    public static IEnumerable<SecretUse> Uses(EcsTaskDefinition td)
    {
        foreach (var c in td.Containers)
        {
            if (c.Node.GetMap("repositoryCredentials")?["credentialsParameter"] is { } creds)
                yield return new SecretUse(c, $"the registry credentials (repositoryCredentials) of container `{c.Name}`", creds);
            foreach (var e in c.Node.GetSeq("secrets")?.Maps ?? [])
                if (e["valueFrom"] is { } v)
                    yield return new SecretUse(c, $"secret `{e.GetString("name") ?? "?"}` of container `{c.Name}`", v);
            foreach (var e in c.Node.GetMap("logConfiguration")?.GetSeq("secretOptions")?.Maps ?? [])
                if (e["valueFrom"] is { } v)
                    yield return new SecretUse(c, $"log option `{e.GetString("name") ?? "?"}` of container `{c.Name}`", v);
        }
    }

    /// <summary>What a valueFrom names, or null when it is not known well enough to judge (a template, a variable, a module output...).</summary>
    public static SecretSource? Resolve(DeploymentModel model, Node valueFrom, string? taskAccount)
    {
        switch (valueFrom)
        {
            case ScalarNode { Value: { } raw } when !string.IsNullOrWhiteSpace(raw):
                return Literal(model, raw.Trim(), taskAccount);
            case UnknownNode { Ref: { } r } u when string.IsNullOrEmpty(u.RefPrefix) && (string.IsNullOrEmpty(u.RefSuffix) || u.RefSuffix.StartsWith(':')):
                return Referenced(model, r);
            default:
                return null;
        }
    }

    private static SecretSource? Literal(DeploymentModel model, string v, string? taskAccount)
    {
        if (Rules.Ecs.EcsSecretValuefromInvalid.IsTemplated(v)) return null;
        if (IamMatch.SecretArnOf(v) is { } arn)
        {
            var p = IamMatch.Split(arn);
            var name = p[5]["secret:".Length..];
            if (p[3].Length == 0 || p[4].Length == 0) return null;
            var complete = IamMatch.LooksLikeCompleteSecretArn(arn);
            var target = new ResourceTarget
            {
                Service = "secretsmanager", Partition = p[1], Region = p[3], Account = p[4], Resource = "secret:" + name,
                SecretSuffixUnknown = !complete,
            };
            // A name that itself ends in "-" and six characters looks complete: judge it both ways.
            var alternative = complete ? target with { SecretSuffixUnknown = true } : null;
            var declared = DeclaredByName(model, "aws_secretsmanager_secret", name) ?? (complete ? DeclaredByName(model, "aws_secretsmanager_secret", name[..^7]) : null);
            return new SecretSource("secret", SecretAction, target, name, declared, alternative) { CustomerKey = CustomerKeyOf(model, declared) };
        }
        if (v.StartsWith("arn:", StringComparison.Ordinal))
        {
            var p = IamMatch.Split(v);
            if (p.Count != 6 || p[2] != "ssm" || !p[5].StartsWith("parameter/", StringComparison.Ordinal) || p[3].Length == 0 || p[4].Length == 0) return null;
            var name = WithoutSelector(p[5]["parameter/".Length..]);
            if (name.Length == 0) return null;
            var declared = DeclaredByName(model, "aws_ssm_parameter", "/" + name) ?? DeclaredByName(model, "aws_ssm_parameter", name);
            return new SecretSource("parameter", ParameterAction,
                new ResourceTarget { Service = "ssm", Partition = p[1], Region = p[3], Account = p[4], Resource = "parameter/" + name },
                "/" + name.TrimStart('/'), declared, null) { CustomerKey = CustomerKeyOf(model, declared) };
        }
        // A bare name: an SSM parameter in the task's own Region and account. /aws/reference/secretsmanager/... needs
        // Secrets Manager permissions as well: not judged.
        var parameter = WithoutSelector(v);
        if (parameter.Length == 0 || parameter.StartsWith("/aws/reference/", StringComparison.Ordinal)
            || !parameter.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/')
            || (parameter.Contains('/') && !parameter.StartsWith('/')))
            return null;
        var decl = DeclaredByName(model, "aws_ssm_parameter", parameter);
        return new SecretSource("parameter", ParameterAction,
            new ResourceTarget { Service = "ssm", Region = null, Account = taskAccount, Resource = "parameter/" + parameter.TrimStart('/') },
            parameter, decl, null) { CustomerKey = CustomerKeyOf(model, decl) };
    }

    private static SecretSource? Referenced(DeploymentModel model, string reference)
    {
        if (model.ResolveRef(reference) is not { } hit || hit.Resource.Family != ResourceFamily.Terraform) return null;
        var r = hit.Resource;
        switch (r.Kind)
        {
            case "aws_secretsmanager_secret" when hit.Attribute is "arn" or "id":
            {
                // A generated name (name_prefix, a random suffix): only wildcards or a reference to the resource match for sure.
                if (r.Body.GetString("name") is not { Length: > 0 } name)
                    return new SecretSource("secret", SecretAction,
                        new ResourceTarget { Service = "secretsmanager", Resource = "secret:", ResourceIdUnknown = true, Label = $"the ARN of {r.Address ?? r.Name}" },
                        r.Address ?? r.Name, r, null) { CustomerKey = CustomerKeyOf(model, r), NameKnown = false };
                return new SecretSource("secret", SecretAction,
                    new ResourceTarget { Service = "secretsmanager", Resource = "secret:" + name, SecretSuffixUnknown = true },
                    name, r, null) { CustomerKey = CustomerKeyOf(model, r) };
            }
            case "aws_secretsmanager_secret_version" when hit.Attribute == "arn":
                return r.Body["secret_id"] is UnknownNode { Ref: { } secretRef } s && string.IsNullOrEmpty(s.RefPrefix) && string.IsNullOrEmpty(s.RefSuffix)
                    ? Referenced(model, secretRef) : null;
            case "aws_ssm_parameter" when hit.Attribute is "arn" or "name" or "id":
            {
                if (r.Body.GetString("name") is not { Length: > 0 } name)
                    return new SecretSource("parameter", ParameterAction,
                        new ResourceTarget { Service = "ssm", Resource = "parameter/", ResourceIdUnknown = true, Label = $"the ARN of {r.Address ?? r.Name}" },
                        r.Address ?? r.Name, r, null) { CustomerKey = CustomerKeyOf(model, r), NameKnown = false };
                return new SecretSource("parameter", ParameterAction,
                    new ResourceTarget { Service = "ssm", Resource = "parameter/" + name.TrimStart('/') },
                    name, r, null) { CustomerKey = CustomerKeyOf(model, r) };
            }
            default:
                return null;
        }
    }

    private static Resource? DeclaredByName(DeploymentModel model, string kind, string name) =>
        model.OfKind(kind).FirstOrDefault(r => r.Family == ResourceFamily.Terraform && r.Body.GetString("name") == name);

    /// <summary>
    /// The customer managed key (an aws_kms_key in the scan) that encrypts a declared secret or SecureString
    /// parameter, when ECS needs kms:Decrypt on it. Null for the AWS managed default key, and when the key's own key
    /// policy could grant the role directly (a policy on the key) or is not in the scan (a literal key ARN).
    /// </summary>
    private static Resource? CustomerKeyOf(DeploymentModel model, Resource? declared)
    {
        if (declared == null) return null;
        var keyNode = declared.Kind switch
        {
            "aws_secretsmanager_secret" => declared.Body["kms_key_id"],
            "aws_ssm_parameter" when declared.Body.GetString("type") == "SecureString" => declared.Body["key_id"],
            _ => null,
        };
        if (keyNode is not UnknownNode { Ref: { } keyRef } k || !string.IsNullOrEmpty(k.RefPrefix) || !string.IsNullOrEmpty(k.RefSuffix)) return null;
        if (model.ResolveRef(keyRef) is not { Resource: { Kind: "aws_kms_key", Family: ResourceFamily.Terraform } key, Attribute: "arn" or "key_id" or "id" }) return null;
        if (key.Body["policy"] is { } policy && policy is not ScalarNode { IsNull: true }) return null;
        foreach (var kp in model.OfKind("aws_kms_key_policy"))
            if (kp.Body["key_id"] is not UnknownNode { Ref: { } r } || model.ResolveRef(r)?.Resource == key) return null;
        return key;
    }

    /// <summary>The KMS key as a target: its ARN is generated, so only wildcards or a reference to it match for sure.</summary>
    public static ResourceTarget KeyTarget(Resource key) => new() { Service = "kms", Resource = "key/", ResourceIdUnknown = true, Label = $"the ARN of {key.Address ?? key.Name}" };

    /// <summary>A parameter name without a :version or :label selector (GetParameters accepts both).</summary>
    private static string WithoutSelector(string name)
    {
        var colon = name.IndexOf(':');
        return colon >= 0 ? name[..colon] : name;
    }

    private static readonly Dictionary<string, string> ServiceOfKind = new(StringComparer.Ordinal)
    {
        ["aws_secretsmanager_secret"] = "secretsmanager", ["aws_ssm_parameter"] = "ssm", ["aws_kms_key"] = "kms", ["aws_kms_alias"] = "kms",
        ["aws_s3_bucket"] = "s3", ["aws_sqs_queue"] = "sqs", ["aws_sns_topic"] = "sns", ["aws_dynamodb_table"] = "dynamodb",
        ["aws_cloudwatch_log_group"] = "logs", ["aws_ecr_repository"] = "ecr", ["aws_lambda_function"] = "lambda",
        ["aws_ecs_cluster"] = "ecs", ["aws_ecs_service"] = "ecs", ["aws_ecs_task_definition"] = "ecs", ["aws_iam_role"] = "iam",
    };

    /// <summary>
    /// Compares a Terraform reference written as a policy Resource with the resource asked about (the declared one,
    /// or one known by service and name): Yes for the same declared resource, No for a resource of another service or
    /// another declared resource of the same kind with a different name, Unknown otherwise.
    /// </summary>
    public static Func<UnknownNode, Applies> References(DeploymentModel model, string service, IReadOnlyCollection<string> names, Resource? declared) => u =>
    {
        if (u.Ref == null || model.ResolveRef(u.Ref) is not { } hit) return Applies.Unknown;
        var r = hit.Resource;
        var plain = string.IsNullOrEmpty(u.RefPrefix) && (string.IsNullOrEmpty(u.RefSuffix) || u.RefSuffix is "*" or "-*");
        if (r.Family is not (ResourceFamily.Terraform or ResourceFamily.EcsTaskDefinition)) return Applies.Unknown;
        var otherService = r.Family == ResourceFamily.EcsTaskDefinition ? "ecs" : ServiceOfKind.GetValueOrDefault(r.Kind);
        if (otherService == null) return Applies.Unknown;
        if (!string.IsNullOrEmpty(u.RefPrefix)) return Applies.Unknown;
        if (otherService != service) return hit.Attribute == "arn" ? Applies.No : Applies.Unknown;
        // The id of a Secrets Manager secret is its ARN too.
        var isArn = hit.Attribute == "arn" || (hit.Attribute == "id" && r.Kind == "aws_secretsmanager_secret");
        if (declared != null && ReferenceEquals(r, declared))
            return plain && isArn ? Applies.Yes : Applies.Unknown;
        // Two resource blocks (not data sources) create two different secrets, parameters or keys.
        if (declared != null && r.Kind == declared.Kind && IsManaged(r) && IsManaged(declared)) return plain && isArn ? Applies.No : Applies.Unknown;
        var otherName = r.Body.GetString("name");
        if (names.Count > 0 && otherName != null && isArn && plain)
            return names.Any(n => Normalize(n) == Normalize(otherName)) ? Applies.Yes : Applies.No;
        return Applies.Unknown;
    };

    private static string Normalize(string name) => name.TrimStart('/');

    private static bool IsManaged(Resource r) =>
        r.Address is { } a && !a.StartsWith("data.", StringComparison.Ordinal) && !a.Contains(".data.", StringComparison.Ordinal);
}
