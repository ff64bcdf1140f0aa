using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;

namespace Groundcrew.Rules.Irsa;

/// <summary>
/// A Kubernetes ServiceAccount whose <c>eks.amazonaws.com/role-arn</c> annotation names an IAM role: a manifest, or a
/// Terraform <c>kubernetes_service_account(_v1)</c> resource (then <see cref="Annotation"/> is the HCL expression, and
/// <see cref="BoundRole"/> the role a reference such as <c>aws_iam_role.x.arn</c> names, found by address rather than name).
/// </summary>
public sealed record AnnotatedServiceAccount(Resource Resource, Node Annotation, string RoleArn, string RoleName, string? Namespace, string Name, string Audience,
    IrsaRole? BoundRole = null)
{
    /// <summary>namespace/name, or the name with a note when the manifest does not set the namespace (kubectl -n decides).</summary>
    public string Display => Namespace != null ? $"{Namespace}/{Name}" : $"{Name} (no namespace in the manifest)";
}

/// <summary>
/// The web-identity (IRSA) part of a role's trust: the <c>sub</c> and <c>aud</c> values one statement (or one
/// terraform-aws-modules IRSA module call) accepts for an OIDC provider.
/// </summary>
public sealed record WebIdentityTrust(
    IReadOnlyList<IrsaSubject> Subjects, IReadOnlyList<IrsaSubject> Audiences, bool HasUnknown, SourceSpan Span, string Provider, SourceSpan? ProviderSpan)
{
    public bool AnySubject => Subjects.Count == 0 && !HasUnknown;

    /// <summary>Yes / No / Unknown for a ServiceAccount; a null namespace (not set in the manifest) compares the name only.</summary>
    public Applies Allows(string? ns, string name)
    {
        if (AnySubject) return Applies.Yes;
        foreach (var s in Subjects)
        {
            if (ns != null ? s.Matches(ns, name) : s.Name is { } n && (s.IsPattern ? IamMatch.Glob(n, name, ignoreCase: false) : n == name)) return Applies.Yes;
            if (ns == null && s.Name == null && s.IsPattern && IamMatch.Glob(s.Value, "system:serviceaccount:x:" + name, ignoreCase: false)) return Applies.Yes;
        }
        return HasUnknown ? Applies.Unknown : Applies.No;
    }

    public bool AcceptsAudience(string audience) =>
        Audiences.Count == 0 || HasUnknown || Audiences.Any(a => a.IsPattern ? IamMatch.Glob(a.Value, audience, ignoreCase: false) : a.Value == audience);
}

/// <summary>An IAM role as the IRSA rules see it: its name, where it is declared, and its web-identity trust.</summary>
public sealed record IrsaRole(
    string Name, SourceSpan Anchor, IReadOnlyList<WebIdentityTrust> WebIdentity,
    /** The trust policy is missing, unknown, or has a statement we cannot read: "trusts no OIDC provider" cannot be claimed. */
    bool TrustUnknown, bool TrustsPodIdentity, SourceSpan TrustSpan, string Source);

/// <summary>
/// What the IRSA rules share, computed once per model: annotated ServiceAccounts, EKS Pod Identity associations,
/// roles (Terraform aws_iam_role trust policies and terraform-aws-modules IRSA module calls), clusters and OIDC providers.
/// </summary>
public sealed class IrsaFacts
{
    public const string RoleAnnotation = "eks.amazonaws.com/role-arn";
    public const string AudienceAnnotation = "eks.amazonaws.com/audience";
    public const string DefaultAudience = "sts.amazonaws.com";

    private static readonly PerModel<IrsaFacts> Cache = new(m => new IrsaFacts(m));

    public IReadOnlyList<AnnotatedServiceAccount> ServiceAccounts { get; }
    public IReadOnlyList<IrsaRole> Roles { get; }
    private readonly List<(string? Ns, string? Name)> _podIdentity = new();
    private readonly HashSet<(string? Ns, string Name)> _serviceAccountNames = new();
    private readonly Dictionary<string, List<IrsaRole>> _rolesByName = new(StringComparer.Ordinal);

    public static IrsaFacts For(DeploymentModel model) => Cache.For(model);

    private IrsaFacts(DeploymentModel model)
    {
        var sas = new List<AnnotatedServiceAccount>();
        foreach (var r in model.OfKind("ServiceAccount"))
        {
            if (r.Family != ResourceFamily.Kubernetes) continue;
            var explicitNs = r.Metadata?["namespace"] is ScalarNode { IsNull: false, Value: { Length: > 0 } } ? r.Namespace : null;
            _serviceAccountNames.Add((explicitNs, r.Name));
            if (!r.Annotations.TryGetValue(RoleAnnotation, out var node) || node.IsNull || node.Value is not { Length: > 0 } arn) continue;
            if (RoleNameOf(arn) is not { } roleName) continue;
            var audience = r.Annotations.TryGetValue(AudienceAnnotation, out var aud) && aud.Value is { Length: > 0 } a ? a : DefaultAudience;
            sas.Add(new AnnotatedServiceAccount(r, node, arn, roleName, explicitNs, r.Name, audience));
        }
        sas.AddRange(TerraformServiceAccounts(model));
        ServiceAccounts = sas;

        foreach (var a in model.OfKind("aws_eks_pod_identity_association"))
            _podIdentity.Add((Literal(a.Body["namespace"]), Literal(a.Body["service_account"])));

        var roles = new List<IrsaRole>();
        roles.AddRange(TerraformRoles(model));
        roles.AddRange(ModuleRoles(model));
        Roles = roles;
        foreach (var role in roles)
        {
            if (!_rolesByName.TryGetValue(role.Name, out var list)) _rolesByName[role.Name] = list = new List<IrsaRole>();
            list.Add(role);
        }
    }

    /// <summary>The role name of an annotation value arn:aws:iam::ACCOUNT:role/path/name (a placeholder account is fine); null when templated or not a role ARN.</summary>
    public static string? RoleNameOf(string arn)
    {
        if (arn.Contains("${", StringComparison.Ordinal) || arn.Contains("$(", StringComparison.Ordinal) || arn.Contains("{{", StringComparison.Ordinal)) return null;
        var i = arn.IndexOf(":role/", StringComparison.Ordinal);
        if (i < 0 || !arn.StartsWith("arn:", StringComparison.Ordinal)) return null;
        var name = arn[(i + ":role/".Length)..].Trim();
        name = name[(name.LastIndexOf('/') + 1)..];
        return name.Length > 0 && !name.Contains('<') && !name.Contains('*') ? name : null;
    }

    /// <summary>The single role of that name; null when none is declared in the scanned code, or when several are (we cannot tell which).</summary>
    public IrsaRole? Role(string name) =>
        _rolesByName.TryGetValue(name, out var list) && list.Select(r => r.Anchor).Distinct().Count() == 1 ? list[0] : null;

    /// <summary>An EKS Pod Identity association gives the ServiceAccount its credentials: no IRSA annotation or trust is involved.</summary>
    public bool CoveredByPodIdentity(AnnotatedServiceAccount sa) =>
        _podIdentity.Any(p => (p.Name == null || p.Name == sa.Name) && (p.Ns == null || sa.Namespace == null || p.Ns == sa.Namespace));

    /// <summary>Whether a scanned manifest defines that ServiceAccount (a manifest without namespace matches any).</summary>
    public bool ServiceAccountExists(string ns, string name) =>
        _serviceAccountNames.Contains((ns, name)) || _serviceAccountNames.Contains((null, name));

    /// <summary>A Terraform data source (a lookup of something declared elsewhere), not a resource.</summary>
    public static bool IsData(Resource r) => r.Address is { } a && (a.StartsWith("data.", StringComparison.Ordinal) || a.Contains(".data.", StringComparison.Ordinal));

    public static string? Literal(Node? n) => n is ScalarNode { IsNull: false, Value: { Length: > 0 } v } ? v : null;

    // ---- ServiceAccounts declared in Terraform ----

    public static readonly string[] TerraformServiceAccountTypes = ["kubernetes_service_account", "kubernetes_service_account_v1"];

    /// <summary>
    /// <c>kubernetes_service_account(_v1)</c> resources of the Terraform kubernetes provider: metadata.name, metadata.namespace
    /// (the provider's default is "default"; a kubernetes_namespace reference is followed) and the role-arn annotation
    /// (a literal ARN, or a reference to an aws_iam_role of the same root). The output of a remote module (such as
    /// terraform-aws-modules' IRSA role module) carries no reference to follow: unknown. Also helm_release "set" values
    /// that name the chart's ServiceAccount and annotate it.
    /// A name, namespace or ARN computed at apply time leaves the ServiceAccount out: unknown stays unknown.
    /// </summary>
    private IEnumerable<AnnotatedServiceAccount> TerraformServiceAccounts(DeploymentModel model)
    {
        foreach (var r in model.OfKinds(TerraformServiceAccountTypes))
        {
            if (r.Family != ResourceFamily.Terraform || IsData(r)) continue;
            if (r.Body.GetSeq("metadata")?.Maps.FirstOrDefault() is not { } meta) continue;
            if (Literal(meta["name"]) is not { } name) continue;
            var ns = meta["namespace"] switch
            {
                null or ScalarNode { IsNull: true } => "default",
                ScalarNode s => s.Value,
                UnknownNode u => NamespaceOf(model, u),
                _ => null,
            };
            if (ns == null) continue;
            _serviceAccountNames.Add((ns, name));
            var annotations = meta.GetMap("annotations");
            if (annotations?[RoleAnnotation] is not { } node) continue;
            if (Annotated(model, r, node, ns, name, Literal(annotations[AudienceAnnotation])) is { } sa) yield return sa;
        }

        // helm_release "set" values: only when the release names its ServiceAccount (serviceAccount.name) and annotates it
        // (serviceAccount.annotations.eks\.amazonaws\.com/role-arn); a chart's default name is not guessed.
        foreach (var r in model.OfKind("helm_release"))
        {
            if (r.Family != ResourceFamily.Terraform || r.Body.GetSeq("set") is not { } sets) continue;
            var values = new Dictionary<string, Node>(StringComparer.Ordinal);
            foreach (var set in sets.Maps)
                if (Literal(set["name"]) is { } key && set["value"] is { } value) values[key.Replace("\\", "")] = value;
            if (values.GetValueOrDefault("serviceAccount.create") is ScalarNode { Value: "false" }) continue;
            if (values.GetValueOrDefault("serviceAccount.annotations." + RoleAnnotation) is not { } node) continue;
            if (Literal(values.GetValueOrDefault("serviceAccount.name")) is not { } name) continue;
            var ns = r.Body["namespace"] switch { null => "default", ScalarNode { IsNull: true } => "default", var n => Literal(n) };
            if (ns == null) continue;
            _serviceAccountNames.Add((ns, name));
            if (Annotated(model, r, node, ns, name, Literal(values.GetValueOrDefault("serviceAccount.annotations." + AudienceAnnotation))) is { } sa) yield return sa;
        }
    }

    private static AnnotatedServiceAccount? Annotated(DeploymentModel model, Resource r, Node node, string ns, string name, string? audience) => node switch
    {
        ScalarNode { IsNull: false, Value: { Length: > 0 } arn } when RoleNameOf(arn) is { } roleName =>
            new AnnotatedServiceAccount(r, node, arn, roleName, ns, name, audience ?? DefaultAudience),
        UnknownNode u when RoleOfReference(model, u) is { } bound =>
            new AnnotatedServiceAccount(r, node, u.ToString(), bound.Name, ns, name, audience ?? DefaultAudience, bound.Role),
        _ => null,
    };

    /// <summary>The namespace a reference to a kubernetes_namespace(_v1) stands for (its metadata[0].name or id); null when not literal.</summary>
    private static string? NamespaceOf(DeploymentModel model, UnknownNode u)
    {
        if (!string.IsNullOrEmpty(u.RefPrefix) || !string.IsNullOrEmpty(u.RefSuffix)) return null;
        if (model.ResolveRef(u) is not { } hit || hit.Resource.Kind is not ("kubernetes_namespace" or "kubernetes_namespace_v1")) return null;
        if (hit.Attribute is not ("metadata[0].name" or "metadata.0.name" or "id")) return null;
        return Literal(hit.Resource.Body.GetSeq("metadata")?.Maps.FirstOrDefault()?["name"]);
    }

    /// <summary>
    /// The role an annotation value computed by Terraform names: <c>aws_iam_role.x.arn</c> (bound to that role by address),
    /// <c>"arn:aws:iam::${account}:role/name"</c> with only the account computed (by name). Null otherwise.
    /// </summary>
    private static (string Name, IrsaRole? Role)? RoleOfReference(DeploymentModel model, UnknownNode u)
    {
        if (u.Ref == null) return null;
        if (string.IsNullOrEmpty(u.RefPrefix) && string.IsNullOrEmpty(u.RefSuffix))
        {
            if (model.ResolveRef(u) is not { } hit || IsData(hit.Resource)) return null;
            if (hit.Resource.Kind == "aws_iam_role" && hit.Resource.Family == ResourceFamily.Terraform && hit.Attribute == "arn")
            {
                var role = model.IamRoles.All.FirstOrDefault(x => ReferenceEquals(x.Resource, hit.Resource));
                if (role == null) return null;
                var name = role.Name ?? hit.Resource.Address ?? hit.Resource.Name;
                return (name, FromTrust(name, role.Anchor, role.Trust, role.Trust?.Span ?? role.Anchor, hit.Resource.Address ?? hit.Resource.Name));
            }
            return null;
        }
        // "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/name": only the account is computed.
        if (u.RefPrefix is { } prefix && prefix.StartsWith("arn:", StringComparison.Ordinal) && prefix.EndsWith("iam::", StringComparison.Ordinal)
            && u.RefSuffix is { } suffix && suffix.StartsWith(":role/", StringComparison.Ordinal) && RoleNameOf("arn:aws:iam::000000000000" + suffix) is { } n)
            return (n, null);
        return null;
    }

    // ---- roles ----

    /// <summary>Roles of the IAM role index (Terraform aws_iam_role, Pulumi aws:iam/role:Role) with a known name.</summary>
    private static IEnumerable<IrsaRole> TerraformRoles(DeploymentModel model)
    {
        foreach (var r in model.IamRoles.All)
        {
            if (r.Name is not { Length: > 0 } name || IsData(r.Resource)) continue;
            yield return FromTrust(name, r.Anchor, r.Trust, r.Trust?.Span ?? r.Anchor, r.Resource.Address ?? r.Resource.Name);
        }
    }

    public static IrsaRole FromTrust(string name, SourceSpan anchor, PolicyDocument? trust, SourceSpan trustSpan, string source)
    {
        if (trust == null || trust.IsUnknown) return new IrsaRole(name, anchor, [], true, false, trustSpan, source);
        var web = TrustPolicy.IrsaSubjects(trust).Select(t =>
        {
            var providerSpan = t.Statement.Principal?.ByKind.GetValueOrDefault("Federated")?.Values.FirstOrDefault(v => v.Value == t.ProviderArn)?.Span;
            return new WebIdentityTrust(t.Subjects, t.Audiences, t.HasUnknown, t.Statement.Span, t.ProviderArn, providerSpan);
        }).ToList();
        var unreadable = trust.Statements.Any(s => s.Effect == StatementEffect.Unknown || s.Node is UnknownNode
                                                   || s.Action?.HasUnknown == true || (s.Principal?.HasUnknown == true && !s.Principal.ByKind.ContainsKey("Federated")));
        var podIdentity = TrustPolicy.AllowsService(trust, "pods.eks.amazonaws.com").Outcome is not (Outcome.ImplicitDeny or Outcome.Denied);
        return new IrsaRole(name, anchor, web, unreadable, podIdentity, trust.Span, source);
    }

    /// <summary>
    /// terraform-aws-modules/iam's IRSA role module (iam-role-for-service-accounts-eks, v6 iam-role-for-service-accounts):
    /// the role is named by role_name (v5) or name (v6) and trusts oidc_providers.*.namespace_service_accounts ("ns:sa")
    /// with assume_role_condition_test (StringEquals by default) and aud sts.amazonaws.com.
    /// </summary>
    private static IEnumerable<IrsaRole> ModuleRoles(DeploymentModel model)
    {
        foreach (var m in model.OfKind("module"))
        {
            var source = m.Body.GetString("source") ?? "";
            if (!source.Contains("iam-role-for-service-accounts", StringComparison.Ordinal)) continue;
            var nameNode = m.Body["role_name"] ?? m.Body["name"];
            if (Literal(nameNode) is not { } name) continue;
            if (m.Body["use_name_prefix"] is ScalarNode { Value: "true" } || m.Body["role_name_prefix"] != null) continue;
            var providers = m.Body["oidc_providers"];
            if (providers is not MapNode map)
            {
                yield return new IrsaRole(name, nameNode!.Span, [], true, false, (providers ?? (Node)m.Body).Span, m.Name);
                continue;
            }
            var test = m.Body["assume_role_condition_test"] is ScalarNode { Value: { Length: > 0 } t } ? t : "StringEquals";
            var trusts = new List<WebIdentityTrust>();
            var unknown = false;
            foreach (var e in map.Entries)
            {
                if (e.Value is not MapNode p) { unknown = true; continue; }
                var list = p["namespace_service_accounts"];
                var subjects = new List<IrsaSubject>();
                var hasUnknown = list is not SeqNode;
                if (list is SeqNode seq)
                    foreach (var item in seq.Items)
                    {
                        if (item is ScalarNode { Value: { } v }) subjects.Add(new IrsaSubject("system:serviceaccount:" + v, test, item.Span));
                        else hasUnknown = true;
                    }
                var provider = Literal(p["provider_arn"]) ?? TrustPolicy.UnknownProvider;
                trusts.Add(new WebIdentityTrust(subjects, [], hasUnknown, p.Span, provider, p["provider_arn"]?.Span));
            }
            yield return new IrsaRole(name, nameNode!.Span, trusts, unknown || trusts.Count == 0, false, map.Span, m.Name);
        }
    }
}
