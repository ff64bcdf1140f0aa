using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Rules.Irsa;

namespace Groundcrew.Rules.Events;

/// <summary>An SQS queue declared in Terraform: its address, its name when known, and where to point.</summary>
public sealed record SqsQueue(Resource Resource, string? Name)
{
    public string Address => Resource.Address ?? Resource.Name;
    public SourceSpan Anchor => (Resource.Body["name"] ?? Resource.Body).Span;
    public string Display => Name ?? Address;
    /// <summary>A customer-managed KMS key (SSE-KMS other than alias/aws/sqs): consumers also need kms:Decrypt on it.</summary>
    public bool CustomerKey => Resource.Body["kms_master_key_id"] is { } k && !(k is ScalarNode s && (s.IsNull || s.Value == "alias/aws/sqs"));
}

/// <summary>An EventBridge target (aws_cloudwatch_event_target) whose arn is an SQS queue of the scanned code.</summary>
public sealed record EventTarget(Resource Target, Node ArnNode, SqsQueue Queue, Resource? Rule, string? RuleName, string RuleDisplay);

/// <summary>A queue policy (aws_sqs_queue_policy or aws_sqs_queue.policy) with the node to point at.</summary>
public sealed record QueuePolicy(Resource Owner, Node PolicyNode, PolicyDocument Document);

/// <summary>
/// SQS queues, their resource policies and the EventBridge targets that feed them, from Terraform; computed once per model.
/// Queues are tied by reference (aws_sqs_queue.x.arn / .id / .url) or by name in a literal ARN or URL.
/// </summary>
public sealed class SqsFacts
{
    private static readonly PerModel<SqsFacts> Cache = new(m => new SqsFacts(m));

    public IReadOnlyList<SqsQueue> Queues { get; }
    public IReadOnlyList<EventTarget> Targets { get; }
    private readonly Dictionary<SqsQueue, List<QueuePolicy>> _policies = new();
    /// <summary>A queue policy whose queue we cannot tell (a computed queue_url that is not a reference to a scanned queue).</summary>
    public bool HasUntiedPolicy { get; }

    public static SqsFacts For(DeploymentModel model) => Cache.For(model);

    private SqsFacts(DeploymentModel model)
    {
        Queues = model.OfKind("aws_sqs_queue").Where(r => r.Family == ResourceFamily.Terraform && !IrsaFacts.IsData(r))
            .Select(r => new SqsQueue(r, IrsaFacts.Literal(r.Body["name"]))).ToList();

        foreach (var q in Queues)
            if (q.Resource.Body["policy"] is { } p && !(p is ScalarNode { IsNull: true }))
                Add(q, new QueuePolicy(q.Resource, p, PolicyOf(model, q.Resource, "policy")));
        var untied = false;
        foreach (var r in model.OfKind("aws_sqs_queue_policy"))
        {
            if (r.Family != ResourceFamily.Terraform) continue;
            var node = r.Body["policy"];
            if (node == null) continue;
            var queue = QueueOf(model, r.Body["queue_url"]);
            if (queue == null) { untied = true; continue; }
            Add(queue, new QueuePolicy(r, node, PolicyOf(model, r, "policy")));
        }
        HasUntiedPolicy = untied;

        var targets = new List<EventTarget>();
        foreach (var t in model.OfKind("aws_cloudwatch_event_target"))
        {
            if (t.Family != ResourceFamily.Terraform || t.Body["arn"] is not { } arn) continue;
            if (QueueOf(model, arn) is not { } queue) continue;
            var ruleNode = t.Body["rule"];
            var rule = ruleNode is UnknownNode { Ref: { } rref } && model.ResolveRef(rref) is { Resource.Kind: "aws_cloudwatch_event_rule" } rr ? rr.Resource : null;
            var ruleName = IrsaFacts.Literal(ruleNode) ?? (rule != null ? IrsaFacts.Literal(rule.Body["name"]) : null);
            rule ??= ruleName == null ? null : model.OfKind("aws_cloudwatch_event_rule").FirstOrDefault(x => IrsaFacts.Literal(x.Body["name"]) == ruleName);
            targets.Add(new EventTarget(t, arn, queue, rule, ruleName, ruleName ?? rule?.Address ?? "(rule not known)"));
        }
        Targets = targets;
    }

    private void Add(SqsQueue q, QueuePolicy p)
    {
        if (!_policies.TryGetValue(q, out var list)) _policies[q] = list = new List<QueuePolicy>();
        list.Add(p);
    }

    public IReadOnlyList<QueuePolicy> PoliciesOf(SqsQueue q) => _policies.TryGetValue(q, out var l) ? l : [];

    /// <summary>The scanned queue a value names: a reference to aws_sqs_queue.X (arn, id, url, name), or a literal ARN / URL / name.</summary>
    public SqsQueue? QueueOf(DeploymentModel model, Node? node)
    {
        switch (node)
        {
            case UnknownNode { Ref: { } reference } when string.IsNullOrEmpty(node is UnknownNode u ? u.RefPrefix : null):
                return model.ResolveRef(reference) is { Resource.Kind: "aws_sqs_queue" } r && r.Attribute is "arn" or "id" or "url" or "name"
                    ? Queues.FirstOrDefault(q => q.Resource == r.Resource) : null;
            case ScalarNode { Value: { Length: > 0 } v }:
                return NameIn(v) is { } name ? ByName(name) : null;
            default:
                return null;
        }
    }

    public SqsQueue? ByName(string name)
    {
        var matches = Queues.Where(q => q.Name == name).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>The queue name in an SQS ARN (arn:aws:sqs:REGION:ACCOUNT:NAME) or queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME).</summary>
    public static string? NameIn(string value)
    {
        var v = value.Trim();
        if (v.StartsWith("arn:", StringComparison.Ordinal))
        {
            var p = v.Split(':');
            return p.Length == 6 && p[2] == "sqs" && p[5].Length > 0 ? p[5] : null;
        }
        if (Uri.TryCreate(v, UriKind.Absolute, out var uri) && (uri.Scheme is "https" or "http")
            && (uri.Host.StartsWith("sqs.", StringComparison.OrdinalIgnoreCase) || uri.Host.Contains(".queue.amazonaws.com", StringComparison.OrdinalIgnoreCase)))
        {
            var segments = uri.AbsolutePath.Trim('/').Split('/');
            return segments.Length == 2 && segments[1].Length > 0 ? segments[1] : null;
        }
        return null;
    }

    /// <summary>Region and account of an SQS URL or ARN, when written out (null parts otherwise).</summary>
    public static (string? Region, string? Account) Location(string value)
    {
        var v = value.Trim();
        if (v.StartsWith("arn:", StringComparison.Ordinal))
        {
            var p = v.Split(':');
            return p.Length == 6 ? (Known(p[3]), Known(p[4])) : (null, null);
        }
        if (Uri.TryCreate(v, UriKind.Absolute, out var uri))
        {
            var host = uri.Host.Split('.');
            var segments = uri.AbsolutePath.Trim('/').Split('/');
            return (host.Length >= 3 && host[0] == "sqs" ? Known(host[1]) : null, segments.Length == 2 ? Known(segments[0]) : null);
        }
        return (null, null);
        static string? Known(string s) => s.Length > 0 && !s.Contains('$') && !s.Contains('<') && !s.Contains('{') ? s : null;
    }

    /// <summary>
    /// Whether a policy Resource pattern covers the queue: service sqs, region and account (unknown ones give Unknown unless
    /// the pattern has a wildcard there), and the queue name.
    /// </summary>
    public static Applies ResourceCovers(string pattern, SqsQueue queue, string? region = null, string? account = null)
    {
        if (pattern == "*") return Applies.Yes;
        if (pattern.Contains("${", StringComparison.Ordinal)) return Applies.Unknown;
        var p = pattern.Split(':');
        if (p.Length < 6) // arn:aws:sqs:* spans the rest
            return pattern.EndsWith('*') && p[0] == "arn" && (p.Length < 3 || IamMatch.Glob(p[2], "sqs", ignoreCase: false))
                ? (p.Skip(3).All(x => x == "*") ? Applies.Yes : Applies.Unknown) : Applies.No;
        if (p[0] != "arn" || !IamMatch.Glob(p[2], "sqs", ignoreCase: false)) return Applies.No;
        var resource = string.Join(':', p[5..]);
        var result = Applies.Yes;
        if (queue.Name == null) { if (resource != "*") result = Applies.Unknown; }
        else if (!IamMatch.Glob(resource, queue.Name, ignoreCase: false)) return Applies.No;
        foreach (var (pat, actual) in new[] { (p[3], region), (p[4], account) })
        {
            if (pat == "*") continue;
            if (actual == null) { result = Applies.Unknown; continue; } // we do not know the queue's region/account
            if (!IamMatch.Glob(pat, actual, ignoreCase: false)) return Applies.No;
        }
        return result;
    }

    /// <summary>
    /// How a Terraform reference in a policy (<c>aws_sqs_queue.x.arn</c>) relates to a declared resource: Yes when it is that
    /// resource's <paramref name="attribute"/>, No when it is an attribute of another declared resource of the same type, Unknown otherwise.
    /// </summary>
    public static Applies RefersTo(DeploymentModel model, UnknownNode reference, Resource resource, string attribute)
    {
        if (reference.Ref == null || !string.IsNullOrEmpty(reference.RefPrefix)) return Applies.Unknown;
        if (model.ResolveRef(reference.Ref) is not { } hit) return Applies.Unknown;
        if (hit.Resource == resource) return hit.Attribute == attribute && string.IsNullOrEmpty(reference.RefSuffix) ? Applies.Yes : Applies.Unknown;
        return hit.Resource.Kind == resource.Kind && hit.Attribute == attribute && string.IsNullOrEmpty(reference.RefSuffix) ? Applies.No : Applies.Unknown;
    }

    /// <summary>The policy document of a Terraform attribute holding a policy (jsonencode, heredoc, aws_iam_policy_document json).</summary>
    public static PolicyDocument PolicyOf(DeploymentModel model, Resource r, string attribute) =>
        PolicyDocument.Parse(r.Body[attribute]!, $"{attribute} of {r.Address ?? r.Name}");
}
