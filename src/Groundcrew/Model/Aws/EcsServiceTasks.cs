using Groundcrew.Core;
using Groundcrew.Load.Terraform;

namespace Groundcrew.Model.Aws;

/// <summary>The task definition an ECS service runs, and how that was found (for messages).</summary>
public sealed record ServiceTask(EcsTaskDefinition TaskDefinition, string How);

/// <summary>
/// Ties an ECS service (Terraform aws_ecs_service, CloudFormation AWS::ECS::Service, Pulumi aws:ecs/service:Service) to
/// the task definition it runs, by every form its task definition argument takes: a reference to a scanned task
/// definition (also one declared in a local module, `module.api.task_definition_arn`), a family, `family:revision` or
/// task definition ARN (literal, or from a variable default or .tfvars the evaluator resolved) naming the family of a
/// scanned task definition (in the same root module or template first, else the one in the repository, such as a
/// register- or describe-task-definition JSON file), or a GitHub workflow that deploys a task definition file of the
/// repository to a service of that name (amazon-ecs-deploy-task-definition, usually after a render step).
/// </summary>
public static class EcsServiceTasks
{
    public static readonly string[] ServiceKinds = ["aws_ecs_service", "AWS::ECS::Service", "aws:ecs/service:Service"];

    public static IEnumerable<Resource> Services(DeploymentModel model) => ServiceKinds.SelectMany(model.OfKind);

    /// <summary>The argument holding the task definition, by the resource's family.</summary>
    public static Node? TaskDefinitionNode(Resource service) => service.Body[service.Kind switch
    {
        "AWS::ECS::Service" => "TaskDefinition",
        "aws:ecs/service:Service" => "taskDefinition",
        _ => "task_definition",
    }];

    /// <summary>The service's name as ECS knows it (name / ServiceName), when literal.</summary>
    public static string? ServiceName(Resource service) =>
        service.Body[service.Kind == "AWS::ECS::Service" ? "ServiceName" : "name"] is ScalarNode { Value: { Length: > 0 } n } && !n.Contains('$') ? n : null;

    public static ServiceTask? Of(DeploymentModel model, Resource service)
    {
        var node = TaskDefinitionNode(service);
        var tds = model.TaskDefinitions;
        EcsTaskDefinition? ByResource(Resource r) => tds.FirstOrDefault(t => ReferenceEquals(t.Resource, r));

        if (node is UnknownNode u)
        {
            if (model.ResolveRef(u) is ({ Family: ResourceFamily.EcsTaskDefinition } r, _) && ByResource(r) is { } byRef)
                return new ServiceTask(byRef, $"`{u.Ref}`");
            // module.NAME.output: the one task definition declared inside that module instance.
            if (u.Ref is { } reference && reference.StartsWith("module.", StringComparison.Ordinal))
            {
                var dot = reference.IndexOf('.', "module.".Length);
                var prefix = dot > 0 ? reference[..(dot + 1)] : null;
                var inModule = prefix == null ? [] : tds.Where(t => t.Resource.TerraformRoot == service.TerraformRoot && t.Resource.Address?.StartsWith(prefix, StringComparison.Ordinal) == true).ToList();
                if (inModule.Count == 1) return new ServiceTask(inModule[0], $"`{reference}`, the task definition of {prefix!.TrimEnd('.')}");
            }
        }
        if (service.PulumiState != null && node is ScalarNode { Value: { Length: > 0 } urn } && model.Network.Resolve(service, node) is ({ Family: ResourceFamily.EcsTaskDefinition } pr, _) && ByResource(pr) is { } byId)
            return new ServiceTask(byId, $"`{urn}`");

        if (node is ScalarNode { Value: { Length: > 0 } text } && !text.Contains('$') && Family(text) is { } family)
        {
            var named = tds.Where(t => t.Body.GetString("family") == family).ToList();
            var same = named.Where(t => SameScope(service, t.Resource)).ToList();
            var pick = same.Count == 1 ? same[0] : same.Count == 0 && named.Count == 1 ? named[0] : null;
            if (pick != null) return new ServiceTask(pick, $"`{text}` names family `{family}`{(SameScope(service, pick.Resource) ? "" : $" ({pick.Resource.File})")}");
        }

        if (ServiceName(service) is { } serviceName)
        {
            var files = model.TaskDefinitionDeploys.Where(d => d.Service == serviceName).Select(d => d.TaskDefinitionFile).Distinct().ToList();
            var deployed = files.Count == 1 ? tds.Where(t => t.Resource.File == files[0]).ToList() : [];
            if (deployed.Count == 1)
            {
                var step = model.TaskDefinitionDeploys.First(d => d.Service == serviceName);
                return new ServiceTask(deployed[0], $"{step.Span.File}:{step.Span.StartLine} deploys {files[0]} to service `{serviceName}`");
            }
        }
        return null;
    }

    /// <summary>The family in `family`, `family:3` or `arn:aws:ecs:REGION:ACCOUNT:task-definition/family:3`; null for other text.</summary>
    public static string? Family(string text)
    {
        var s = text.Trim();
        if (s.StartsWith("arn:", StringComparison.Ordinal))
        {
            var marker = s.IndexOf(":task-definition/", StringComparison.Ordinal);
            if (marker < 0) return null;
            s = s[(marker + ":task-definition/".Length)..];
        }
        var colon = s.IndexOf(':');
        if (colon >= 0) s = s[..colon];
        // Family names: up to 255 letters, numbers, hyphens and underscores (RegisterTaskDefinition).
        return s.Length is > 0 and <= 255 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? s : null;
    }

    private static bool SameScope(Resource service, Resource td) =>
        service.PulumiState != null ? td.PulumiState != null && td.File == service.File
        : service.TerraformRoot != null ? td.TerraformRoot == service.TerraformRoot
        : td.File == service.File;

    /// <summary>Fargate by launch type or capacity providers (Terraform, Pulumi or CloudFormation keys); null when the service does not say.</summary>
    public static bool? RunsOnFargate(Resource service, IReadOnlySet<string> fargateProviders)
    {
        var cfn = service.Kind == "AWS::ECS::Service";
        var launch = service.Body[cfn ? "LaunchType" : service.PulumiState != null ? "launchType" : "launch_type"];
        if (launch is ScalarNode { Value: "FARGATE" }) return true;
        if (launch is ScalarNode { Value: { Length: > 0 } }) return false;
        var strategy = service.Body[cfn ? "CapacityProviderStrategy" : service.PulumiState != null ? "capacityProviderStrategies" : "capacity_provider_strategy"];
        var providerKey = cfn ? "CapacityProvider" : service.PulumiState != null ? "capacityProvider" : "capacity_provider";
        if (strategy is SeqNode { Items.Count: > 0 } s)
            return s.Items.All(i => i is MapNode m && m[providerKey] is ScalarNode { Value: { } p } && fargateProviders.Contains(p));
        return null;
    }
}
