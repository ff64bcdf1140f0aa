using Groundcrew.Core;
using Groundcrew.Load;
using Groundcrew.Load.Terraform;

namespace Groundcrew.Iam;

public enum StatementEffect { Allow, Deny, Unknown }

/// <summary>A value of a policy element (an action, a resource, a principal id, a condition value) with where it is written.</summary>
public sealed record PolicyValue(string Value, SourceSpan Span);

/// <summary>
/// The values of one policy element written as a string or an array of strings. <see cref="HasUnknown"/> is set
/// when some part is an <see cref="UnknownNode"/> (a Terraform value only known at apply time) or not a string:
/// then "no listed value matches" does not mean "no match".
/// </summary>
public sealed class ValueList
{
    public IReadOnlyList<PolicyValue> Values { get; }
    public bool HasUnknown { get; }
    public string? UnknownReason { get; }
    public SourceSpan Span { get; }
    /// <summary>
    /// The unknown parts that are Terraform references (<c>aws_secretsmanager_secret.db.arn</c>): still unknown to the
    /// evaluator, but a rule can tell "the same declared resource" from "another one".
    /// </summary>
    public IReadOnlyList<UnknownNode> References { get; }
    /// <summary>How many items are unknown (references or not).</summary>
    public int UnknownCount { get; private init; }

    private ValueList(List<PolicyValue> values, bool unknown, string? reason, SourceSpan span, List<UnknownNode> references)
    {
        Values = values; HasUnknown = unknown; UnknownReason = reason; Span = span; References = references;
    }

    public static ValueList From(Node node)
    {
        var values = new List<PolicyValue>();
        var references = new List<UnknownNode>();
        string? reason = null;
        var unknowns = 0;
        void Add(Node n)
        {
            switch (n)
            {
                case ScalarNode s when !s.IsNull && s.Value != null: values.Add(new PolicyValue(s.Value, s.Span)); break;
                case ScalarNode: break; // null: contributes nothing
                case UnknownNode u:
                    reason ??= u.Reason;
                    unknowns++;
                    if (u.Ref != null) references.Add(u);
                    break;
                default: reason ??= $"{n.Path}: expected a string"; unknowns++; break;
            }
        }
        if (node is SeqNode seq) foreach (var i in seq.Items) Add(i);
        else Add(node);
        return new ValueList(values, reason != null, reason, node.Span, references) { UnknownCount = unknowns };
    }
}

/// <summary>One clause of a Condition block: operator (StringEquals, ForAnyValue:StringLike, ...) -> key -> values.</summary>
public sealed record ConditionClause(string Operator, string Key, ValueList Values, SourceSpan Span);

/// <summary>
/// A Principal or NotPrincipal element: "*" or a map from principal kind (AWS, Service, Federated, CanonicalUser)
/// to ids. <see cref="HasUnknown"/> when a kind or its ids are not known.
/// </summary>
public sealed class PrincipalSet
{
    public bool IsWildcard { get; init; }
    public IReadOnlyDictionary<string, ValueList> ByKind { get; init; } = new Dictionary<string, ValueList>(StringComparer.Ordinal);
    public bool HasUnknown { get; init; }
    public SourceSpan Span { get; init; } = SourceSpan.OfFile("");

    public static PrincipalSet From(Node node)
    {
        switch (node)
        {
            case ScalarNode s when s.Value == "*": return new PrincipalSet { IsWildcard = true, Span = s.Span };
            case MapNode m:
            {
                var dict = new Dictionary<string, ValueList>(StringComparer.Ordinal);
                var unknown = false;
                foreach (var e in m.Entries)
                {
                    var list = ValueList.From(e.Value);
                    dict[e.Name] = list;
                    unknown |= list.HasUnknown;
                }
                return new PrincipalSet { ByKind = dict, HasUnknown = unknown, Span = m.Span };
            }
            default: return new PrincipalSet { HasUnknown = true, Span = node.Span };
        }
    }
}

/// <summary>One statement of a policy with the span of every element, for "which statement decided" at file:line.</summary>
public sealed class PolicyStatement
{
    public required PolicyDocument Policy { get; init; }
    public required Node Node { get; init; }
    public int Index { get; init; }
    public string? Sid { get; init; }
    public StatementEffect Effect { get; init; }
    public ValueList? Action { get; init; }
    public ValueList? NotAction { get; init; }
    public ValueList? Resource { get; init; }
    public ValueList? NotResource { get; init; }
    public PrincipalSet? Principal { get; init; }
    public PrincipalSet? NotPrincipal { get; init; }
    public IReadOnlyList<ConditionClause> Conditions { get; init; } = [];
    /// <summary>The Condition element is present but not readable (unknown or malformed): the statement is at best conditional.</summary>
    public bool ConditionUnknown { get; init; }
    public SourceSpan Span => Node.Span;
    public bool HasConditions => Conditions.Count > 0 || ConditionUnknown;

    /// <summary>"statement 'Sid' (file:line) of policy X" for explanations.</summary>
    public string Describe()
    {
        var name = Sid != null ? $"statement '{Sid}'" : $"statement #{Index + 1}";
        var where = Span.File.Length > 0 ? $" ({Span.File}:{Span.StartLine})" : "";
        var of = Policy.Name != null ? $" of {Policy.Name}" : "";
        return name + where + of;
    }
}

/// <summary>
/// An IAM policy document read from the shared positioned tree: JSON/YAML as loaded, or the structure Terraform
/// produces for jsonencode() and aws_iam_policy_document (<see cref="TerraformValueToTree"/>). Never throws:
/// malformed parts are listed in <see cref="Problems"/>, unknown parts make the affected statement (or the whole
/// document, <see cref="IsUnknown"/>) unknown to the evaluator.
/// </summary>
public sealed class PolicyDocument
{
    /// <summary>A label for explanations: a managed policy name, a file, a Terraform address.</summary>
    public string? Name { get; init; }
    public Node? Root { get; init; }
    public SourceSpan Span { get; init; } = SourceSpan.OfFile("");
    public string? Version { get; private set; }
    public IReadOnlyList<PolicyStatement> Statements => _statements;
    /// <summary>The content is not known (an unknown Terraform value, an AWS managed policy we do not carry, ...).</summary>
    public bool IsUnknown { get; private set; }
    public string? UnknownReason { get; private set; }
    public IReadOnlyList<string> Problems => _problems;

    private readonly List<PolicyStatement> _statements = new();
    private readonly List<string> _problems = new();

    /// <summary>A document whose content we do not know: it can neither grant nor deny for certain.</summary>
    public static PolicyDocument Unknown(string reason, string? name = null, SourceSpan? span = null) =>
        new() { Name = name, Span = span ?? SourceSpan.OfFile(""), IsUnknown = true, UnknownReason = reason };

    /// <summary>Parses JSON text (a file or a string value) into a document; spans point into <paramref name="file"/>.</summary>
    public static PolicyDocument ParseJson(string json, string file, string? name = null)
    {
        var loaded = JsonTreeLoader.Load(json, file);
        if (loaded.Error != null || loaded.Documents.Count != 1)
            return Unknown(loaded.Error?.Message ?? "not a single JSON value", name, SourceSpan.OfFile(file));
        return Parse(loaded.Documents[0].Root, name);
    }

    public static PolicyDocument Parse(Node root, string? name = null)
    {
        if (root is UnknownNode u) return Unknown(u.Reason, name, u.Span);
        if (root is ScalarNode { IsString: true } text && text.Value!.TrimStart().StartsWith('{'))
        {
            // A policy written as a JSON string inside YAML/JSON: parse it; every node points at the string.
            var inner = JsonTreeLoader.Load(text.Value, text.Span.File);
            if (inner.Error != null || inner.Documents.Count != 1) return Unknown("the policy string is not JSON", name, text.Span);
            var r = inner.Documents[0].Root;
            foreach (var n in r.Descendants()) n.Span = text.Span;
            root = r;
        }
        var doc = new PolicyDocument { Name = name, Root = root, Span = root.Span };
        if (root is not MapNode map)
        {
            doc.IsUnknown = true;
            doc.UnknownReason = "the policy is not a JSON object";
            doc._problems.Add(doc.UnknownReason);
            return doc;
        }
        doc.Version = map.GetString("Version");
        var st = map["Statement"];
        switch (st)
        {
            case null: doc._problems.Add("the policy has no Statement"); break;
            case UnknownNode un: doc.IsUnknown = true; doc.UnknownReason = $"the statements are not known ({un.Reason})"; break;
            case MapNode one: doc._statements.Add(doc.ReadStatement(one, 0)); break;
            case SeqNode seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (seq.Items[i] is MapNode sm) doc._statements.Add(doc.ReadStatement(sm, i));
                    else if (seq.Items[i] is UnknownNode su)
                        doc._statements.Add(new PolicyStatement { Policy = doc, Node = su, Index = i, Effect = StatementEffect.Unknown, ConditionUnknown = true });
                    else doc._problems.Add($"Statement[{i}] is not an object");
                }
                break;
            default: doc._problems.Add("Statement is neither an object nor an array"); break;
        }
        return doc;
    }

    private PolicyStatement ReadStatement(MapNode m, int index)
    {
        var effect = m["Effect"] switch
        {
            ScalarNode { Value: "Allow" } => StatementEffect.Allow,
            ScalarNode { Value: "Deny" } => StatementEffect.Deny,
            UnknownNode => StatementEffect.Unknown,
            var other => Problem(StatementEffect.Unknown, $"Statement[{index}]: Effect is {(other as ScalarNode)?.Value ?? "missing"}, not Allow or Deny"),
        };
        ValueList? List(string key) => m[key] is { } n ? ValueList.From(n) : null;
        var conditions = new List<ConditionClause>();
        var conditionUnknown = false;
        switch (m["Condition"])
        {
            case null: break;
            case MapNode cm:
                foreach (var op in cm.Entries)
                {
                    if (op.Value is not MapNode keys) { conditionUnknown = true; continue; }
                    foreach (var k in keys.Entries)
                        conditions.Add(new ConditionClause(op.Name, k.Name, ValueList.From(k.Value), k.KeySpan));
                }
                break;
            default: conditionUnknown = true; break;
        }
        var s = new PolicyStatement
        {
            Policy = this, Node = m, Index = index, Sid = m.GetString("Sid"), Effect = effect,
            Action = List("Action"), NotAction = List("NotAction"), Resource = List("Resource"), NotResource = List("NotResource"),
            Principal = m["Principal"] is { } p ? PrincipalSet.From(p) : null,
            NotPrincipal = m["NotPrincipal"] is { } np ? PrincipalSet.From(np) : null,
            Conditions = conditions, ConditionUnknown = conditionUnknown,
        };
        if (s.Action == null && s.NotAction == null) _problems.Add($"Statement[{index}] has neither Action nor NotAction");
        return s;
    }

    private StatementEffect Problem(StatementEffect e, string message) { _problems.Add(message); return e; }
}
