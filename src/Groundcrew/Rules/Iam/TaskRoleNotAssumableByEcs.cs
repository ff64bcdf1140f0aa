using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Model;
using Groundcrew.Model.Aws;

namespace Groundcrew.Rules.Iam;

/// <summary>
/// The execution role or task role of a task definition is declared in the scanned code with a trust policy that
/// does not let the ECS tasks service (ecs-tasks.amazonaws.com) assume it: a role copied from EC2 or Lambda, or one
/// trusted by an account only. Conditions on the ECS statement (aws:SourceAccount, aws:SourceArn) are the
/// recommended confused-deputy protection and are not reported; a principal only known at apply time keeps the rule
/// silent. One finding per role, at the principal the trust names instead.
/// </summary>
public sealed class TaskRoleNotAssumableByEcs : Rule
{
    public const string EcsTasks = "ecs-tasks.amazonaws.com";

    public override string Title => "The task's execution role or task role does not trust ecs-tasks.amazonaws.com";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ClientException: ECS was unable to assume the role 'arn:aws:iam::ACCOUNT:role/ROLE' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions";
    public override string Fix =>
        "Let the ECS tasks service assume the role: an Allow statement with Principal { Service = \"ecs-tasks.amazonaws.com\" } and Action sts:AssumeRole in its trust policy (assume_role_policy).";
    public override IReadOnlyList<string> Incidents => ["D4"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (model.TaskDefinitions.Count == 0) yield break;
        var roles = model.IamRoles;
        if (roles.All.Count == 0) yield break;

        // role -> the task definitions (and which of their roles) that use it, in scan order
        var uses = new Dictionary<IamRole, List<(EcsTaskDefinition Td, Node Node, string Which)>>();
        var order = new List<IamRole>();
        foreach (var td in model.TaskDefinitions)
            foreach (var (key, which) in new[] { ("executionRoleArn", "execution role"), ("taskRoleArn", "task role") })
            {
                // Plain null tests rather than `is not { } x` patterns: a mutant that flips such a pattern leaves the
                // variable unassigned (CS0165) and Stryker then rolls back this whole method, so it goes unmeasured.
                var node = td.Body[key];
                var role = roles.Find(node);
                if (role == null) continue;
                var list = uses.GetValueOrDefault(role);
                if (list == null) { list = []; uses[role] = list; order.Add(role); }
                list.Add((td, node!, which));
            }

        foreach (var role in order)
        {
            var trust = role.Trust;
            if (trust == null || trust.IsUnknown) continue;
            var decision = TrustPolicy.AllowsService(trust, EcsTasks);
            if (!decision.IsDenied) continue;
            yield return Report(role, trust, decision, uses[role]);
        }
    }

    private Finding Report(IamRole role, PolicyDocument trust, Decision decision, List<(EcsTaskDefinition Td, Node Node, string Which)> uses)
    {
        var roleName = role.Name ?? role.Resource.Address ?? role.Resource.Name;
        // Who may assume the role: a statement that allows only sts:TagSession or sts:SetSourceIdentity lets nobody
        // assume it (the message would otherwise say that only ECS may assume it, and then "not ECS").
        var grants = TrustPolicy.WhoCanAssume(trust)
            .Where(g => g.Kind != PrincipalKind.Unknown && g.Actions.Any(a => a.StartsWith("sts:AssumeRole", StringComparison.Ordinal))).ToList();
        var trusted = grants.Select(g => g.Value).Distinct().ToList();
        SourceSpan at;
        string why;
        if (decision.Outcome == Outcome.Denied)
        {
            at = decision.DecidingStatements[0].Span;
            why = $"its trust policy denies it ({decision.DecidingStatements[0].Describe()})";
        }
        else if (grants.Count > 0)
        {
            at = grants[0].Span;
            why = $"its trust policy lets only {string.Join(", ", trusted)} assume it";
        }
        else
        {
            at = trust.Statements.FirstOrDefault()?.Principal?.Span ?? trust.Span;
            why = "its trust policy lets no principal assume it with sts:AssumeRole";
        }
        var usedAs = string.Join(", ", uses.Select(u => $"the {u.Which} of task definition `{u.Td.Family}`").Distinct());
        var message = $"role `{roleName}` is {usedAs}, but {why}, not {EcsTasks}: ECS cannot assume it and the task fails to start";
        var related = new List<RelatedLocation> { new(role.Anchor, $"role `{roleName}` ({role.Resource.Address ?? role.Resource.File})") };
        foreach (var u in uses) related.Add(new RelatedLocation(u.Node.Span, $"{u.Which} of task definition `{u.Td.Family}`"));

        var fix = role.Resource.Family == ResourceFamily.Terraform
            ? $"Trust the ECS tasks service in assume_role_policy of {role.Resource.Address} (add it, or replace the principal if nothing else assumes the role):\n" +
              "{\n  Effect    = \"Allow\"\n  Principal = { Service = \"ecs-tasks.amazonaws.com\" }\n  Action    = \"sts:AssumeRole\"\n}\n" +
              "Conditions on aws:SourceAccount / aws:SourceArn may stay (they protect against the confused deputy problem)."
            : $"Trust the ECS tasks service in the trust policy of `{roleName}`:\n" +
              "{ \"Effect\": \"Allow\", \"Principal\": { \"Service\": \"ecs-tasks.amazonaws.com\" }, \"Action\": \"sts:AssumeRole\" }";
        return At(at, message, fix, related);
    }
}
