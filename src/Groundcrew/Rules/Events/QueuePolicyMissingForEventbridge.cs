using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;

namespace Groundcrew.Rules.Events;

/// <summary>
/// An EventBridge rule targets an SQS queue of the scanned Terraform (aws_cloudwatch_event_target arn = the queue), but
/// the queue's resource policy (aws_sqs_queue_policy or aws_sqs_queue.policy) does not let the service principal
/// <c>events.amazonaws.com</c> call <c>sqs:SendMessage</c> on it, or only for another rule's <c>aws:SourceArn</c>, or
/// there is no queue policy at all. EventBridge then fails every delivery (the rule's FailedInvocations metric) and
/// nothing reaches the queue. A queue policy we cannot tie to a queue, or a statement we cannot read, gives no finding.
/// </summary>
public sealed class QueuePolicyMissingForEventbridge : Rule
{
    public const string Service = "events.amazonaws.com";
    public const string Action = "sqs:SendMessage";

    public override string Title => "EventBridge rule targets an SQS queue whose policy does not let EventBridge send";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "EventBridge cannot deliver to the queue (FailedInvocations on the rule, events dropped): the consumer never sees the events (incident A11)";
    public override string Fix => "Give the queue a policy allowing Principal {\"Service\": \"events.amazonaws.com\"} the action sqs:SendMessage on the queue ARN, with Condition ArnEquals aws:SourceArn = the rule's ARN.";
    public override IReadOnlyList<string> Incidents => ["A11"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var facts = SqsFacts.For(context.Model);
        foreach (var target in facts.Targets)
        {
            var queue = target.Queue;
            var policies = facts.PoliciesOf(queue);
            var statement = StatementFor(queue, target);
            var related = new List<RelatedLocation> { new(target.ArnNode.Span, $"EventBridge rule {target.RuleDisplay} targets queue {queue.Display}") };
            if (policies.Count == 0)
            {
                if (facts.HasUntiedPolicy) continue; // a queue policy whose queue we cannot tell might be this one
                yield return At(queue.Anchor,
                    $"EventBridge rule {target.RuleDisplay} sends to SQS queue {queue.Display}, but the queue has no queue policy: "
                    + $"without one allowing {Service} {Action}, EventBridge cannot deliver and the events never reach the queue",
                    fix: $"Add an aws_sqs_queue_policy for {queue.Address} with the statement {statement}", related: related);
                continue;
            }

            var matches = policies.SelectMany(p => p.Document.IsUnknown
                    ? [(Policy: p, Statement: (PolicyStatement?)null, Applies: Applies.Unknown, Why: "the policy is not known")]
                    : p.Document.Statements.Select(s => { var (a, why) = Applies_(context.Model, s, queue, target); return (Policy: p, Statement: (PolicyStatement?)s, Applies: a, Why: why); }))
                .ToList();
            var deny = matches.FirstOrDefault(m => m.Statement?.Effect == StatementEffect.Deny && m.Applies == Applies.Yes);
            if (deny.Statement != null)
            {
                yield return At(deny.Statement.Span,
                    $"EventBridge rule {target.RuleDisplay} sends to SQS queue {queue.Display}, but {deny.Statement.Describe()} denies {Service} {Action}: the events never reach the queue",
                    fix: $"Exclude EventBridge from that Deny (for example with a condition on aws:SourceArn) and allow it with {statement}", related: related);
                continue;
            }
            if (matches.Any(m => m.Statement?.Effect != StatementEffect.Deny && m.Applies is Applies.Yes or Applies.Conditional or Applies.Unknown)) continue;

            // Nothing allows: point at the closest statement (one that allows SendMessage to someone), else at the policy.
            var near = matches.FirstOrDefault(m => m.Statement is { Effect: StatementEffect.Allow } s && s.Action?.Values.Any(v => IamMatch.Action(v.Value, Action)) == true);
            var where = near.Statement?.Span ?? policies[0].PolicyNode.Span;
            var why = near.Statement != null ? $": {near.Statement.Describe()} does not apply ({near.Why})" : "";
            yield return At(where,
                $"EventBridge rule {target.RuleDisplay} sends to SQS queue {queue.Display}, but its queue policy does not let {Service} {Action}{why}: "
                + "EventBridge cannot deliver and the events never reach the queue",
                fix: $"Add to the queue policy of {queue.Display} the statement {statement}", related: related);
        }
    }

    private static string StatementFor(SqsQueue queue, EventTarget target) =>
        $"{{ Effect = \"Allow\", Principal = {{ Service = \"{Service}\" }}, Action = \"{Action}\", Resource = {queue.Address}.arn, "
        + $"Condition = {{ ArnEquals = {{ \"aws:SourceArn\" = {(target.Rule?.Address is { } a ? a + ".arn" : "\"<rule ARN>\"")} }} }} }}";

    /// <summary>Whether a statement of the queue's resource policy applies to EventBridge sending this rule's events to the queue.</summary>
    internal static (Applies, string) Applies_(Groundcrew.Model.DeploymentModel model, PolicyStatement s, SqsQueue queue, EventTarget target)
    {
        if (s.Node is UnknownNode) return (Applies.Unknown, "the statement is not known");
        var parts = new List<(Applies A, string Why)>
        {
            (Principal(s), "principal"),
            (Values(s.Action, s.NotAction, v => IamMatch.Action(v, Action) ? Applies.Yes : Applies.No), "action"),
            (s.Resource == null && s.NotResource == null ? Applies.Unknown
                : Values(s.Resource, s.NotResource, v => SqsFacts.ResourceCovers(v, queue), r => SqsFacts.RefersTo(model, r, queue.Resource, "arn")), "resource"),
        };
        if (s.ConditionUnknown) parts.Add((Applies.Unknown, "the Condition block is not readable"));
        foreach (var c in s.Conditions)
        {
            if (!c.Key.Equals("aws:SourceArn", StringComparison.OrdinalIgnoreCase)) { parts.Add((Applies.Conditional, $"condition {c.Key}")); continue; }
            if (c.Operator.Contains("Not", StringComparison.Ordinal) || c.Operator.Contains("IfExists", StringComparison.Ordinal) || c.Operator.Contains(':')) { parts.Add((Applies.Conditional, $"condition {c.Operator} aws:SourceArn")); continue; }
            var known = c.Values.Values.Select(v => v.Value).ToList();
            var names = target.RuleName;
            if (names != null && known.Any(v => NamesRule(v, names))) continue;
            var refs = c.Values.References.Select(r => (r.Ref, A: target.Rule == null ? Applies.Unknown : SqsFacts.RefersTo(model, r, target.Rule, "arn"))).ToList();
            if (refs.Any(r => r.A == Applies.Yes)) continue;
            var otherRefs = c.Values.UnknownCount == refs.Count && refs.All(r => r.A == Applies.No);
            if ((c.Values.HasUnknown && !otherRefs) || names == null && known.Count > 0) { parts.Add((Applies.Unknown, "aws:SourceArn is not known")); continue; }
            parts.Add((Applies.No, $"its aws:SourceArn condition names {string.Join(", ", known.Concat(refs.Select(r => r.Ref!)))}, not rule {target.RuleDisplay}"));
        }
        if (s.Effect == StatementEffect.Unknown) parts.Add((Applies.Unknown, "the effect is not known"));
        var applies = IamEvaluator.Combine(parts.Select(p => p.A));
        return (applies, applies == Applies.Yes ? "matches" : string.Join("; ", parts.Where(p => p.A == applies).Select(p => p.Why == "principal" ? $"the principal is not {Service}" : p.Why is "action" or "resource" ? $"the {p.Why} does not match" : p.Why)));
    }

    /// <summary>A rule ARN arn:aws:events:REGION:ACCOUNT:rule/[BUS/]NAME (wildcards allowed) naming the rule.</summary>
    private static bool NamesRule(string arn, string ruleName)
    {
        var p = arn.Split(':');
        if (p.Length < 6) return arn == "*";
        var resource = string.Join(':', p[5..]);
        if (!resource.StartsWith("rule/", StringComparison.Ordinal) && resource != "*") return false;
        return IamMatch.Glob(resource, "rule/" + ruleName, ignoreCase: false) || resource.EndsWith("/" + ruleName, StringComparison.Ordinal)
               || IamMatch.Glob(resource[(resource.LastIndexOf('/') + 1)..], ruleName, ignoreCase: false);
    }

    private static Applies Principal(PolicyStatement s)
    {
        if (s.Principal is { } p)
        {
            if (p.IsWildcard) return Applies.Yes;
            if (p.ByKind.TryGetValue("Service", out var services) && services.Values.Any(v => string.Equals(v.Value.Trim(), Service, StringComparison.OrdinalIgnoreCase))) return Applies.Yes;
            if (p.ByKind.TryGetValue("AWS", out var aws) && aws.Values.Any(v => v.Value == "*")) return Applies.Yes;
            return p.HasUnknown ? Applies.Unknown : Applies.No;
        }
        if (s.NotPrincipal is { } np)
        {
            if (np.ByKind.TryGetValue("Service", out var services) && services.Values.Any(v => string.Equals(v.Value.Trim(), Service, StringComparison.OrdinalIgnoreCase))) return Applies.No;
            return np.HasUnknown ? Applies.Unknown : Applies.Yes;
        }
        return Applies.No;
    }

    private static Applies Values(ValueList? list, ValueList? notList, Func<string, Applies> match, Func<UnknownNode, Applies>? references = null)
    {
        if (list != null)
        {
            var r = list.Values.Select(v => match(v.Value)).ToList();
            var refs = references == null ? [] : list.References.Select(references).ToList();
            if (r.Contains(Applies.Yes) || refs.Contains(Applies.Yes)) return Applies.Yes;
            var otherRefs = references != null && list.UnknownCount == refs.Count && refs.All(a => a == Applies.No);
            return r.Contains(Applies.Unknown) || (list.HasUnknown && !otherRefs) ? Applies.Unknown : Applies.No;
        }
        if (notList != null)
        {
            var r = notList.Values.Select(v => match(v.Value)).ToList();
            if (r.Contains(Applies.Yes)) return Applies.No;
            return r.Contains(Applies.Unknown) || notList.HasUnknown ? Applies.Unknown : Applies.Yes;
        }
        return Applies.No;
    }
}
