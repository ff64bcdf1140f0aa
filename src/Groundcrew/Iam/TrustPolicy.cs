using Groundcrew.Core;

namespace Groundcrew.Iam;

public enum PrincipalKind { Service, AWS, Federated, CanonicalUser, Any, Other, /** The Principal element is not known (a Terraform value known at apply time). */ Unknown }

/// <summary>One principal an Allow statement of a trust policy lets assume the role, with the actions and conditions.</summary>
public sealed record TrustGrant(
    PrincipalKind Kind, string Value, SourceSpan Span, IReadOnlyList<string> Actions,
    IReadOnlyList<ConditionClause> Conditions, PolicyStatement Statement, bool HasUnknown)
{
    public bool IsConditional => Conditions.Count > 0 || Statement.ConditionUnknown;
}

/// <summary>A `sub` value of an IRSA trust condition: system:serviceaccount:NAMESPACE:NAME, possibly with wildcards (StringLike).</summary>
public sealed record IrsaSubject(string Value, string Operator, SourceSpan Span)
{
    private static readonly string PrefixText = "system:serviceaccount:";
    public bool IsPattern => Operator.Contains("Like", StringComparison.OrdinalIgnoreCase);
    /// <summary>The namespace part, or null when the value is not system:serviceaccount:ns:name.</summary>
    public string? Namespace => Parts()?.Ns;
    public string? Name => Parts()?.Name;

    private (string Ns, string Name)? Parts()
    {
        if (!Value.StartsWith(PrefixText, StringComparison.Ordinal)) return null;
        var rest = Value[PrefixText.Length..];
        var colon = rest.IndexOf(':');
        return colon < 0 ? null : (rest[..colon], rest[(colon + 1)..]);
    }

    /// <summary>Whether a Kubernetes ServiceAccount namespace/name would pass this condition value.</summary>
    public bool Matches(string ns, string name)
    {
        var actual = PrefixText + ns + ":" + name;
        return IsPattern ? IamMatch.Glob(Value, actual, ignoreCase: false) : Value == actual;
    }
}

/// <summary>The web-identity (IRSA) trust of one statement for one OIDC provider.</summary>
public sealed record IrsaTrust(
    PolicyStatement Statement, string ProviderArn, IReadOnlyList<IrsaSubject> Subjects, IReadOnlyList<IrsaSubject> Audiences,
    bool HasUnknown)
{
    /// <summary>No sub condition: any service account of the cluster (any identity of the provider) can assume the role.</summary>
    public bool AnySubject => Subjects.Count == 0 && !HasUnknown;
    /// <summary>Yes when a subject matches, No when all are known and none matches, Unknown otherwise.</summary>
    public Applies Allows(string ns, string name) =>
        Subjects.Any(s => s.Matches(ns, name)) || AnySubject ? Applies.Yes : HasUnknown ? Applies.Unknown : Applies.No;
}

/// <summary>
/// Role trust policies: who can assume the role (sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:TagSession),
/// under which conditions. Conditions are reported, not evaluated (except by the caller's context).
/// </summary>
public static class TrustPolicy
{
    private static readonly string[] AssumeActions =
        ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"];

    public static IReadOnlyList<TrustGrant> WhoCanAssume(PolicyDocument trust)
    {
        var grants = new List<TrustGrant>();
        if (trust.IsUnknown) return grants;
        foreach (var s in trust.Statements)
        {
            if (s.Effect != StatementEffect.Allow) continue;
            var actions = AssumeActions.Where(a => s.Action?.Values.Any(v => IamMatch.Action(v.Value, a)) == true
                                                   || (s.NotAction != null && !s.NotAction.Values.Any(v => IamMatch.Action(v.Value, a)))).ToList();
            if (actions.Count == 0 && s.Action?.HasUnknown != true) continue;
            var unknown = s.Action?.HasUnknown == true || s.Principal?.HasUnknown == true || s.Principal == null;
            if (s.Principal == null) continue;
            if (s.Principal.IsWildcard)
            {
                grants.Add(new TrustGrant(PrincipalKind.Any, "*", s.Principal.Span, actions, s.Conditions, s, unknown));
                continue;
            }
            if (s.Principal.HasUnknown && s.Principal.ByKind.Count == 0)
                grants.Add(new TrustGrant(PrincipalKind.Unknown, "(not known)", s.Principal.Span, actions, s.Conditions, s, true));
            foreach (var (kind, ids) in s.Principal.ByKind)
                foreach (var id in ids.Values)
                    grants.Add(new TrustGrant(KindOf(kind), id.Value, id.Span, actions, s.Conditions, s, unknown || ids.HasUnknown));
        }
        return grants;
    }

    private static PrincipalKind KindOf(string kind) => kind switch
    {
        "Service" => PrincipalKind.Service,
        "AWS" => PrincipalKind.AWS,
        "Federated" => PrincipalKind.Federated,
        "CanonicalUser" => PrincipalKind.CanonicalUser,
        "*" => PrincipalKind.Any,
        _ => PrincipalKind.Other,
    };

    /// <summary>
    /// Can the AWS service (ecs-tasks.amazonaws.com, ec2.amazonaws.com, pods.eks.amazonaws.com) assume the role with
    /// sts:AssumeRole? Allowed / Denied / ImplicitDeny / Conditional (a Condition such as aws:SourceAccount applies) / Unknown.
    /// </summary>
    public static Decision AllowsService(PolicyDocument trust, string service, string action = "sts:AssumeRole") =>
        IamEvaluator.Decide([trust], action, null, null, (p, np) => PrincipalApplies(p, np, "Service", service));

    /// <summary>Can an AWS principal (an account id, account root ARN or role/user ARN) assume the role?</summary>
    public static Decision AllowsAwsPrincipal(PolicyDocument trust, string principalArnOrAccount, string action = "sts:AssumeRole") =>
        IamEvaluator.Decide([trust], action, null, null, (p, np) => PrincipalApplies(p, np, "AWS", principalArnOrAccount));

    private static Applies PrincipalApplies(PrincipalSet? principal, PrincipalSet? notPrincipal, string kind, string value)
    {
        if (principal != null)
        {
            if (principal.IsWildcard) return Applies.Yes;
            if (principal.ByKind.TryGetValue(kind, out var ids) && ids.Values.Any(v => IdMatches(kind, v.Value, value))) return Applies.Yes;
            if (principal.ByKind.TryGetValue("AWS", out var any) && any.Values.Any(v => v.Value == "*")) return Applies.Yes;
            return principal.HasUnknown ? Applies.Unknown : Applies.No;
        }
        if (notPrincipal != null)
        {
            if (notPrincipal.ByKind.TryGetValue(kind, out var ids) && ids.Values.Any(v => IdMatches(kind, v.Value, value))) return Applies.No;
            return notPrincipal.HasUnknown ? Applies.Unknown : Applies.Yes;
        }
        return Applies.No; // a trust statement without Principal grants nobody
    }

    /// <summary>
    /// Service principals compare exactly (case-insensitively); an AWS account id in the policy stands for the
    /// account root, which (like arn:aws:iam::ID:root) admits any principal of that account the account allows.
    /// </summary>
    private static bool IdMatches(string kind, string policyValue, string asked)
    {
        if (kind != "AWS") return string.Equals(policyValue.Trim(), asked.Trim(), StringComparison.OrdinalIgnoreCase);
        if (policyValue == "*" || policyValue == asked) return true;
        var account = AccountOf(policyValue);
        var root = policyValue.All(char.IsDigit) || policyValue.EndsWith(":root", StringComparison.Ordinal);
        return root && account != null && account == AccountOf(asked);
    }

    private static string? AccountOf(string v)
    {
        if (v.Length == 12 && v.All(char.IsDigit)) return v;
        var p = IamMatch.Split(v);
        return p.Count >= 5 && p[0] == "arn" ? p[4] : null;
    }

    /// <summary>
    /// The IRSA (EKS OIDC web identity) trust for a provider: each Allow statement whose Federated principal is the
    /// provider (its ARN, or an ARN ending in oidc-provider/HOST when given the host or issuer URL; null = any OIDC
    /// provider) and whose actions include sts:AssumeRoleWithWebIdentity, with the HOST:sub and HOST:aud values of
    /// its StringEquals / StringLike conditions.
    /// </summary>
    public static IReadOnlyList<IrsaTrust> IrsaSubjects(PolicyDocument trust, string? oidcProviderArnOrHost = null)
    {
        var result = new List<IrsaTrust>();
        if (trust.IsUnknown) return result;
        var wantedHost = oidcProviderArnOrHost == null ? null : HostOf(oidcProviderArnOrHost);
        foreach (var s in trust.Statements)
        {
            if (s.Effect != StatementEffect.Allow || s.Principal == null) continue;
            if (!(s.Action?.Values.Any(v => IamMatch.Action(v.Value, "sts:AssumeRoleWithWebIdentity")) == true || s.Action?.HasUnknown == true)) continue;
            if (!s.Principal.ByKind.TryGetValue("Federated", out var federated)) continue;
            // A provider only known at apply time (aws_iam_openid_connect_provider.x.arn, module.eks.oidc_provider_arn): its host is unknown.
            var providers = federated.Values.Select(v => v.Value).ToList();
            if (providers.Count == 0 && federated.HasUnknown && wantedHost == null) providers.Add(UnknownProvider);
            foreach (var provider in providers)
            {
                var hostUnknown = provider == UnknownProvider;
                var host = hostUnknown ? "" : HostOf(provider);
                if (!hostUnknown && !host.Contains("oidc", StringComparison.OrdinalIgnoreCase) && !provider.Contains(":oidc-provider/", StringComparison.Ordinal)) continue;
                if (wantedHost != null && !string.Equals(host, wantedHost, StringComparison.OrdinalIgnoreCase)) continue;
                var subjects = new List<IrsaSubject>();
                var audiences = new List<IrsaSubject>();
                var unknown = s.ConditionUnknown || (federated.HasUnknown && !hostUnknown) || s.Action?.HasUnknown == true;
                foreach (var c in s.Conditions)
                {
                    var op = c.Operator;
                    var isString = op.Equals("StringEquals", StringComparison.OrdinalIgnoreCase) || op.Equals("StringLike", StringComparison.OrdinalIgnoreCase);
                    var i = c.Key.LastIndexOf(':');
                    var keyHost = i > 0 ? c.Key[..i] : "";
                    var claim = i > 0 ? c.Key[(i + 1)..] : c.Key;
                    // A key whose host is only known at apply time ("${?}:sub", see IamPolicyDocument.UnknownHost) is read as this provider's.
                    var keyHostUnknown = keyHost.StartsWith("${", StringComparison.Ordinal);
                    if (!keyHostUnknown && !(hostUnknown ? keyHost.Contains("oidc", StringComparison.OrdinalIgnoreCase) : string.Equals(keyHost, host, StringComparison.OrdinalIgnoreCase))) continue;
                    if (claim is not ("sub" or "aud")) continue;
                    if (!isString) { unknown = true; continue; } // e.g. ForAnyValue:StringLike: reported as not understood
                    unknown |= c.Values.HasUnknown;
                    var list = claim == "sub" ? subjects : audiences;
                    list.AddRange(c.Values.Values.Select(v => new IrsaSubject(v.Value, op, v.Span)));
                }
                result.Add(new IrsaTrust(s, provider, subjects, audiences, unknown));
            }
        }
        return result;
    }

    /// <summary>The <see cref="IrsaTrust.ProviderArn"/> of a statement whose Federated provider is only known at apply time.</summary>
    public const string UnknownProvider = "(not known)";

    /// <summary>oidc.eks.REGION.amazonaws.com/id/XYZ from a provider ARN, an issuer URL or the host itself.</summary>
    public static string HostOf(string providerArnOrHost)
    {
        var v = providerArnOrHost.Trim();
        var marker = v.IndexOf(":oidc-provider/", StringComparison.Ordinal);
        if (marker >= 0) return v[(marker + ":oidc-provider/".Length)..];
        if (v.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return v["https://".Length..].TrimEnd('/');
        return v.TrimEnd('/');
    }
}
