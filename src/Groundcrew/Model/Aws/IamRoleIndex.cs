using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;

namespace Groundcrew.Model.Aws;

/// <summary>A policy that applies to a role, with where it is attached (the line to point at in explanations).</summary>
public sealed record AttachedPolicy(PolicyDocument Document, SourceSpan AttachedAt, string Via);

/// <summary>An IAM role declared in the scanned code, with its trust policy and every identity policy attached to it there.</summary>
public sealed class IamRole
{
    public required Resource Resource { get; init; }
    /// <summary>The role name when it is known (not a name_prefix or an apply-time value).</summary>
    public string? Name { get; init; }
    public required SourceSpan Anchor { get; init; }
    /// <summary>The assume role (trust) policy; null when the role has none in the code.</summary>
    public PolicyDocument? Trust { get; init; }
    public List<AttachedPolicy> Policies { get; } = new();
    public IEnumerable<PolicyDocument> IdentityPolicies => Policies.Select(p => p.Document);

    /// <summary>"role ecsTaskExecutionRole (aws_iam_role.exec)" for messages.</summary>
    public string Describe() => Name != null && Resource.Address != null ? $"role {Name} ({Resource.Address})"
        : Name != null ? $"role {Name}" : $"role {Resource.Address ?? Resource.Name}";
}

/// <summary>
/// The IAM roles declared in the scanned Terraform, CloudFormation and Pulumi code, each with the policies attached to it there:
/// inline policies, <c>aws_iam_role_policy</c>, <c>aws_iam_role_policy_attachment</c> / <c>aws_iam_policy_attachment</c>
/// (customer managed policies declared in the code, AWS managed policies from <see cref="ManagedPolicies"/>), and
/// <c>managed_policy_arns</c>. Built once per model. A policy whose content we do not know is attached as an unknown
/// document, so the evaluator answers Unknown rather than "denied".
/// </summary>
public sealed class IamRoleIndex
{
    /// <summary>By role name; null when several roles in the code have that name (one per environment or account): ambiguous.</summary>
    private readonly Dictionary<string, IamRole?> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Resource, IamRole> _byResource = new(ReferenceEqualityComparer.Instance);
    private readonly List<IamRole> _all = new();
    private readonly DeploymentModel _model;

    public IReadOnlyList<IamRole> All => _all;
    /// <summary>
    /// Some attachment targets a role we cannot identify (its name is a variable, a module output...): it may
    /// attach to any role, so a "the role cannot" answer is only certain when this is false.
    /// </summary>
    public bool HasUnresolvedAttachments => _unresolvedScopes.Count > 0;

    /// <summary>Scopes (Terraform root module, template, stack file) holding an attachment to a role we cannot identify.</summary>
    private readonly HashSet<string> _unresolvedScopes = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether an attachment we cannot tie to a role sits in the same Terraform root module, CloudFormation template
    /// or Pulumi stack as <paramref name="role"/>: it may be the one that grants what the role seems to lack. (An
    /// attachment in another root naming the role by a literal name is matched by name; one naming it through a
    /// variable is not seen: an accepted blind spot.)
    /// </summary>
    public bool MayHaveUnseenAttachments(IamRole role) => _unresolvedScopes.Contains(ScopeOf(role.Resource));

    private static string ScopeOf(Resource r) => r.Scope ?? r.File;

    private void Unresolved(Resource from) => _unresolvedScopes.Add(ScopeOf(from));

    private IamRoleIndex(DeploymentModel model) => _model = model;

    /// <summary>A role by a reference to it: a literal role ARN or name, or a Terraform reference to aws_iam_role.X (.arn, .name, .id).</summary>
    public IamRole? Find(Node? roleRef) => roleRef switch
    {
        ScalarNode { Value: { } v } when v.StartsWith("arn:", StringComparison.Ordinal) => FindByArn(v),
        ScalarNode { Value: { } v } => FindByName(v),
        UnknownNode { Ref: not null, RefPrefix: null or "", RefSuffix: null or "" } u => FindByRef(u),
        _ => null,
    };

    /// <summary>The role of arn:aws:iam::ACCOUNT:role/PATH/NAME, by name (the account is not checked: the code rarely knows it).</summary>
    public IamRole? FindByArn(string arn)
    {
        var parts = IamMatch.Split(arn.Trim());
        if (parts.Count != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[5].StartsWith("role/", StringComparison.Ordinal)) return null;
        var name = parts[5][(parts[5].LastIndexOf('/') + 1)..];
        return FindByName(name);
    }

    /// <summary>The role with that name; null when none or several have it (a name alone cannot tell environments apart).</summary>
    public IamRole? FindByName(string name) => _byName.GetValueOrDefault(name);

    private IamRole? FindByRef(UnknownNode reference) =>
        _model.ResolveRef(reference) is { } hit ? _byResource.GetValueOrDefault(hit.Resource) : null;

    public static IamRoleIndex Build(DeploymentModel model)
    {
        var index = new IamRoleIndex(model);
        // Every role first, then the attachments: an attachment in one format may name a role from another.
        index.AddTerraformRoles();
        index.AddCloudFormationRoles();
        index.AddPulumiRoles();
        index.AttachTerraformPolicies();
        index.AttachCloudFormationPolicies();
        index.AttachPulumiPolicies();
        return index;
    }

    private void Register(IamRole role)
    {
        _all.Add(role);
        if (role.Name != null) _byName[role.Name] = _byName.ContainsKey(role.Name) ? null : role;
        _byResource.TryAdd(role.Resource, role);
    }

    // --- Terraform ---

    private void AddTerraformRoles()
    {
        foreach (var r in _model.OfKind("aws_iam_role"))
        {
            // data "aws_iam_role" looks up a role managed elsewhere: its policies are not in the code, so it is not indexed.
            if (r.Family != ResourceFamily.Terraform || IsDataSource(r)) continue;
            var name = r.Body.GetString("name");
            var role = new IamRole
            {
                Resource = r, Name = name, Anchor = (r.Body["name"] ?? (Node)r.Body).Span,
                Trust = r.Body["assume_role_policy"] is { } trust ? PolicyDocument.Parse(trust, $"trust policy of {r.Address}") : null,
            };
            foreach (var inline in r.Body.GetSeq("inline_policy")?.Maps ?? [])
                if (inline["policy"] is { } p)
                    role.Policies.Add(new AttachedPolicy(PolicyDocument.Parse(p, $"inline policy {inline.GetString("name") ?? ""} of {r.Address}".Replace("  ", " ")), p.Span, "inline_policy"));
            AttachManagedPolicyArns(role, r.Body["managed_policy_arns"], "managed_policy_arns");
            Register(role);
        }
    }

    private void AttachTerraformPolicies()
    {
        foreach (var rp in _model.OfKind("aws_iam_role_policy"))
        {
            if (rp.Family != ResourceFamily.Terraform || rp.Body["policy"] is not { } policy) continue;
            if (RoleOf(rp.Body["role"], rp) is not { } role) continue;
            // The policy's own line: `role = aws_iam_role.x.name` is a known value whose span is the role's name line, not this block.
            role.Policies.Add(new AttachedPolicy(PolicyDocument.Parse(policy, rp.Address), policy.Span, rp.Address ?? rp.Name));
        }

        foreach (var at in _model.OfKind("aws_iam_role_policy_attachment"))
        {
            if (at.Family != ResourceFamily.Terraform) continue;
            if (RoleOf(at.Body["role"], at) is not { } role) continue;
            var attached = PolicyByArn(at.Body["policy_arn"], at.Address ?? at.Name);
            role.Policies.Add(attached with { AttachedAt = (at.Body["policy_arn"] ?? at.Body["role"] ?? (Node)at.Body).Span });
        }

        foreach (var at in _model.OfKind("aws_iam_policy_attachment"))
        {
            if (at.Family != ResourceFamily.Terraform) continue;
            switch (at.Body["roles"])
            {
                case SeqNode roles:
                    foreach (var item in roles.Items)
                        if (RoleOf(item, at) is { } role)
                            role.Policies.Add(PolicyByArn(at.Body["policy_arn"], at.Address ?? at.Name) with { AttachedAt = item.Span });
                    break;
                case UnknownNode:
                    Unresolved(at);
                    break;
            }
        }
    }

    private static bool IsDataSource(Resource r) =>
        r.Address is { } a && (a.StartsWith("data.", StringComparison.Ordinal) || a.Contains(".data.", StringComparison.Ordinal));

    /// <summary>The role a <c>role = ...</c> argument names; records an unresolved attachment when it cannot be known.</summary>
    private IamRole? RoleOf(Node? node, Resource from)
    {
        switch (node)
        {
            case ScalarNode { Value: { } v }:
            {
                var found = v.StartsWith("arn:", StringComparison.Ordinal) ? FindByArn(v) : FindByName(v);
                var wanted = v.StartsWith("arn:", StringComparison.Ordinal) ? v[(v.LastIndexOf('/') + 1)..] : v;
                // A name several roots declare (one role per environment): the role of the attachment's own root.
                if (found == null && _all.Where(r => r.Name == wanted && r.Resource.Scope != null && r.Resource.Scope == from.Scope).ToList() is [var local])
                    return local;
                // An unmatched name may be the physical name of a role whose name we do not know; an ambiguous one may
                // attach to any of the roles of that name.
                if (found == null)
                    foreach (var maybe in _all.Where(r => r.Name == null || r.Name == wanted))
                        Unresolved(maybe.Resource);
                return found;
            }
            case UnknownNode { Ref: not null } u when FindByRef(u) is { } role:
                return role;
            case UnknownNode u:
                // A reference to a role declared elsewhere (a registry module, a data source) or an apply-time value.
                if (u.Ref == null || _model.ResolveRef(u) is not { Resource.Kind: not ("aws_iam_role" or CfnRole) }) Unresolved(from);
                return null;
            default:
                return null;
        }
    }

    /// <summary>A role's own list of managed policy ARNs (Terraform managed_policy_arns, CloudFormation ManagedPolicyArns, Pulumi managedPolicyArns).</summary>
    private void AttachManagedPolicyArns(IamRole role, Node? arns, string via)
    {
        switch (arns)
        {
            case SeqNode list:
                foreach (var a in list.Items) role.Policies.Add(PolicyByArn(a, via));
                break;
            case UnknownNode u:
                role.Policies.Add(new AttachedPolicy(PolicyDocument.Unknown($"{via} is not known ({u.Reason})", via, u.Span), u.Span, via));
                break;
        }
    }

    private AttachedPolicy PolicyByArn(Node? arnNode, string via)
    {
        var span = arnNode?.Span ?? SourceSpan.OfFile("");
        switch (arnNode)
        {
            case ScalarNode { Value: { } arn } when ManagedPolicies.IsAwsManagedArn(arn):
            {
                var managed = ManagedPolicies.Find(arn);
                var name = managed?.Name ?? arn[(arn.LastIndexOf('/') + 1)..];
                return new AttachedPolicy(ManagedPolicies.DocumentFor(arn, span), span, $"AWS managed policy {name} via {via}");
            }
            case ScalarNode { Value: { } arn }:
            {
                // A customer managed policy by ARN: look for the aws_iam_policy with that name in the code.
                var parts = IamMatch.Split(arn.Trim());
                var name = parts.Count == 6 && parts[5].StartsWith("policy/", StringComparison.Ordinal) ? parts[5][(parts[5].LastIndexOf('/') + 1)..] : null;
                var declared = name == null ? null : _model.OfKind("aws_iam_policy").FirstOrDefault(p => p.Body.GetString("name") == name);
                return declared?.Body["policy"] is { } doc
                    ? new AttachedPolicy(PolicyDocument.Parse(doc, declared.Address), span, $"{declared.Address} via {via}")
                    : new AttachedPolicy(PolicyDocument.Unknown($"the policy {arn} is not declared in the scanned code", arn, span), span, via);
            }
            case UnknownNode { Ref: not null } u when _model.ResolveRef(u) is { } hit && PolicyOf(hit.Resource) is { } doc:
                return new AttachedPolicy(PolicyDocument.Parse(doc, hit.Resource.Address), span, $"{hit.Resource.Address} via {via}");
            case UnknownNode u:
                return new AttachedPolicy(PolicyDocument.Unknown($"the attached policy is not known ({u.Reason})", via, span), span, via);
            default:
                return new AttachedPolicy(PolicyDocument.Unknown("the attached policy is not known", via, span), span, via);
        }
    }

    /// <summary>The document of a customer managed policy resource (Terraform aws_iam_policy, CloudFormation AWS::IAM::ManagedPolicy).</summary>
    private static Node? PolicyOf(Resource r) => r.Kind switch
    {
        "aws_iam_policy" => r.Body["policy"],
        CfnManagedPolicy => r.Body["PolicyDocument"],
        _ => null,
    };

    // --- CloudFormation ---

    private const string CfnRole = "AWS::IAM::Role";
    private const string CfnManagedPolicy = "AWS::IAM::ManagedPolicy";

    private void AddCloudFormationRoles()
    {
        foreach (var r in _model.OfKind(CfnRole))
        {
            // Without RoleName, CloudFormation generates one: the role is found by Ref/GetAtt only.
            var role = new IamRole
            {
                Resource = r, Name = r.Body.GetString("RoleName"), Anchor = (r.Body["RoleName"] ?? (Node)r.Body).Span,
                Trust = r.Body["AssumeRolePolicyDocument"] is { } trust ? PolicyDocument.Parse(trust, $"trust policy of {r.Name}") : null,
            };
            foreach (var inline in r.Body.GetSeq("Policies")?.Maps ?? [])
                if (inline["PolicyDocument"] is { } p)
                    role.Policies.Add(new AttachedPolicy(PolicyDocument.Parse(p, $"policy {inline.GetString("PolicyName")} of {r.Name}"), p.Span, "Policies"));
                else role.Policies.Add(new AttachedPolicy(PolicyDocument.Unknown("the policy is not known", r.Name, inline.Span), inline.Span, "Policies"));
            AttachManagedPolicyArns(role, r.Body["ManagedPolicyArns"], "ManagedPolicyArns");
            if (r.Body["Policies"] is UnknownNode up)
                role.Policies.Add(new AttachedPolicy(PolicyDocument.Unknown($"Policies is not known ({up.Reason})", "Policies", up.Span), up.Span, "Policies"));
            Register(role);
        }
    }

    private void AttachCloudFormationPolicies()
    {
        // AWS::IAM::Policy and AWS::IAM::ManagedPolicy attach to the roles they list; AWS::IAM::RolePolicy to one.
        foreach (var p in _model.OfKinds("AWS::IAM::Policy", CfnManagedPolicy))
        {
            if (p.Body["PolicyDocument"] is not { } doc) continue;
            switch (p.Body["Roles"])
            {
                case SeqNode roles:
                    foreach (var item in roles.Items)
                        if (RoleOf(item, p) is { } role)
                            role.Policies.Add(new AttachedPolicy(PolicyDocument.Parse(doc, p.Name), item.Span, p.Name));
                    break;
                case UnknownNode:
                    Unresolved(p);
                    break;
            }
        }
        foreach (var p in _model.OfKind("AWS::IAM::RolePolicy"))
            if (p.Body["PolicyDocument"] is { } doc && RoleOf(p.Body["RoleName"], p) is { } role)
                role.Policies.Add(new AttachedPolicy(PolicyDocument.Parse(doc, p.Name), (p.Body["RoleName"] ?? doc).Span, p.Name));
    }

    // --- Pulumi (stack export / preview inputs) ---

    private const string PulumiRole = "aws:iam/role:Role";

    private void AddPulumiRoles()
    {
        foreach (var r in _model.OfKind(PulumiRole))
        {
            // Autonamed Pulumi roles get a random suffix we cannot know from the inputs: only named roles are indexed by name.
            var role = new IamRole
            {
                Resource = r, Name = r.Body.GetString("name"), Anchor = (r.Body["name"] ?? (Node)r.Body).Span,
                Trust = r.Body["assumeRolePolicy"] is { } trust ? PolicyDocument.Parse(trust, $"trust policy of {r.Name}") : null,
            };
            foreach (var inline in r.Body.GetSeq("inlinePolicies")?.Maps ?? [])
                if (inline["policy"] is { } p) role.Policies.Add(new AttachedPolicy(PolicyDocument.Parse(p, $"inline policy of {r.Name}"), p.Span, "inlinePolicies"));
            AttachManagedPolicyArns(role, r.Body["managedPolicyArns"], "managedPolicyArns");
            Register(role);
        }
    }

    private void AttachPulumiPolicies()
    {
        foreach (var rp in _model.OfKind("aws:iam/rolePolicy:RolePolicy"))
            if (rp.Body["policy"] is { } policy && RoleOf(rp.Body["role"], rp) is { } role)
                role.Policies.Add(new AttachedPolicy(PolicyDocument.Parse(policy, rp.Name), policy.Span, rp.Name));
        foreach (var at in _model.OfKind("aws:iam/rolePolicyAttachment:RolePolicyAttachment"))
            if (RoleOf(at.Body["role"], at) is { } role)
                role.Policies.Add(PolicyByArn(at.Body["policyArn"], at.Name) with { AttachedAt = (at.Body["role"] ?? (Node)at.Body).Span });
    }
}
