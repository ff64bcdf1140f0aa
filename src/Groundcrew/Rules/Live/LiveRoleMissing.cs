using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Rules.Irsa;

namespace Groundcrew.Rules.Live;

/// <summary>
/// A task definition's execution or task role, or a ServiceAccount's IRSA role annotation, names an IAM role
/// that does not exist in the account the inventory was collected from (A2, B1). Silent when roles could not be
/// listed (AccessDenied on iam:GetAccountAuthorizationDetails is "not known", not "missing").
/// </summary>
public sealed class LiveRoleMissing : Rule
{
    public override string Title => "A referenced IAM role does not exist in the account";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ECS was unable to assume the role 'arn:aws:iam::ACCOUNT:role/NAME' / An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity";
    public override string Fix => "Create the role before the deploy (apply the infrastructure first), or correct the role name or account in the reference.";
    public override IReadOnlyList<string> Incidents => ["A2", "B1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out _, "iam.roles")) yield break;
        foreach (var td in context.Model.TaskDefinitions)
            foreach (var (node, what) in new[] { (td.ExecutionRoleArn, "execution role"), (td.TaskRoleArn, "task role") })
                if (node?.Value is { } arn && Missing(snapshot, arn) is { } message)
                    yield return At(node, $"The {what} of task definition `{td.Family}` is {message}");
        foreach (var sa in IrsaFacts.For(context.Model).ServiceAccounts)
            if (sa.BoundRole == null && Missing(snapshot, sa.RoleArn) is { } message)
                yield return At(sa.Annotation, $"ServiceAccount {sa.Display} is annotated with role {message}");
    }

    private static string? Missing(Snapshot snapshot, string arn)
    {
        if (!arn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || arn.Split(':') is not { Length: 6 } parts || !parts[5].StartsWith("role/", StringComparison.Ordinal)) return null;
        if (!LiveFacts.InScope(snapshot, parts[4], null)) return null;
        if (snapshot.Aws!.RoleByArnOrName(arn) != null) return null;
        var name = parts[5][(parts[5].LastIndexOf('/') + 1)..];
        var meant = LiveFacts.MostLikely(name, snapshot.Aws.Roles.Select(r => r.Name));
        return $"`{arn}`, but no role `{name}` exists {LiveFacts.Observed(snapshot)}." + (meant != null ? $" The closest existing role is `{meant}`." : "");
    }
}
