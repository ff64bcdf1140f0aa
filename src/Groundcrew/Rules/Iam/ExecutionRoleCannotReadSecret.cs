using System.Text;
using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Model;
using Groundcrew.Model.Aws;

namespace Groundcrew.Rules.Iam;

/// <summary>
/// A task definition references a secret (secrets[].valueFrom, logConfiguration.secretOptions, repositoryCredentials)
/// that its execution role may not read: the role is declared in the scanned Terraform/Pulumi code, every policy
/// attached to it there is known, and none allows secretsmanager:GetSecretValue on the secret (ssm:GetParameters on
/// the parameter; kms:Decrypt on a customer managed key declared in the scan that encrypts it), or a Deny forbids it.
/// A role not in the scan, a policy we cannot read, a condition or an apply-time value keeps the rule silent.
/// </summary>
public sealed class ExecutionRoleCannotReadSecret : Rule
{
    public override string Title => "The task execution role cannot read a secret its task definition references";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ResourceInitializationError: unable to pull secrets or registry auth: ... AccessDeniedException: User: arn:aws:sts::ACCOUNT:assumed-role/ROLE/TASK is not authorized to perform: secretsmanager:GetSecretValue on resource: SECRET_ARN (likewise ssm:GetParameters, kms:Decrypt)";
    public override string Fix =>
        "Allow the execution role secretsmanager:GetSecretValue on the secret's ARN (NAME-* when the ARN has no 6-character suffix), ssm:GetParameters on the parameter's ARN, and kms:Decrypt on a customer managed key that encrypts it.";
    public override IReadOnlyList<string> Incidents => ["C2", "C4", "D4"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (model.TaskDefinitions.Count == 0) yield break;
        var roles = model.IamRoles;
        if (roles.All.Count == 0) yield break;
        foreach (var td in model.TaskDefinitions)
        {
            // Plain null tests rather than `is not { } x` patterns in this loop: a mutant that flips such a pattern
            // leaves the variable unassigned (CS0165) and Stryker then rolls back the whole method, so it goes unmeasured.
            var roleNode = td.Body["executionRoleArn"];
            var role = roles.Find(roleNode);
            if (role == null) continue;
            // An attachment beside the role that we cannot tie to a role may be the grant: no "cannot" is certain then.
            if (roles.MayHaveUnseenAttachments(role)) continue;
            var account = AccountOf(roleNode);
            var policies = role.IdentityPolicies.ToList();
            var seen = new Dictionary<string, List<SecretUse>>(StringComparer.Ordinal);
            var problems = new List<(SecretUse Use, SecretSource Source, List<Gap> Gaps)>();
            foreach (var use in TaskSecrets.Uses(td))
            {
                var source = TaskSecrets.Resolve(model, use.ValueFrom, account);
                if (source == null) continue;
                var same = seen.GetValueOrDefault(source.Key);
                if (same != null) { same.Add(use); continue; }
                seen[source.Key] = [use];
                var gaps = Gaps(model, policies, source);
                if (gaps.Count > 0) problems.Add((use, source, gaps));
            }
            foreach (var (use, source, gaps) in problems)
                yield return Report(td, role, use, source, gaps, seen[source.Key].Skip(1).ToList());
        }
    }

    /// <summary>The account of a literal role ARN (arn:aws:iam::123456789012:role/x), for secrets named without theirs.</summary>
    private static string? AccountOf(Node? roleNode)
    {
        var arn = (roleNode as ScalarNode)?.Value;
        if (arn == null) return null;
        var parts = IamMatch.Split(arn);
        return parts.Count == 6 && parts[4].Length == 12 ? parts[4] : null;
    }

    /// <summary>One action the role may not take, with the evaluator's decision and the resource it was asked about.</summary>
    private sealed record Gap(string Action, ResourceTarget Target, Decision Decision, string FixResource, bool FixIsHcl, Resource? Key);

    private static List<Gap> Gaps(DeploymentModel model, List<PolicyDocument> policies, SecretSource source)
    {
        var gaps = new List<Gap>();
        if (SecretResourcePolicyMayGrant(model, source)) return gaps;
        var refs = TaskSecrets.References(model, source.Target.Service, source.Names, source.Declared);
        var decision = IamEvaluator.Evaluate(policies, source.Action, source.Target, refs);
        if (decision.IsDenied && (source.AlternativeTarget == null || IamEvaluator.Evaluate(policies, source.Action, source.AlternativeTarget, refs).IsDenied))
        {
            var address = source.Declared?.Address;
            var (fix, hcl) = address != null && source.Target.Region == null ? ($"{LocalAddress(address)}.arn", true) : (FixArn(source.Target), false);
            gaps.Add(new Gap(source.Action, source.Target, decision, fix, hcl, null));
        }
        var key = source.CustomerKey;
        if (key != null)
        {
            var keyTarget = TaskSecrets.KeyTarget(key);
            var keyDecision = IamEvaluator.Evaluate(policies, TaskSecrets.DecryptAction, keyTarget,
                TaskSecrets.References(model, "kms", [], key));
            if (keyDecision.IsDenied)
                gaps.Add(new Gap(TaskSecrets.DecryptAction, keyTarget, keyDecision, $"{LocalAddress(key.Address ?? key.Name)}.arn", true, key));
        }
        return gaps;
    }

    /// <summary>
    /// A resource policy on the secret (aws_secretsmanager_secret_policy, or the secret's own policy argument) can
    /// grant the role in the same account: we do not claim "cannot" when one may apply to this secret.
    /// </summary>
    private static bool SecretResourcePolicyMayGrant(DeploymentModel model, SecretSource source)
    {
        if (source.Target.Service != "secretsmanager") return false;
        var own = source.Declared?.Body["policy"];
        if (own != null && own is not Core.ScalarNode { IsNull: true }) return true;
        foreach (var p in model.OfKind("aws_secretsmanager_secret_policy"))
        {
            if (p.Body["secret_arn"] is Load.Terraform.UnknownNode { Ref: not null } pr && model.ResolveRef(pr) is { } hit
                && hit.Resource.Kind == "aws_secretsmanager_secret" && hit.Resource != source.Declared
                && (source.Declared != null || (hit.Resource.Body.GetString("name") is { } n && !source.Names.Contains(n))))
                continue; // a policy on another declared secret
            if (p.Body["secret_arn"] is ScalarNode { Value: { } arn } && IamMatch.SecretArnOf(arn) is { } sa
                && !source.Names.Any(n => sa.Contains(":secret:" + n, StringComparison.Ordinal)))
                continue;
            return true;
        }
        return false;
    }

    /// <summary>The address as written inside its own module: module.app.aws_kms_key.k -> aws_kms_key.k.</summary>
    private static string LocalAddress(string address)
    {
        var parts = address.Split('.');
        var i = 0;
        while (i + 2 < parts.Length && parts[i] == "module") i += 2;
        return string.Join('.', parts.Skip(i));
    }

    /// <summary>The policy Resource to write for the secret: its ARN, with -* for a secret named without its suffix.</summary>
    private static string FixArn(ResourceTarget t) => t.PolicyResource;

    private Finding Report(EcsTaskDefinition td, IamRole role, SecretUse use, SecretSource source, List<Gap> gaps, List<SecretUse> alsoUsedBy)
    {
        var roleName = role.Name ?? role.Resource.Address ?? role.Resource.Name;
        var what = source.Kind == "secret" ? $"secret {source.Name}" : $"parameter {source.Name}";
        if (!source.NameKnown) what = $"the {source.Kind} {source.Name}";
        var reasons = string.Join("; ", gaps.Select(g => g.Key != null
            ? $"{g.Action} on the customer managed key {g.Key.Address} that encrypts it: {g.Decision.Explanation}"
            : g.Decision.Explanation));
        var also = alsoUsedBy.Count > 0 ? $" (also read by {string.Join(", ", alsoUsedBy.Select(u => u.Label))})" : "";
        var message = $"execution role `{roleName}` of task definition `{td.Family}` cannot read {what}, {use.Label}{also}: {reasons}; " +
                      "ECS fails to start the task (AccessDeniedException)";

        var related = new List<RelatedLocation> { new(role.Anchor, $"execution role `{roleName}` ({role.Resource.Address ?? role.Resource.File})") };
        foreach (var p in role.Policies)
            related.Add(new RelatedLocation(p.AttachedAt, $"attached to `{roleName}`: {p.Via}"));
        foreach (var g in gaps)
            foreach (var s in g.Decision.DecidingStatements)
                related.Add(new RelatedLocation(s.Span, g.Decision.Outcome == Outcome.Denied ? $"denies {g.Action}: {s.Describe()}" : s.Why));
        if (source.Declared != null) related.Add(new RelatedLocation(source.Declared.Anchor, $"{source.Kind} declared as {source.Declared.Address}"));
        foreach (var g in gaps.Where(g => g.Key != null)) related.Add(new RelatedLocation(g.Key!.Anchor, $"customer managed key {g.Key.Address}"));

        return At(use.ValueFrom, message, FixText(role, roleName, gaps), related);
    }

    private static string FixText(IamRole role, string roleName, List<Gap> gaps)
    {
        var sb = new StringBuilder();
        foreach (var d in gaps.Where(g => g.Decision.Outcome == Outcome.Denied))
            sb.Append($"Remove or narrow the Deny that forbids {d.Action}: {d.Decision.DecidingStatements.FirstOrDefault()?.Describe()}.\n");
        gaps = gaps.Where(g => g.Decision.Outcome != Outcome.Denied).ToList();
        if (gaps.Count == 0) return sb.ToString().TrimEnd();
        var terraform = role.Resource.Family == ResourceFamily.Terraform;
        if (terraform)
        {
            sb.Append($"Add to a policy of `{roleName}` (e.g. an aws_iam_role_policy with role = {LocalAddress(role.Resource.Address ?? role.Resource.Name)}.id):\n");
            foreach (var g in gaps)
            {
                var resource = g.FixIsHcl ? g.FixResource : $"\"{g.FixResource}\"";
                sb.Append($"{{\n  Effect   = \"Allow\"\n  Action   = [\"{g.Action}\"]\n  Resource = [{resource}]\n}}\n");
            }
        }
        else
        {
            sb.Append($"Add to a policy of `{roleName}`:\n");
            foreach (var g in gaps)
            {
                var resource = g.FixIsHcl ? $"<the ARN of {g.FixResource[..^4]}>" : g.FixResource;
                sb.Append($"{{ \"Effect\": \"Allow\", \"Action\": [\"{g.Action}\"], \"Resource\": [\"{resource}\"] }}\n");
            }
        }
        return sb.ToString().TrimEnd();
    }
}
