using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Live.Inventory;
using Groundcrew.Rules.Events;
using System.Text.Json.Nodes;
using Groundcrew.Live;

namespace Groundcrew.Rules.Live;

/// <summary>
/// A11 against the live account: an SQS queue the repository declares exists, an EventBridge rule sends to it, but
/// no principal may receive from it: no IAM role in the inventory has a policy that allows sqs:ReceiveMessage on the
/// queue's ARN (same evaluator as the repository rules), and the queue's own policy grants it to no one. The events
/// pile up. Silent when roles, queues or rules could not be collected, when a role's policy could not be read (it
/// may be the grant), and when an allow depends on a condition.
/// </summary>
public sealed class LiveQueueNoReceiver : Rule
{
    public override string Title => "No principal in the account may receive from a queue an EventBridge rule sends to";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "Messages pile up in the queue (ApproximateNumberOfMessagesVisible grows) and the consumer logs `AccessDenied ... is not authorized to perform: sqs:ReceiveMessage`.";
    public override string Fix =>
        "Allow sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue's ARN in a policy of the consumer's role (IRSA, Pod Identity or the ECS task role).";
    public override IReadOnlyList<string> Incidents => ["A11"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws, "sqs.queues", "iam.roles", "events.rules")) yield break;
        // Every role's policies, parsed once; a role with a policy we could not read may hold the grant.
        if (aws.Roles.Any(r => r.Policies.Any(p => p.Document == null))) yield break;
        var roles = aws.Roles.Select(r => (Role: r, Policies: r.Policies.Select(p => PolicyDocument.ParseJson(p.Document.Text(), "inventory", p.Name)).ToList())).ToList();
        foreach (var declared in SqsFacts.For(context.Model).Queues)
        {
            if (declared.Name is not { } name || aws.Queues.FirstOrDefault(q => q.Name == name && q.Arn != null) is not { } queue) continue;
            if (snapshot.NotCollected.Any(n => n.Part == $"sqs.queue:{queue.Url}")) continue;
            var feeders = aws.EventRules.Where(r => r.TargetArns.Contains(queue.Arn!)).Select(r => r.Name).ToList();
            if (feeders.Count == 0 || QueuePolicyGrantsReceive(queue.Policy)) continue;
            if (roles.Any(r => IamEvaluator.Evaluate(r.Policies, "sqs:ReceiveMessage", queue.Arn!).Outcome is not (Outcome.Denied or Outcome.ImplicitDeny))) continue;
            yield return At(declared.Anchor,
                $"Queue `{name}` is fed by EventBridge rule(s) {string.Join(", ", feeders.Select(f => $"`{f}`"))} and holds {queue.MessagesVisible} message(s), " +
                $"but none of the account's {aws.Roles.Count} IAM role(s) may call sqs:ReceiveMessage on `{queue.Arn}` and its queue policy grants it to no one " +
                $"{LiveFacts.Observed(snapshot)}. Nothing can consume the events: they pile up until the retention period drops them.",
                $"Allow `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `sqs:GetQueueAttributes` on `{queue.Arn}` in a policy of the consumer's role.");
        }
    }

    /// <summary>An Allow in the queue policy for sqs:ReceiveMessage (to any principal) means someone may receive: not judged further.</summary>
    private static bool QueuePolicyGrantsReceive(JsonNode? policy)
    {
        var statements = policy.P("Statement") switch { JsonArray a => a.OfType<JsonObject>(), JsonObject o => [o], _ => [] };
        return statements.Any(s => s.P("Effect").Str() == "Allow" && Values(s.P("Action")).Any(a => IamMatch.Action(a, "sqs:ReceiveMessage")));
    }

    private static IEnumerable<string> Values(JsonNode? t) =>
        t switch { JsonArray a => a.Select(x => x.Str()).OfType<string>(), _ when t.IsString() => [t.Str()!], _ => [] };
}
