using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;
using Groundcrew.Rules.Live;

namespace Groundcrew.Graph;

/// <summary>A task definition's or ServiceAccount's role reference as drawn, with the ARN (or name) it names.</summary>
internal sealed record RoleReference(GraphEdge Edge, string Arn, bool MayBeMissing);

/// <summary>A task definition container's Secrets Manager / SSM reference as drawn.</summary>
internal sealed record SecretReference(GraphEdge Edge, Node ValueFrom, EcsTaskDefinition TaskDefinition);

/// <summary>A pod spec's Secret, ConfigMap or ServiceAccount reference as drawn, with the node it points at.</summary>
internal sealed record KubeReference(GraphEdge Edge, Reference Reference, GraphNode Target);

/// <summary>
/// The inventory snapshot in the graph: a "live" node for each thing the account or cluster holds that a repository
/// node stands for (IAM roles, OIDC providers, Secrets Manager secrets and SSM parameters, the latest registered
/// revision of each task definition family, ServiceAccounts, Secrets and ConfigMaps), joined to it by an "in the
/// account" / "in the cluster" edge. A reference whose target the repository does not declare and the snapshot lacks
/// is marked broken, with why; one the scan could not settle (unknown) and the snapshot holds is resolved. Only the parts the snapshot collected count (a part it could not list is "not known",
/// never "missing"), as in the live rules. Facts nothing in the repository names are not drawn: an account's hundreds
/// of roles would bury the deployment. Reads the snapshot's model only, never its JSON.
/// </summary>
internal sealed class LiveLayer(GraphBuilder builder, Snapshot snapshot)
{
    /// <summary>"(observed in the inventory of TIME, account A)", as the live findings say it.</summary>
    private string Observed => LiveFacts.Observed(snapshot);

    /// <summary>The same for a cluster fact, naming the kubectl context instead of the account.</summary>
    private string ObservedInCluster =>
        $"(observed in the inventory of {snapshot.Time}{(snapshot.Sources.Kube?.Context is { } context ? $", context {context}" : "")})";

    public void Add()
    {
        if (snapshot.Aws is { } aws)
        {
            Roles(aws);
            Secrets(aws);
            TaskDefinitions(aws);
            OidcProviders(aws);
        }
        if (snapshot.Kube is { } kube)
        {
            DeclaredKubeObjects(kube);
            KubeReferences(kube);
        }
    }

    // ---- AWS ----

    private void Roles(AwsFacts aws)
    {
        var known = snapshot.Knows("iam.roles");
        foreach (var r in builder.RoleReferences)
        {
            var target = builder.Nodes[r.Edge.To];
            if (aws.RoleByArnOrName(r.Arn) is { } fact)
            {
                TieRole(target, fact);
                Settle(r.Edge, $"role `{fact.Name}` exists in the account");
            }
            else if (known && r.MayBeMissing && InScope(r.Arn))
            {
                Break(r.Edge, $"no role `{Name(r.Arn)}` exists {Observed}");
                // The role it most likely meant (as live-role-missing suggests), dashed: a guess, not a reference.
                if (LiveFacts.MostLikely(Name(r.Arn), aws.Roles.Select(x => x.Name)) is { } meant && aws.RoleByArnOrName(meant) is { } closest)
                    builder.Edge(target, RoleNode(target, closest), "closest role in the account", EdgeState.Unknown, null);
            }
        }
        // Roles the repository declares by name, referenced or not: the account may already hold them.
        foreach (var role in builder.Model.IamRoles.All)
            if (role.Name is { } name && builder.TryGetNode(role.Resource, out var node) && aws.RoleByArnOrName(name) is { } fact)
                TieRole(node, fact);
    }

    private void TieRole(GraphNode repo, IamRoleFact fact) => Tie(repo, RoleNode(repo, fact), "in the account");

    private GraphNode RoleNode(GraphNode near, IamRoleFact fact) =>
        builder.LiveNode("live:iam-role:" + fact.Arn, "iam-role", "role " + fact.Name, $"IAM role {fact.Arn} {Observed}", near);

    private GraphNode SecretNode(GraphNode near, SecretFact fact) =>
        builder.LiveNode("live:secret:" + fact.Arn, "aws-secret", "secret " + fact.Name, $"Secrets Manager secret {fact.Arn} {Observed}", near);

    private void Secrets(AwsFacts aws)
    {
        var secretsKnown = snapshot.Knows("secretsmanager.secrets");
        var parametersKnown = snapshot.Knows("ssm.parameters");
        foreach (var s in builder.SecretReferences)
        {
            var (account, region) = LiveFacts.TaskScope(s.TaskDefinition);
            if (LiveFacts.Lookup(snapshot, s.ValueFrom, account, region) is not { } lookup) continue;
            var target = builder.Nodes[s.Edge.To];
            if (lookup.Service == "secretsmanager")
            {
                if (lookup.Found is { } found)
                {
                    Tie(target, SecretNode(target, found), "in the account");
                    Settle(s.Edge, $"secret `{found.Name}` exists in the account");
                }
                else if (secretsKnown && aws.Secrets.FirstOrDefault(x => x.Name == lookup.Name) is { } other)
                {
                    // C5: the same name with another 6-character suffix; drawn dashed to the secret it most likely meant.
                    Break(s.Edge, $"the secret `{lookup.Name}` exists as `{other.Arn}`, not `{lookup.Reference}` {Observed}");
                    builder.Edge(target, SecretNode(target, other), "same name, other suffix", EdgeState.Unknown, null);
                }
                else if (secretsKnown) Break(s.Edge, $"no secret `{lookup.Name}` exists {Observed}");
            }
            else if (LiveFacts.ParameterExists(snapshot, lookup.Name))
            {
                Tie(target, builder.LiveNode("live:ssm:" + lookup.Name.TrimStart('/'), "aws-secret", "parameter " + lookup.Name, $"SSM parameter {lookup.Name} {Observed}", target), "in the account");
                Settle(s.Edge, $"SSM parameter `{lookup.Name}` exists in the account");
            }
            else if (parametersKnown)
                Break(s.Edge, $"no SSM parameter `{lookup.Name}` exists {Observed}");
        }
    }

    /// <summary>
    /// The latest registered revision of each family the repository holds a file of. Its edge sits on the file's
    /// `family` line, where live-task-definition-drift reports, so a drifted revision's edge is drawn red.
    /// </summary>
    private void TaskDefinitions(AwsFacts aws)
    {
        foreach (var td in builder.Model.TaskDefinitions)
        {
            if (!builder.TryGetNode(td.Resource, out var node)) continue;
            var latest = aws.TaskDefinitions.Where(t => t.Family == td.Family).MaxBy(t => t.Revision);
            if (latest == null) continue;
            var live = builder.LiveNode($"live:taskdefinition:{latest.Family}:{latest.Revision}", "taskdefinition", $"{latest.Family}:{latest.Revision} registered",
                $"task definition {latest.Arn}, the latest registered revision {Observed}", node);
            builder.Edge(node, live, $"registered as revision {latest.Revision}", EdgeState.Resolved, (td.Body["family"] ?? td.Body).Span);
        }
    }

    private void OidcProviders(AwsFacts aws)
    {
        var known = snapshot.Knows("iam.oidcProviders");
        foreach (var (edge, provider) in builder.ProviderReferences)
        {
            var target = builder.Nodes[edge.To];
            var host = provider.Contains("oidc-provider/", StringComparison.Ordinal) ? provider[(provider.IndexOf("oidc-provider/", StringComparison.Ordinal) + 14)..] : null;
            var fact = aws.OidcProviders.FirstOrDefault(p => p == provider || (host != null && p.EndsWith("oidc-provider/" + host, StringComparison.Ordinal)));
            if (fact != null)
                Tie(target, builder.LiveNode("live:oidc:" + fact, "oidc-provider", "OIDC " + fact[(fact.LastIndexOf('/') + 1)..], $"IAM OIDC provider {fact} {Observed}", target), "in the account");
            // Only a literal provider ARN can be called missing; an expression (module output, data source) is not known here.
            else if (known && host != null && !target.Live && !provider.Contains("${", StringComparison.Ordinal) && InScope(provider))
                Break(edge, $"IAM has no OIDC provider `{host}` {Observed}");
        }
    }

    /// <summary>Whether an ARN's account lies inside what the snapshot collected (a bare name: yes); an expression never does.</summary>
    private bool InScope(string arn)
    {
        var parts = arn.Split(':');
        var account = parts.Length >= 6 && parts[0] == "arn" ? parts[4] : "";
        return !arn.Contains("${", StringComparison.Ordinal) && LiveFacts.InScope(snapshot, account, null);
    }

    private static string Name(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    // ---- cluster ----

    /// <summary>ServiceAccounts, Secrets and ConfigMaps the repository declares, tied to the cluster's objects of the same namespace and name.</summary>
    private void DeclaredKubeObjects(KubeFacts kube)
    {
        foreach (var r in builder.Model.Resources)
        {
            if (r.Family != ResourceFamily.Kubernetes || r.Kind is not ("ServiceAccount" or "Secret" or "ConfigMap") || !builder.TryGetNode(r, out var node)) continue;
            var ns = r.Namespace ?? "default";
            if (r.Kind == "ServiceAccount")
            {
                if (kube.ServiceAccounts.FirstOrDefault(s => s.Namespace == ns && s.Name == r.Name) is not { } sa) continue;
                var annotated = r.Body.GetMap("metadata")?.GetMap("annotations")?.GetString("eks.amazonaws.com/role-arn");
                var edge = Tie(node, LiveServiceAccount(sa, node), "in the cluster");
                // The apply will overwrite it, so not broken; but a reader comparing the two wants to see it.
                if (edge != null && annotated != null && sa.RoleArn != annotated)
                    edge.Detail ??= sa.RoleArn != null ? $"the cluster's ServiceAccount has role {sa.RoleArn}" : "the cluster's ServiceAccount has no role annotation";
            }
            else if (KeyedObjects(kube, r.Kind).FirstOrDefault(o => o.Namespace == ns && o.Name == r.Name) is { } fact)
                Tie(node, LiveKeyedObject(r.Kind, fact, node), "in the cluster");
        }
    }

    /// <summary>Pod spec references: tied to the cluster's object; broken when the repository does not declare the target and the cluster lacks it (or its key).</summary>
    private void KubeReferences(KubeFacts kube)
    {
        foreach (var k in builder.KubeReferences)
        {
            var reference = k.Reference;
            var ns = reference.TargetNamespace ?? "default";
            var part = reference.TargetKind switch { "Secret" => "kube.secrets", "ConfigMap" => "kube.configMaps", "ServiceAccount" => "kube.serviceAccounts", _ => null };
            if (part == null) continue;
            var known = snapshot.Knows(part) && NamespaceCollected(ns);
            var declared = reference.Target != null;
            if (reference.TargetKind == "ServiceAccount")
            {
                if (kube.ServiceAccounts.FirstOrDefault(s => s.Namespace == ns && s.Name == reference.TargetName) is { } sa)
                {
                    Tie(k.Target, LiveServiceAccount(sa, k.Target), "in the cluster");
                    Settle(k.Edge, $"ServiceAccount {ns}/{sa.Name} exists in the cluster");
                }
                else if (known && !declared) Break(k.Edge, $"no ServiceAccount {ns}/{reference.TargetName} exists in the cluster {ObservedInCluster}");
                continue;
            }
            var fact = KeyedObjects(kube, reference.TargetKind).FirstOrDefault(o => o.Namespace == ns && o.Name == reference.TargetName);
            if (fact != null)
            {
                Tie(k.Target, LiveKeyedObject(reference.TargetKind, fact, k.Target), "in the cluster");
                if (!declared && reference.Key is { } key && !fact.Keys.Contains(key) && !reference.Optional)
                    Break(k.Edge, $"the cluster's {reference.TargetKind} {ns}/{fact.Name} has no key `{key}` (it has {(fact.Keys.Count > 0 ? string.Join(", ", fact.Keys) : "none")}) {ObservedInCluster}");
                else Settle(k.Edge, $"{reference.TargetKind} {ns}/{fact.Name}{(reference.Key is { } k2 ? $" with key `{k2}`" : "")} exists in the cluster");
            }
            else if (known && !declared && !reference.Optional)
                Break(k.Edge, $"no {reference.TargetKind} {ns}/{reference.TargetName} exists in the cluster {ObservedInCluster}");
        }
    }

    private bool NamespaceCollected(string ns) => snapshot.Sources.Kube?.Namespaces is not { Count: > 0 } namespaces || namespaces.Contains(ns);

    private static List<KeyedObjectFact> KeyedObjects(KubeFacts kube, string kind) => kind == "Secret" ? kube.Secrets : kube.ConfigMaps;

    private GraphNode LiveServiceAccount(ServiceAccountFact sa, GraphNode near) =>
        builder.LiveNode($"live:ServiceAccount/{sa.Namespace}/{sa.Name}", "serviceaccount", $"ServiceAccount {sa.Name}",
            $"ServiceAccount {sa.Namespace}/{sa.Name}{(sa.RoleArn != null ? $" (role {sa.RoleArn})" : "")} in the cluster {ObservedInCluster}", near);

    // Key names only: the snapshot never holds a value, and neither does the graph.
    private GraphNode LiveKeyedObject(string kind, KeyedObjectFact o, GraphNode near) =>
        builder.LiveNode($"live:{kind}/{o.Namespace}/{o.Name}", kind == "Secret" ? "secret" : "configmap", $"{kind} {o.Name}",
            $"{kind} {o.Namespace}/{o.Name} in the cluster, keys: {(o.Keys.Count > 0 ? string.Join(", ", o.Keys) : "none")} {ObservedInCluster}", near);

    // ---- edges ----

    /// <summary>The repository node and the live thing it stands for. No source span: no finding is about this edge's line.</summary>
    private GraphEdge? Tie(GraphNode repo, GraphNode live, string label) => builder.Edge(repo, live, label, EdgeState.Resolved, null);

    /// <summary>An unknown reference (its target was not scanned) that the snapshot shows exists: resolved, saying by what. Never undoes a break.</summary>
    private void Settle(GraphEdge edge, string what)
    {
        if (edge.State != EdgeState.Unknown) return;
        edge.State = EdgeState.Resolved;
        edge.Detail = $"{what} {(what.EndsWith("in the cluster", StringComparison.Ordinal) ? ObservedInCluster : Observed)}";
    }

    private static void Break(GraphEdge edge, string why)
    {
        edge.State = EdgeState.Broken;
        edge.Detail = why;
    }
}
