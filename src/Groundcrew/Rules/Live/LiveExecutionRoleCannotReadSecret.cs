using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;

namespace Groundcrew.Rules.Live;

/// <summary>
/// The execution role as it exists in the account cannot read a secret its task definition references: the
/// role's live inline and attached policies, evaluated with the same evaluator the repository-side rule
/// (execution-role-cannot-read-secret) uses, allow no secretsmanager:GetSecretValue on the secret's real ARN
/// (ssm:GetParameters on the parameter, kms:Decrypt on a customer managed key that encrypts the secret).
/// When the snapshot holds AWS's policy simulator answer for the call (`iam simulate-principal-policy`, collected for
/// the registered task definitions' execution roles), that answer decides instead, and the finding says so.
/// Without it: silent when a policy document could not be read; always silent when the role or secret is not in the inventory.
/// </summary>
public sealed class LiveExecutionRoleCannotReadSecret : Rule
{
    public override string Title => "The live execution role cannot read a secret its task definition references";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ResourceInitializationError: unable to pull secrets or registry auth: ... AccessDeniedException: User: arn:aws:sts::ACCOUNT:assumed-role/ROLE/TASK is not authorized to perform: secretsmanager:GetSecretValue on resource: SECRET_ARN";
    public override string Fix =>
        "Attach a policy to the execution role that allows secretsmanager:GetSecretValue on the secret's ARN (ssm:GetParameters on the parameter, kms:Decrypt on its customer managed key).";
    public override IReadOnlyList<string> Incidents => ["C2", "C4", "C6", "D4"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws, "iam.roles")) yield break;
        foreach (var td in context.Model.TaskDefinitions)
        {
            if (LiveFacts.ExecutionRole(context, td) is not var (roleRef, tiedBy) || aws.RoleByArnOrName(roleRef) is not { } role) continue;
            // A policy we could not read may be the grant: without the simulator's answer, our evaluator stays silent.
            var readable = role.Policies.All(p => p.Document != null);
            var policies = readable ? role.Policies.Select(p => PolicyDocument.ParseJson(p.Document.Text(), "inventory", p.Name)).ToList() : [];
            var notSimulated = snapshot.NotCollected.FirstOrDefault(n => n.Part == "iam.simulate:" + role.Arn);
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (use, lookup) in LiveFacts.SecretLookups(snapshot, td))
            {
                foreach (var (action, resource) in SecretReads.Needs(aws, lookup))
                {
                    if (!reported.Add(action + " " + resource)) continue;
                    string why;
                    if (aws.Simulated(role.Arn, action, resource) is { } simulated)
                    {
                        // AWS's own policy simulator decided: its answer overrules Groundcrew's evaluator either way.
                        if (simulated.Allowed) continue;
                        why = $"AWS's policy simulator (iam simulate-principal-policy) decided `{simulated.Decision}`: " +
                              (simulated.Decision == "explicitDeny" ? "an explicit Deny forbids it" : "no statement of its policies allows it");
                    }
                    else
                    {
                        if (!readable) continue;
                        var decision = IamEvaluator.Evaluate(policies, action, resource);
                        if (!decision.IsDenied) continue;
                        why = (decision.Outcome == Outcome.Denied ? "an explicit Deny forbids it" : "no statement of its policies allows it") +
                              " (Groundcrew's IAM evaluator; AWS's policy simulator " +
                              (notSimulated != null ? $"was not collected: {notSimulated.Kind})"
                                  : aws.Simulations == null ? "is not in this snapshot, written before groundcrew asked it)"
                                  : "gave no answer for it in this snapshot)");
                    }
                    yield return At(use.ValueFrom,
                        $"The execution role `{role.Name}`{tiedBy} of task definition `{td.Family}` may not call {action} on `{resource}` for {use.Label}: " +
                        $"{why} ({string.Join(", ", role.Policies.Select(p => p.Name))}) {LiveFacts.Observed(snapshot)}. ECS fails the task at start.",
                        $"Allow `{action}` on `{resource}` in a policy of role `{role.Name}`.");
                }
            }
        }
    }
}
