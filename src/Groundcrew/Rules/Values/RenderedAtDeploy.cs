using Groundcrew.Load.Builds;
using Groundcrew.Model;

namespace Groundcrew.Rules.Values;

/// <summary>
/// The one answer every value rule asks before judging an ECS task definition file's value: does a GitHub workflow's
/// amazon-ecs-render-task-definition step replace it at deploy time? Then the file's text there (a dummy image,
/// `ACCOUNT_ID.dkr.ecr...`, `&lt;IMAGE&gt;`) is a stand-in that is never deployed, and is not judged. What the step does
/// not replace (the role ARNs unless task-role-arn/execution-role-arn are given, other containers, other env vars) is
/// deployed as written and still judged.
/// </summary>
public static class RenderedAtDeploy
{
    /// <summary>The render step that replaces this value, or null when the file's value is what is deployed.</summary>
    public static TaskDefinitionRender? ReplacedBy(DeploymentModel model, DeployValue v)
    {
        if (v.Owner.Family != ResourceFamily.EcsTaskDefinition) return null;
        var renders = model.TaskDefinitionRenders;
        if (renders.Count == 0) return null;
        var file = v.Node.Span.File;
        foreach (var r in renders)
        {
            if (!string.Equals(r.TaskDefinitionFile, file, StringComparison.Ordinal)) continue;
            var replaced = v.Site switch
            {
                ValueSite.Image => v.Container is { } c && r.Covers(file, c.Name),
                ValueSite.EnvValue => v.Container is { } c && r.Covers(file, c.Name) && v.Name != null && r.EnvironmentNames.Contains(v.Name),
                ValueSite.SecretValueFrom => v.Container is { } c && r.Covers(file, c.Name) && v.Name != null && r.SecretNames.Contains(v.Name),
                ValueSite.CommandArg => v.Container is { } c && r.Covers(file, c.Name) && v.Name == "command" && r.ReplacesCommand,
                ValueSite.RoleArn => v.Name == "taskRoleArn" ? r.ReplacesTaskRoleArn : v.Name == "executionRoleArn" && r.ReplacesExecutionRoleArn,
                _ => false,
            };
            if (replaced) return r;
        }
        return null;
    }

    /// <summary>The render step that inserts this container's image at deploy time, or null.</summary>
    public static TaskDefinitionRender? ImageReplacedBy(DeploymentModel model, Container c)
    {
        if (c.Owner.Family != ResourceFamily.EcsTaskDefinition) return null;
        foreach (var r in model.TaskDefinitionRenders)
            if (r.Covers(c.Node.Span.File, c.Name)) return r;
        return null;
    }
}
