using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Model.Aws;
using Groundcrew.Rules.Irsa;

namespace Groundcrew.Rules.Events;

/// <summary>
/// A workload consumes an SQS queue that an EventBridge rule (or an SNS subscription) feeds, but the role its pods or
/// tasks run with may not <c>sqs:ReceiveMessage</c> / <c>sqs:DeleteMessage</c> on it: the events pile up in the queue
/// while the service looks healthy. Only explicit ties count: an env var (in the container, or in a ConfigMap the
/// container reads) whose value is the queue's URL, ARN or name, or a Terraform task definition whose environment
/// references the queue. The role is the IRSA role of the pod's ServiceAccount, its EKS Pod Identity role, or the ECS
/// task role, declared in the scanned code; a workload without one (node role, static keys) is not judged here.
/// </summary>
public sealed class ConsumerCannotReceive : Rule
{
    private static readonly string[] Needed = ["sqs:ReceiveMessage", "sqs:DeleteMessage"];

    public override string Title => "Queue consumer's role may not receive from the queue";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`AccessDenied ... is not authorized to perform: sqs:ReceiveMessage`: messages pile up in the queue and the consumer never processes them (incident A11)";
    public override string Fix => "Allow sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue ARN in a policy attached to the consumer's role (and kms:Decrypt on the queue's key for SSE-KMS).";
    public override IReadOnlyList<string> Incidents => ["A11"];

    private sealed record Tie(string Workload, string What, Node Node, SqsQueue Queue, string? Region, string? Account);

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var sqs = SqsFacts.For(model);
        var fed = Fed(model, sqs);
        if (fed.Count == 0) return [];
        var irsa = IrsaFacts.For(model);
        var findings = new List<Finding>();
        var seen = new HashSet<(string, SqsQueue)>();

        foreach (var w in model.Workloads)
        {
            var ties = WorkloadTies(model, sqs, w).Where(t => fed.ContainsKey(t.Queue)).ToList();
            if (ties.Count == 0) continue;
            if (RoleOfPods(model, irsa, w) is not { } who) continue;
            foreach (var tie in ties)
                if (seen.Add((who.Role.Resource.Address ?? who.Role.Resource.Name, tie.Queue)) && Judge(model, sqs, who.Role, who.How, who.Where, tie, fed[tie.Queue]) is { } f)
                    findings.Add(f);
        }
        foreach (var td in model.TaskDefinitions)
        {
            var ties = TaskTies(model, sqs, td).Where(t => fed.ContainsKey(t.Queue)).ToList();
            if (ties.Count == 0 || model.IamRoles.Find(td.Body["taskRoleArn"]) is not { } role) continue;
            foreach (var tie in ties)
                if (seen.Add((role.Resource.Address ?? role.Resource.Name, tie.Queue))
                    && Judge(model, sqs, role, "its task role {0}", td.Body["taskRoleArn"]!.Span, tie, fed[tie.Queue]) is { } f)
                    findings.Add(f);
        }
        return findings;
    }

    private Finding? Judge(DeploymentModel model, SqsFacts sqs, IamRole role, string how, SourceSpan roleUse, Tie tie, string feeder)
    {
        if (model.IamRoles.MayHaveUnseenAttachments(role)) return null;
        var queue = tie.Queue;
        // A queue policy that grants receiving to an AWS principal could let the role in (same account): unknown, say nothing.
        if (sqs.PoliciesOf(queue).Any(p => p.Document.IsUnknown || p.Document.Statements.Any(s => s.Effect != StatementEffect.Deny
                && s.Action?.Values.Any(a => IamMatch.Action(a.Value, "sqs:ReceiveMessage")) != false
                && (s.Principal?.ByKind.ContainsKey("AWS") == true || s.Principal?.IsWildcard == true || s.Principal?.HasUnknown == true))))
            return null;
        var arn = $"arn:aws:sqs:{tie.Region ?? "*"}:{tie.Account ?? "*"}:{queue.Name ?? "*"}";
        var missing = new List<(string Action, Decision Decision)>();
        foreach (var action in Needed)
        {
            var d = IamEvaluator.Decide(role.IdentityPolicies, action, arn, null, null, pattern => SqsFacts.ResourceCovers(pattern, queue, tie.Region, tie.Account),
                references: r => SqsFacts.RefersTo(model, r, queue.Resource, "arn"));
            if (d.Outcome is Outcome.Unknown or Outcome.Conditional or Outcome.Allowed) continue;
            missing.Add((action, d));
        }
        if (missing.Count == 0) return null;
        var actions = string.Join(" and ", missing.Select(m => m.Action));
        var first = missing[0].Decision;
        var denied = first.Outcome == Outcome.Denied ? $" ({first.Explanation})" : "";
        var attached = role.Policies.Count switch
        {
            0 => "no policy is attached to it in the code",
            1 => $"its one attached policy does not allow it{denied}",
            var n => $"none of its {n} attached policies allows it{denied}",
        };
        var related = new List<RelatedLocation>
        {
            new(tie.Node.Span, $"{tie.Workload} reads queue {queue.Display} ({tie.What})"),
            new(roleUse, $"{tie.Workload} runs as {role.Describe()}"),
            new(queue.Anchor, $"queue {queue.Display} ({feeder})"),
        };
        related.AddRange(role.Policies.Take(3).Select(p => new RelatedLocation(p.AttachedAt, $"policy attached via {p.Via}")));
        var kms = queue.CustomerKey ? " and kms:Decrypt on the queue's KMS key" : "";
        return At(role.Anchor,
            $"{tie.Workload} consumes SQS queue {queue.Display} ({feeder}), but {string.Format(how, role.Name ?? role.Describe())} may not {actions} on it: {attached}; "
            + "the messages pile up in the queue and are never processed",
            fix: $"Allow {role.Describe()} sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on {queue.Address}.arn{kms}, e.g. a statement "
                 + $"{{ Effect = \"Allow\", Action = [\"sqs:ReceiveMessage\", \"sqs:DeleteMessage\", \"sqs:GetQueueAttributes\"], Resource = {queue.Address}.arn }} in an aws_iam_role_policy of the role",
            related: related);
    }

    /// <summary>Queues fed by an EventBridge rule or an SNS subscription, with a description of the feeder.</summary>
    private static Dictionary<SqsQueue, string> Fed(DeploymentModel model, SqsFacts sqs)
    {
        var fed = new Dictionary<SqsQueue, string>();
        foreach (var t in sqs.Targets) fed.TryAdd(t.Queue, $"fed by EventBridge rule {t.RuleDisplay}");
        foreach (var s in model.OfKind("aws_sns_topic_subscription"))
            if (s.Body.GetString("protocol") == "sqs" && sqs.QueueOf(model, s.Body["endpoint"]) is { } q)
                fed.TryAdd(q, $"subscribed to SNS topic {(s.Body["topic_arn"] is UnknownNode { Ref: { } r } ? r : IrsaFacts.Literal(s.Body["topic_arn"]) ?? "(not known)")}");
        return fed;
    }

    // ---- ties ----

    private static IEnumerable<Tie> WorkloadTies(DeploymentModel model, SqsFacts sqs, Workload w)
    {
        var label = $"{w.Resource.Kind} {(w.Resource.Namespace != null ? w.Resource.Namespace + "/" : "")}{w.Resource.Name}";
        foreach (var c in w.Containers)
        {
            foreach (var env in c.Node.GetSeq("env")?.Maps ?? [])
            {
                var name = env.GetString("name") ?? "";
                if (env["value"] is ScalarNode value && TieOf(sqs, label, $"env {name}", value, name) is { } t) yield return t;
                if (env.GetMap("valueFrom")?.GetMap("configMapKeyRef") is { } keyRef
                    && model.Find("ConfigMap", w.Resource.Namespace, keyRef.GetString("name") ?? "") is { } cm
                    && cm.Body.GetMap("data")?[keyRef.GetString("key") ?? ""] is ScalarNode cv
                    && TieOf(sqs, label, $"env {name} from ConfigMap {cm.Name}", cv, name) is { } t2) yield return t2;
            }
            foreach (var from in c.Node.GetSeq("envFrom")?.Maps ?? [])
                if (from.GetMap("configMapRef")?.GetString("name") is { } cmName && model.Find("ConfigMap", w.Resource.Namespace, cmName) is { } cm)
                    foreach (var e in cm.Body.GetMap("data")?.Entries ?? [])
                        if (e.Value is ScalarNode v && TieOf(sqs, label, $"{e.Name} from ConfigMap {cm.Name}", v, e.Name) is { } t) yield return t;
        }
    }

    private static IEnumerable<Tie> TaskTies(DeploymentModel model, SqsFacts sqs, EcsTaskDefinition td)
    {
        var label = $"task definition {td.Family}";
        foreach (var c in td.Containers)
            foreach (var env in c.Node.GetSeq("environment")?.Maps ?? [])
            {
                var name = env.GetString("name") ?? "";
                switch (env["value"])
                {
                    case ScalarNode v when TieOf(sqs, label, $"env {name}", v, name) is { } t: yield return t; break;
                    case UnknownNode u when sqs.QueueOf(model, u) is { } q: yield return new Tie(label, $"env {name}", u, q, null, null); break;
                }
            }
    }

    /// <summary>
    /// The queue a value names: a queue URL or ARN always counts; a bare queue name only under a key that says it is a
    /// queue (SQS_QUEUE, BILLING_QUEUE_NAME...), so DB_NAME=orders does not tie a workload to a queue named orders.
    /// </summary>
    private static Tie? TieOf(SqsFacts sqs, string workload, string what, ScalarNode value, string key)
    {
        if (value.Value is not { Length: > 0 } v) return null;
        var queue = SqsFacts.NameIn(v) is { } name ? sqs.ByName(name)
            : key.Contains("QUEUE", StringComparison.OrdinalIgnoreCase) || key.Contains("SQS", StringComparison.OrdinalIgnoreCase) ? sqs.ByName(v.Trim()) : null;
        if (queue == null) return null;
        var (region, account) = SqsFacts.Location(v);
        return new Tie(workload, what, value, queue, region, account);
    }

    // ---- the role of a pod ----

    private static (IamRole Role, string How, SourceSpan Where)? RoleOfPods(DeploymentModel model, IrsaFacts irsa, Workload w)
    {
        var saName = w.ServiceAccountName;
        var ns = w.Resource.Namespace;
        foreach (var a in model.OfKind("aws_eks_pod_identity_association"))
            if (IrsaFacts.Literal(a.Body["service_account"]) == saName && (IrsaFacts.Literal(a.Body["namespace"]) is not { } ans || ans == ns))
                return model.IamRoles.Find(a.Body["role_arn"]) is { } r ? (r, $"its EKS Pod Identity role {{0}} (association {a.Address})", (a.Body["role_arn"] ?? a.Body).Span) : null;
        var sa = irsa.ServiceAccounts.FirstOrDefault(s => s.Name == saName && (s.Namespace == null || s.Namespace == ns));
        if (sa == null) return null;
        return model.IamRoles.FindByName(sa.RoleName) is { } role ? (role, $"its IRSA role {{0}} (from ServiceAccount {sa.Display})", sa.Annotation.Span) : null;
    }
}
