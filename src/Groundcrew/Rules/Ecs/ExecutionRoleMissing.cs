using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Model.Aws;

namespace Groundcrew.Rules.Ecs;

/// <summary>
/// A task definition without any `executionRoleArn` while something in it needs one (facts in
/// Data/ecs/execution-role-needs.yaml): container `secrets`, `logConfiguration.secretOptions` or `repositoryCredentials`
/// on any launch type; and, on Fargate, external instances or ECS Managed Instances (by `requiresCompatibilities`, or
/// when that is absent, by a scanned ECS service that runs the task definition), an image from a private ECR repository
/// or the awslogs log driver. Reported once per task definition, at the first thing that needs the role.
/// Unknown stays unknown: an `executionRoleArn` whose value is computed, a parameter, an intrinsic or a module input
/// counts as present; a launch type that cannot be told means only the requirements of every launch type apply; a JSON
/// file without `family` is a fragment completed elsewhere and is not judged.
/// </summary>
public sealed class ExecutionRoleMissing : Rule
{
    public override string Title => "Task definition needs a task execution role (secrets, registry credentials, ECR pulls or awslogs on Fargate) but declares none";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ClientException: When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. / " +
        "Private repository authentication requires that the task definition specify a value for executionRoleArn. / " +
        "Fargate requires task definition to have execution role ARN to support log driver awslogs. / ... to support ECR images.";
    public override string Fix =>
        "Set executionRoleArn (Terraform execution_role_arn, CloudFormation ExecutionRoleArn) to a role that trusts ecs-tasks.amazonaws.com and has " +
        "the AWS managed policy AmazonECSTaskExecutionRolePolicy attached, plus secretsmanager:GetSecretValue / ssm:GetParameters (and kms:Decrypt " +
        "for a customer managed key) on the secrets the task reads.";

    private sealed record Need(string Id, string What, string Error, bool AnyLaunchType);

    private sealed record Facts(Dictionary<string, Need> Needs, HashSet<string> AgentWithoutInstanceRole, HashSet<string> FargateCapacityProviders, Groundcrew.Core.SafeRegex PrivateEcr);

    private static readonly Lazy<Facts> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("ecs/execution-role-needs.yaml");
        var needs = new Dictionary<string, Need>(StringComparer.Ordinal);
        foreach (var e in y.GetMap("needs")?.Entries ?? [])
            if (e.Value is MapNode m)
                needs[e.Name] = new Need(e.Name, m.GetString("what") ?? throw new InvalidDataException($"execution-role-needs.yaml: {e.Name}.what missing"),
                    m.GetString("error") ?? "", m.GetString("launchTypes") == "any");
        HashSet<string> Set(string key) => (y.GetSeq(key)?.Items ?? []).OfType<ScalarNode>().Select(s => s.Value ?? "").ToHashSet(StringComparer.Ordinal);
        return new Facts(needs, Set("agentWithoutInstanceRole"), Set("fargateCapacityProviders"),
            Groundcrew.Core.SafeRegex.Create(y.GetString("privateEcrImage") ?? throw new InvalidDataException("execution-role-needs.yaml: privateEcrImage missing"), RegexOptions.CultureInvariant));
    });

    /// <summary>One thing in a container that needs the execution role, at the line that asks for it.</summary>
    private sealed record Use(Need Need, Node At, string Container, string Detail);

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var facts = Data.Value;
        // With --base, a role the previous revision had is reported by ecs-revision-drops-execution-role (with the revision).
        var dropped = EcsRevisions.Pairs(context.Model).Where(p => p.Previous.ExecutionRoleArn is { IsNull: false, Value.Length: > 0 })
            .Select(p => p.Current.Resource).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var td in context.Model.TaskDefinitions)
        {
            if (HasExecutionRole(td) || IsFragment(td) || dropped.Contains(td.Resource)) continue;
            var hosting = Hosting(context.Model, td, facts);
            var uses = Uses(context.Model, td, facts, hosting != null).ToList();
            if (uses.Count == 0) continue;

            var first = uses[0];
            var where = first.Need.AnyLaunchType ? "" : $"on {hosting} ";
            var error = first.Need.Error is { Length: > 0 } e && (first.Need.AnyLaunchType || hosting == "Fargate") ? e : null;
            var outcome = error == null ? "its tasks cannot start"
                : error.StartsWith("ClientException", StringComparison.Ordinal) ? $"RegisterTaskDefinition rejects it (\"{error}\")"
                : $"its tasks fail to start (\"{error}\")";
            var others = uses.Skip(1).Select(u => u.Need.Id).Distinct().Where(id => id != first.Need.Id).Select(id => facts.Needs[id].What).ToList();
            var also = others.Count > 0 ? $"; it also {string.Join("; ", others)}" : "";
            var message = $"task definition `{td.Family}` has no `executionRoleArn`, but {where}container `{first.Container}` {first.Need.What}{first.Detail}: " +
                          $"ECS needs the task execution role for that, so {outcome}{also}";
            yield return At(first.At, message, FixFor(td, uses),
                related: [new RelatedLocation(td.Resource.Anchor, $"task definition `{td.Family}`: add {KeyName(td)} here")]);
        }
    }

    /// <summary>
    /// True unless `executionRoleArn` is absent or null. A null in evaluated Terraform configuration came from an
    /// expression (a variable without value, a conditional, a module input), so it counts as present; in a plan, a
    /// JSON file, a CloudFormation template or Pulumi state a null is the absent role.
    /// </summary>
    private static bool HasExecutionRole(EcsTaskDefinition td)
    {
        var value = td.Body["executionRoleArn"];
        if (value == null) return false;
        if (value is ScalarNode { IsNull: true }) return IsTerraformConfiguration(td.Resource);
        return true;
    }

    private static bool IsTerraformConfiguration(Resource r) =>
        r.TerraformRoot != null && (r.File.EndsWith(".tf", StringComparison.Ordinal) || r.File.EndsWith(".tf.json", StringComparison.Ordinal));

    /// <summary>
    /// A task-definition JSON/YAML file without `family` (which RegisterTaskDefinition requires and describe output always
    /// has) is a fragment that a deploy tool completes: the role may come from there.
    /// </summary>
    private static bool IsFragment(EcsTaskDefinition td) =>
        td.Resource.Address == null && td.Resource.PulumiState == null && td.Body["family"] == null;

    /// <summary>
    /// Where the task runs when that is one of the launch types whose agent has no instance role (Fargate, external
    /// instances, ECS Managed Instances), as words for the message; null when it runs on EC2 or cannot be told.
    /// </summary>
    private static string? Hosting(DeploymentModel model, EcsTaskDefinition td, Facts facts)
    {
        var compat = td.Body["requiresCompatibilities"];
        if (compat is SeqNode seq)
        {
            var values = seq.Items.OfType<ScalarNode>().Select(s => s.Value ?? "").ToList();
            if (values.Contains("FARGATE")) return "Fargate";
            return values.FirstOrDefault(facts.AgentWithoutInstanceRole.Contains) is { } other ? $"{other} (requiresCompatibilities)" : null;
        }
        if (compat != null && compat is not ScalarNode { IsNull: true }) return null; // computed: cannot tell
        return ServiceOnFargate(model, td, facts) is { } service ? $"Fargate ({service} runs it there)" : null;
    }

    /// <summary>A scanned ECS service (Terraform, CloudFormation or Pulumi) that runs this task definition on Fargate (<see cref="EcsServiceTasks"/>).</summary>
    private static string? ServiceOnFargate(DeploymentModel model, EcsTaskDefinition td, Facts facts)
    {
        foreach (var service in EcsServiceTasks.Services(model))
        {
            if (EcsServiceTasks.Of(model, service) is not { } tied || !ReferenceEquals(tied.TaskDefinition, td)) continue;
            if (EcsServiceTasks.RunsOnFargate(service, facts.FargateCapacityProviders) == true) return $"service `{service.Address ?? service.Name}`";
        }
        return null;
    }

    private static IEnumerable<Use> Uses(DeploymentModel model, EcsTaskDefinition td, Facts facts, bool agentWithoutInstanceRole)
    {
        foreach (var c in td.Containers)
        {
            if (c.Node["secrets"] is SeqNode { Items.Count: > 0 } secrets)
                yield return new Use(facts.Needs["secrets"], secrets.Items[0], c.Name, Names(secrets));
            var log = c.Node.GetMap("logConfiguration");
            if (log?["secretOptions"] is SeqNode { Items.Count: > 0 } options)
                yield return new Use(facts.Needs["secretOptions"], options.Items[0], c.Name, Names(options));
            if (c.Node.GetMap("repositoryCredentials") is { } creds && creds["credentialsParameter"] is { } parameter && parameter is not ScalarNode { IsNull: true } and not ScalarNode { Value: "" })
                yield return new Use(facts.Needs["repositoryCredentials"], parameter, c.Name, "");
            if (!agentWithoutInstanceRole) continue;
            if (c.Node["image"] is { } image && PrivateEcrImage(model, image, facts) is { } shown)
                yield return new Use(facts.Needs["ecrImage"], image, c.Name, $" (`{shown}`)");
            if (log?["logDriver"] is ScalarNode { Value: "awslogs" } driver)
                yield return new Use(facts.Needs["awslogs"], driver, c.Name, "");
        }
    }

    /// <summary>True for an image in a private ECR registry (the data file's fact; public.ecr.aws needs no credentials).</summary>
    internal static bool IsPrivateEcrImage(string image) => Data.Value.PrivateEcr.IsMatch(image);

    /// <summary>The image as shown in the message when it is in a private ECR repository: a literal ACCOUNT.dkr.ecr.REGION.amazonaws.com/... or a reference to an aws_ecr_repository's repository_url.</summary>
    private static string? PrivateEcrImage(DeploymentModel model, Node image, Facts facts)
    {
        if (image is ScalarNode { Value: { } text } && facts.PrivateEcr.IsMatch(text.Trim())) return text.Trim();
        if (image is UnknownNode { Ref: { } reference } u && string.IsNullOrEmpty(u.RefPrefix) && reference.EndsWith(".repository_url", StringComparison.Ordinal) &&
            model.ResolveRef(u) is ({ Kind: "aws_ecr_repository" }, "repository_url"))
            return $"{reference}{u.RefSuffix}";
        return null;
    }

    /// <summary>" (`A`, `B`)" for the named entries of a secrets list.</summary>
    private static string Names(SeqNode list)
    {
        var names = list.Maps.Select(m => m.GetString("name")).OfType<string>().Where(n => n.Length > 0).ToList();
        if (names.Count == 0) return "";
        var shown = string.Join(", ", names.Take(3).Select(n => $"`{n}`"));
        return names.Count > 3 ? $" ({shown} and {names.Count - 3} more)" : $" ({shown})";
    }

    private static string KeyName(EcsTaskDefinition td) =>
        td.Resource.TerraformRoot != null ? "execution_role_arn" : IsCloudFormation(td.Resource) ? "ExecutionRoleArn" : "executionRoleArn";

    private static bool IsCloudFormation(Resource r) => r.Address != null && r.TerraformRoot == null && r.PulumiState == null;

    private static string FixFor(EcsTaskDefinition td, List<Use> uses)
    {
        var reads = uses.Any(u => u.Need.Id is "secrets" or "secretOptions" or "repositoryCredentials")
            ? ", plus an inline policy allowing secretsmanager:GetSecretValue and/or ssm:GetParameters (and kms:Decrypt for a customer managed key) on exactly the secrets the task references"
            : "";
        var set = td.Resource.TerraformRoot != null
            ? "Add `execution_role_arn = aws_iam_role.<execution>.arn` to the aws_ecs_task_definition"
            : IsCloudFormation(td.Resource)
                ? "Add `ExecutionRoleArn: !GetAtt <ExecutionRole>.Arn` to the task definition's Properties"
                : "Add `\"executionRoleArn\": \"arn:aws:iam::<account>:role/<execution-role>\"` to the task definition";
        return $"{set}: a role whose trust policy allows sts:AssumeRole by ecs-tasks.amazonaws.com, with the AWS managed policy " +
               $"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy attached{reads}.";
    }
}
