using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Ecs;

/// <summary>
/// With --base REF: the task definition had an `executionRoleArn` at the base revision and has none now, while
/// something in it still needs one: container secrets or log secretOptions, private registry credentials, or (on
/// Fargate) the awslogs log driver or an image from a private ECR repository. Dropping a role nothing needs is fine.
/// </summary>
public sealed class EcsRevisionDropsExecutionRole : Rule
{
    public override string Title => "Task definition revision drops the execution role that secrets, logs or image pulls need";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "ClientException: When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. / Fargate requires task definition to have execution role ARN to support log driver awslogs. / ... to support ECR images.";
    public override string Fix => "Restore `executionRoleArn` from the base revision.";
    public override IReadOnlyList<string> Incidents => ["C1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in EcsRevisions.Pairs(context.Model))
        {
            if (pair.Previous.ExecutionRoleArn is not { IsNull: false, Value: { Length: > 0 } } before) continue;
            if (pair.Current.ExecutionRoleArn is { IsNull: false, Value: { Length: > 0 } }) continue;

            var needs = Needs(pair.Current);
            if (needs.Count == 0) continue;
            var anchor = (Node?)pair.Current.Body.Entry("executionRoleArn")?.Key ?? pair.Current.Body["family"] ?? pair.Current.Body;
            yield return At(anchor,
                $"task definition `{pair.Current.Family}` no longer sets `executionRoleArn` (it did at revision {pair.Revision}), but {string.Join("; ", needs)}",
                related: [new RelatedLocation(before.Span, $"the execution role at revision {pair.Revision}")]);
        }
    }

    private static List<string> Needs(EcsTaskDefinition td)
    {
        var needs = new List<string>();
        var fargate = td.Body["requiresCompatibilities"] is SeqNode compat && compat.Items.OfType<ScalarNode>().Any(s => s.Value == "FARGATE");
        var secrets = new List<string>();
        var logSecrets = new List<string>();
        var creds = new List<string>();
        var awslogs = new List<string>();
        var ecr = new List<string>();
        foreach (var c in td.Containers)
        {
            var log = c.Node.GetMap("logConfiguration");
            if (EcsRevisions.HasItems(c.Node, "secrets")) secrets.Add(c.Name);
            else if (log != null && EcsRevisions.HasItems(log, "secretOptions")) logSecrets.Add(c.Name);
            if (c.Node.GetMap("repositoryCredentials")?.GetString("credentialsParameter") is { Length: > 0 }) creds.Add(c.Name);
            if (fargate && log?.GetString("logDriver") == "awslogs") awslogs.Add(c.Name);
            if (fargate && c.Image is { } image && ExecutionRoleMissing.IsPrivateEcrImage(image)) ecr.Add(c.Name);
        }
        if (secrets.Count > 0) needs.Add($"{Containers(secrets)} still {(secrets.Count == 1 ? "reads" : "read")} `secrets` through it: registration fails (\"When you are specifying container secrets, you must also specify a value for 'executionRoleArn'\")");
        if (logSecrets.Count > 0) needs.Add($"{Containers(logSecrets)} {(logSecrets.Count == 1 ? "passes" : "pass")} `logConfiguration.secretOptions` to the log driver, which ECS fetches with the execution role");
        if (creds.Count > 0) needs.Add($"{Containers(creds)} {(creds.Count == 1 ? "pulls" : "pull")} with `repositoryCredentials`, which ECS reads with the execution role");
        if (awslogs.Count > 0) needs.Add($"on Fargate {Containers(awslogs)} {(awslogs.Count == 1 ? "logs" : "log")} with awslogs: registration fails (\"Fargate requires task definition to have execution role ARN to support log driver awslogs\")");
        if (ecr.Count > 0) needs.Add($"on Fargate {Containers(ecr)} {(ecr.Count == 1 ? "pulls" : "pull")} from private ECR: registration fails (\"Fargate requires task definition to have execution role ARN to support ECR images\")");
        return needs;
    }

    private static string Containers(List<string> names) => (names.Count == 1 ? "container " : "containers ") + EcsRevisions.List(names);

}
