using Groundcrew.Core;

namespace Groundcrew.Iam;

public enum Outcome
{
    /// <summary>An Allow applies without conditions and no Deny can apply.</summary>
    Allowed,
    /// <summary>An explicit Deny applies without conditions (it wins over every Allow).</summary>
    Denied,
    /// <summary>No statement allows the request: denied by default.</summary>
    ImplicitDeny,
    /// <summary>The answer depends on conditions we cannot evaluate (an Allow with a Condition, or a conditional Deny over an Allow).</summary>
    Conditional,
    /// <summary>A piece we do not know (an unknown Terraform value, an AWS managed policy we do not carry) could decide.</summary>
    Unknown,
}

public enum Applies { No, Yes, Conditional, Unknown }

/// <summary>How one statement relates to the request.</summary>
public sealed record StatementMatch(PolicyStatement? Statement, PolicyDocument Policy, Applies Applies, StatementEffect Effect, string Why)
{
    public SourceSpan Span => Statement?.Span ?? Policy.Span;
    public string Describe() => Statement?.Describe() ?? $"{Policy.Name ?? "a policy"} ({Why})";
}

/// <summary>The answer to "can the principal do this action on this resource?" and the statements that decided it.</summary>
public sealed record Decision(Outcome Outcome, IReadOnlyList<StatementMatch> DecidingStatements, string Explanation)
{
    public bool IsAllowed => Outcome == Outcome.Allowed;
    public bool IsDenied => Outcome is Outcome.Denied or Outcome.ImplicitDeny;
    public override string ToString() => $"{Outcome}: {Explanation}";
}

/// <summary>
/// Evaluates identity-based policies of one principal in one account, following the IAM policy evaluation logic
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit Deny
/// wins; otherwise an Allow grants; otherwise the request is implicitly denied. Conditions are evaluated only for
/// the simple string/ARN/Bool operators when the key is given in the context; otherwise a statement with a
/// Condition is "conditional". Unknown pieces make the answer Unknown unless a known Deny (or a known Allow with no
/// Deny that could apply) settles it. Not evaluated: SCPs, permission boundaries, session policies, resource-based
/// policies (use <see cref="TrustPolicy"/> for role trust).
/// </summary>
public static class IamEvaluator
{
    public static Decision Evaluate(IEnumerable<PolicyDocument> identityPolicies, string action, string resourceArn,
        IReadOnlyDictionary<string, string>? context = null) =>
        Decide(identityPolicies, action, resourceArn, context, principal: null);

    /// <summary>
    /// Like <see cref="Evaluate"/> for a Secrets Manager secret known only by its partial ARN (…:secret:NAME
    /// without the random suffix, as a task definition or Terraform may name it): a resource that spells out one
    /// suffix can only give Unknown, since we do not know the secret's real suffix.
    /// </summary>
    public static Decision EvaluateSecretWithoutSuffix(IEnumerable<PolicyDocument> identityPolicies, string action, string partialSecretArn,
        IReadOnlyDictionary<string, string>? context = null) =>
        Decide(identityPolicies, action, partialSecretArn, context, principal: null,
            resourceMatch: pattern => IamMatch.ResourceForSecretWithoutSuffix(pattern, partialSecretArn));

    /// <summary>
    /// Like <see cref="Evaluate"/> for a resource known only in part (<see cref="ResourceTarget"/>: a secret by
    /// name, a parameter without its Region, a key declared in Terraform). <paramref name="references"/> compares a
    /// Terraform reference written as a policy Resource (<c>aws_secretsmanager_secret.db.arn</c>) with the target:
    /// Yes for the same declared resource, No for another one, Unknown when it cannot tell. Without it, such a
    /// reference is unknown (it could be anything).
    /// </summary>
    public static Decision Evaluate(IEnumerable<PolicyDocument> identityPolicies, string action, ResourceTarget target,
        Func<Groundcrew.Load.Terraform.UnknownNode, Applies>? references = null, IReadOnlyDictionary<string, string>? context = null) =>
        target.IsComplete
            ? Decide(identityPolicies, action, target.Arn, context, principal: null, resourceMatch: null, references)
            : Decide(identityPolicies, action, target.Display, context, principal: null, resourceMatch: target.Match, references);

    /// <summary>
    /// The general form: <paramref name="resourceArn"/> null skips the resource check (trust policies have no
    /// Resource); <paramref name="principal"/> non-null requires each statement's Principal to match it.
    /// </summary>
    internal static Decision Decide(IEnumerable<PolicyDocument> policies, string action, string? resourceArn,
        IReadOnlyDictionary<string, string>? context, Func<PrincipalSet?, PrincipalSet?, Applies>? principal,
        Func<string, Applies>? resourceMatch = null, Func<Groundcrew.Load.Terraform.UnknownNode, Applies>? references = null)
    {
        policies = policies.Where(p => p != null).ToList(); // enumerated more than once below
        var matches = new List<StatementMatch>();
        foreach (var policy in policies)
        {
            if (policy == null) continue;
            if (policy.IsUnknown)
            {
                matches.Add(new StatementMatch(null, policy, Applies.Unknown, StatementEffect.Unknown, policy.UnknownReason ?? "content unknown"));
                continue;
            }
            foreach (var s in policy.Statements)
            {
                var m = Match(s, action, resourceArn, context, principal, resourceMatch, references);
                if (m.Applies != Applies.No) matches.Add(m);
            }
        }

        var denyYes = matches.Where(m => m.Effect == StatementEffect.Deny && m.Applies == Applies.Yes).ToList();
        if (denyYes.Count > 0)
            return new Decision(Outcome.Denied, denyYes, $"explicitly denied by {denyYes[0].Describe()}");

        var allowYes = matches.Where(m => m.Effect == StatementEffect.Allow && m.Applies == Applies.Yes).ToList();
        var allowCond = matches.Where(m => m.Effect == StatementEffect.Allow && m.Applies == Applies.Conditional).ToList();
        var allowUnknown = matches.Where(m => (m.Effect == StatementEffect.Allow && m.Applies == Applies.Unknown)
                                              || (m.Effect == StatementEffect.Unknown && m.Applies != Applies.No)).ToList();
        var denyCond = matches.Where(m => m.Effect == StatementEffect.Deny && m.Applies == Applies.Conditional).ToList();
        var denyUnknown = matches.Where(m => (m.Effect == StatementEffect.Deny && m.Applies == Applies.Unknown)
                                             || (m.Effect == StatementEffect.Unknown && m.Applies != Applies.No)).ToList();

        if (allowYes.Count > 0 || allowCond.Count > 0)
        {
            var allows = allowYes.Count > 0 ? allowYes : allowCond;
            var allowText = allowYes.Count > 0 ? $"allowed by {allows[0].Describe()}" : $"allowed only under the conditions of {allows[0].Describe()}";
            if (denyUnknown.Count > 0)
                return new Decision(Outcome.Unknown, [.. allows, .. denyUnknown], $"{allowText}, but {denyUnknown[0].Describe()} is not known and could deny ({denyUnknown[0].Why})");
            if (denyCond.Count > 0)
                return new Decision(Outcome.Conditional, [.. allows, .. denyCond], $"{allowText}, but {denyCond[0].Describe()} denies under conditions ({denyCond[0].Why})");
            return allowYes.Count > 0
                ? new Decision(Outcome.Allowed, allowYes, allowText)
                : new Decision(Outcome.Conditional, allowCond, $"{allowText} ({allowCond[0].Why})");
        }
        if (allowUnknown.Count > 0)
            return new Decision(Outcome.Unknown, allowUnknown, $"no known statement allows {action}; {allowUnknown[0].Describe()} is not known and could ({allowUnknown[0].Why})");

        var names = string.Join(", ", policies.Where(p => p != null).Select(p => p.Name).Where(n => n != null).Distinct());
        var near = resourceMatch == null ? NearMiss(policies, action, resourceArn) : null;
        return new Decision(Outcome.ImplicitDeny, near != null ? [near] : [],
            $"no statement allows {action}" + (resourceArn != null ? $" on {resourceArn}" : "") + (names.Length > 0 ? $" (policies: {names})" : "")
            + (near != null ? $"; {near.Why}" : ""));
    }

    /// <summary>The classic near miss worth explaining: a statement allowing the action on the secret without its 6-character suffix.</summary>
    private static StatementMatch? NearMiss(IEnumerable<PolicyDocument> policies, string action, string? resourceArn)
    {
        if (resourceArn == null || IamMatch.ServiceOf(resourceArn) != "secretsmanager") return null;
        foreach (var p in policies)
        {
            if (p == null || p.IsUnknown) continue;
            foreach (var s in p.Statements)
            {
                if (s.Effect != StatementEffect.Allow || s.Action == null || !s.Action.Values.Any(a => IamMatch.Action(a.Value, action))) continue;
                var r = s.Resource?.Values.FirstOrDefault(v => IamMatch.IsSecretWithoutSuffix(v.Value, resourceArn));
                if (r != null)
                    return new StatementMatch(s, p, Applies.No, s.Effect,
                        $"{s.Describe()} names the secret as {r.Value} without the 6-character suffix Secrets Manager adds ({resourceArn}); write {r.Value}-* to match it");
            }
        }
        return null;
    }

    internal static StatementMatch Match(PolicyStatement s, string action, string? resourceArn,
        IReadOnlyDictionary<string, string>? context, Func<PrincipalSet?, PrincipalSet?, Applies>? principal,
        Func<string, Applies>? resourceMatch = null, Func<Groundcrew.Load.Terraform.UnknownNode, Applies>? references = null)
    {
        if (s.Node is Groundcrew.Load.Terraform.UnknownNode u)
            return new StatementMatch(s, s.Policy, Applies.Unknown, StatementEffect.Unknown, $"the statement is not known ({u.Reason})");
        var parts = new List<(Applies A, string Why)>();
        parts.Add(ListApplies(s.Action, s.NotAction, Templated(v => IamMatch.Action(v, action)), "action"));
        if (resourceArn != null)
            parts.Add(s.Resource == null && s.NotResource == null
                ? (Applies.No, "no Resource")
                : ListApplies(s.Resource, s.NotResource, resourceMatch ?? Templated(v => IamMatch.Resource(v, resourceArn)), "resource",
                    references == null ? null : key => UnknownItems((s.Node as MapNode)?[key], references)));
        if (principal != null) parts.Add((principal(s.Principal, s.NotPrincipal), "principal"));
        if (s.HasConditions) parts.Add(Conditions(s, context));
        if (s.Effect == StatementEffect.Unknown) parts.Add((Applies.Unknown, "the effect is not known"));

        var applies = Combine(parts.Select(p => p.A));
        var why = applies switch
        {
            Applies.Yes => "matches",
            _ => string.Join("; ", parts.Where(p => p.A == applies).Select(p => p.Why)),
        };
        return new StatementMatch(s, s.Policy, applies, s.Effect, why);
    }

    /// <summary>
    /// A value holding ${...} (an IAM policy variable such as ${aws:username}, or a template placeholder left in
    /// a JSON file) is only known at request or render time: when it could match (with each ${...} read as *)
    /// the answer is Unknown, never Yes; when even that cannot match, No.
    /// </summary>
    private static Func<string, Applies> Templated(Func<string, bool> match) => v =>
    {
        if (!v.Contains("${", StringComparison.Ordinal)) return match(v) ? Applies.Yes : Applies.No;
        return match(Variables.Replace(v, "*")) ? Applies.Unknown : Applies.No;
    };

    private static readonly System.Text.RegularExpressions.Regex Variables = new(@"\$\{[^}]*\}", System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>No beats everything; then Unknown; then Conditional; Yes only when every part is Yes.</summary>
    internal static Applies Combine(IEnumerable<Applies> parts)
    {
        var result = Applies.Yes;
        foreach (var p in parts)
        {
            if (p == Applies.No) return Applies.No;
            if (p == Applies.Unknown) result = Applies.Unknown;
            else if (p == Applies.Conditional && result == Applies.Yes) result = Applies.Conditional;
        }
        return result;
    }

    /// <summary>
    /// Whether a Resource/NotResource list applies. <paramref name="unknownItems"/> (given the element name) judges
    /// the list's unknown items, e.g. Terraform references compared with the resource asked about; without it an
    /// unknown item makes a list with no known match Unknown.
    /// </summary>
    private static (Applies, string) ListApplies(ValueList? list, ValueList? notList, Func<string, Applies> match, string what,
        Func<string, Applies>? unknownItems = null)
    {
        Applies Unknowns(ValueList l, string key) => !l.HasUnknown ? Applies.No : unknownItems?.Invoke(key) ?? Applies.Unknown;
        if (list != null)
        {
            var results = list.Values.Select(v => (v, r: match(v.Value))).ToList();
            if (results.Any(x => x.r == Applies.Yes)) return (Applies.Yes, $"{what} matches");
            var unknown = Unknowns(list, Cap(what));
            if (unknown == Applies.Yes) return (Applies.Yes, $"{what} matches (a reference to the same resource)");
            if (results.FirstOrDefault(x => x.r == Applies.Unknown).v is { } maybe) return (Applies.Unknown, $"{what} may match {maybe.Value}");
            return unknown == Applies.Unknown ? (Applies.Unknown, $"the {what} list is not fully known ({list.UnknownReason})") : (Applies.No, $"{what} not listed");
        }
        if (notList != null)
        {
            var results = notList.Values.Select(v => (v, r: match(v.Value))).ToList();
            if (results.Any(x => x.r == Applies.Yes)) return (Applies.No, $"{what} excluded by Not{Cap(what)}");
            var unknown = Unknowns(notList, "Not" + Cap(what));
            if (unknown == Applies.Yes) return (Applies.No, $"{what} excluded by Not{Cap(what)} (a reference to the same resource)");
            if (results.FirstOrDefault(x => x.r == Applies.Unknown).v is { } maybe) return (Applies.Unknown, $"{what} may be excluded by Not{Cap(what)} {maybe.Value}");
            return unknown == Applies.Unknown ? (Applies.Unknown, $"the Not{Cap(what)} list is not fully known ({notList.UnknownReason})") : (Applies.Yes, $"{what} not excluded by Not{Cap(what)}");
        }
        return (Applies.No, $"no {Cap(what)}");
    }

    /// <summary>The unknown items of a list element judged one by one: a reference by <paramref name="references"/>, anything else Unknown.</summary>
    private static Applies UnknownItems(Node? element, Func<Groundcrew.Load.Terraform.UnknownNode, Applies> references)
    {
        if (element == null) return Applies.Unknown;
        var result = Applies.No;
        foreach (var item in element is SeqNode seq ? seq.Items : [element])
        {
            var a = item switch
            {
                Groundcrew.Load.Terraform.UnknownNode { Ref: not null } u => references(u),
                ScalarNode => Applies.No, // known: judged by the caller
                _ => Applies.Unknown,
            };
            if (a == Applies.Yes) return Applies.Yes;
            if (a == Applies.Unknown) result = Applies.Unknown;
        }
        return result;
    }

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static readonly HashSet<string> Evaluable = new(StringComparer.OrdinalIgnoreCase)
    {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Bool",
    };

    /// <summary>
    /// A Condition block: evaluated only for single-valued string/ARN/Bool operators whose key is in the context
    /// (no IfExists, no ForAnyValue/ForAllValues); anything else leaves the statement conditional.
    /// </summary>
    private static (Applies, string) Conditions(PolicyStatement s, IReadOnlyDictionary<string, string>? context)
    {
        var open = new List<string>();
        if (s.ConditionUnknown) open.Add("the Condition block is not readable");
        foreach (var c in s.Conditions)
        {
            var key = context?.FirstOrDefault(kv => string.Equals(kv.Key, c.Key, StringComparison.OrdinalIgnoreCase));
            if (key?.Key == null || !Evaluable.Contains(c.Operator) || c.Values.HasUnknown
                || c.Values.Values.Any(v => v.Value.Contains("${", StringComparison.Ordinal)))
            {
                open.Add($"{c.Operator} {c.Key} {string.Join(",", c.Values.Values.Select(v => v.Value))}");
                continue;
            }
            if (!ClauseHolds(c, key.Value.Value)) return (Applies.No, $"condition {c.Operator} {c.Key} is false");
        }
        return open.Count == 0 ? (Applies.Yes, "conditions hold") : (Applies.Conditional, "condition " + string.Join(" and ", open));
    }

    private static bool ClauseHolds(ConditionClause c, string actual)
    {
        var op = c.Operator;
        var values = c.Values.Values.Select(v => v.Value).ToList();
        bool Any(Func<string, bool> f) => values.Any(f);
        return op.ToLowerInvariant() switch
        {
            "stringequals" or "arnequals" => Any(v => v == actual),
            "stringnotequals" or "arnnotequals" => !Any(v => v == actual),
            "stringequalsignorecase" => Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            "stringnotequalsignorecase" => !Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            "stringlike" => Any(v => IamMatch.Glob(v, actual, ignoreCase: false)),
            "stringnotlike" => !Any(v => IamMatch.Glob(v, actual, ignoreCase: false)),
            "arnlike" => Any(v => IamMatch.Resource(v, actual)),
            "arnnotlike" => !Any(v => IamMatch.Resource(v, actual)),
            "bool" => Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }
}
