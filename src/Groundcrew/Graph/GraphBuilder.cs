using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Model.Aws;
using Groundcrew.Rules.App;
using Groundcrew.Rules.Events;
using Groundcrew.Rules.Iam;
using Groundcrew.Rules.Irsa;

namespace Groundcrew.Graph;

/// <summary>
/// Draws the model: one node per resource a deployment is made of (and per thing a reference names but the scan did not
/// see), one edge per reference the model and its fact indexes resolve (pod specs to Secrets, ConfigMaps and
/// ServiceAccounts; ServiceAccounts to IAM roles to OIDC providers; task definitions to roles and secrets; ECS services to
/// subnets, route tables and NAT gateways; EventBridge rules to queues; roles to the queues their policies name; Services
/// to the pods they select; Ingresses to Services; images to the app folders they are built from). Findings then mark the
/// edges at their lines as broken and give each finding its chain. With an inventory snapshot in the model
/// (`check --inventory`/`--live`), <see cref="LiveLayer"/> adds what the account and cluster hold, tied to these nodes.
/// </summary>
public sealed class GraphBuilder
{
    private readonly DeploymentModel _model;
    private readonly GroundcrewConfig _config;
    private readonly List<GraphNode> _nodes = new();
    private readonly List<GraphEdge> _edges = new();
    private readonly Dictionary<string, GraphNode> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<Resource, GraphNode> _byResource = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(int, int), GraphEdge> _edgeKeys = new();
    // The references the live layer compares with the snapshot, kept as they are drawn.
    private readonly List<RoleReference> _roleReferences = new();
    private readonly List<SecretReference> _secretReferences = new();
    private readonly List<KubeReference> _kubeReferences = new();
    private readonly List<(GraphEdge Edge, string Provider)> _providerReferences = new();

    private GraphBuilder(DeploymentModel model, GroundcrewConfig? config)
    {
        _model = model;
        _config = config ?? GroundcrewConfig.Default;
    }

    /// <summary>The graph of <paramref name="model"/>, with <paramref name="findings"/> (may be empty) tied to its nodes and edges.</summary>
    public static DeploymentGraph Build(DeploymentModel model, IReadOnlyList<Finding> findings, GroundcrewConfig? config = null)
    {
        var b = new GraphBuilder(model, config);
        b.AddKubernetes();
        b.AddTaskDefinitions();
        b.AddIrsa();
        b.AddRolePolicies();
        b.AddEventsAndQueues();
        b.AddNetwork();
        b.AddTerraformResources();
        if (model.Inventory is { } snapshot) new LiveLayer(b, snapshot).Add();
        var chains = new FindingMapper(b, findings).Map();
        return new DeploymentGraph { Nodes = b._nodes, Edges = b._edges, Chains = chains };
    }

    // ---- node kinds (the categories the picture colours by) ----

    private static string? KindOf(Resource r)
    {
        if (r.Family == ResourceFamily.Kubernetes)
            return r.Kind switch
            {
                _ when KubeKinds.IsWorkload(r.Kind) => "workload",
                "Service" => "service",
                "Ingress" => "ingress",
                "ConfigMap" => "configmap",
                "Secret" or "ExternalSecret" or "SealedSecret" or "SecretProviderClass" => "secret",
                "ServiceAccount" => "serviceaccount",
                "HorizontalPodAutoscaler" => "autoscaler",
                _ => null,
            };
        if (r.Family == ResourceFamily.EcsTaskDefinition) return "taskdefinition";
        return (NetworkTopology.TypeOf(r) ?? CloudFormationType(r)) switch
        {
            "aws_iam_role" => "iam-role",
            "aws_iam_policy" or "aws_iam_role_policy" => "iam-policy",
            "aws_iam_openid_connect_provider" => "oidc-provider",
            "aws_ecs_task_definition" => "taskdefinition",
            "aws_ecs_service" => "ecs-service",
            "aws_secretsmanager_secret" or "aws_ssm_parameter" => "aws-secret",
            "aws_sqs_queue" => "queue",
            "aws_cloudwatch_event_rule" => "event-rule",
            "aws_subnet" => "subnet",
            "aws_route_table" or "aws_default_route_table" => "route-table",
            "aws_nat_gateway" or "aws_internet_gateway" => "gateway",
            "aws_vpc_endpoint" => "endpoint",
            "aws_eks_cluster" => "cluster",
            "aws_lb" or "aws_alb" => "load-balancer",
            "aws_db_instance" or "aws_rds_cluster" => "database",
            "kubernetes_service_account" or "kubernetes_service_account_v1" => "serviceaccount",
            _ => null,
        };
    }

    private static string? CloudFormationType(Resource r) => r.Family != ResourceFamily.CloudFormation ? null : r.Kind switch
    {
        "AWS::IAM::Role" => "aws_iam_role",
        "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy" => "aws_iam_policy",
        "AWS::ECS::TaskDefinition" => "aws_ecs_task_definition",
        "AWS::ECS::Service" => "aws_ecs_service",
        "AWS::SecretsManager::Secret" => "aws_secretsmanager_secret",
        "AWS::SQS::Queue" => "aws_sqs_queue",
        "AWS::Events::Rule" => "aws_cloudwatch_event_rule",
        _ => null,
    };

    // ---- nodes ----

    internal IReadOnlyList<GraphNode> Nodes => _nodes;
    internal IReadOnlyList<GraphEdge> Edges => _edges;
    internal DeploymentModel Model => _model;
    internal bool TryGetNode(Resource r, out GraphNode node) => _byResource.TryGetValue(r, out node!);
    internal IReadOnlyList<RoleReference> RoleReferences => _roleReferences;
    internal IReadOnlyList<SecretReference> SecretReferences => _secretReferences;
    internal IReadOnlyList<KubeReference> KubeReferences => _kubeReferences;
    internal IReadOnlyList<(GraphEdge Edge, string Provider)> ProviderReferences => _providerReferences;

    /// <summary>The node of a resource, created on first use (a kind we do not draw gets "resource").</summary>
    internal GraphNode NodeOf(Resource r, string? kind = null)
    {
        if (_byResource.TryGetValue(r, out var existing)) return existing;
        var id = IdOf(r);
        // Two resources with one identity (the same Deployment rendered by two overlays): one node each, told apart by the overlay.
        if (_byId.ContainsKey(id)) id += " @" + (r.RenderedFrom ?? r.File);
        var n = Add(id, kind ?? KindOf(r) ?? "resource", LabelOf(r), r.DisplayName, r.Anchor, external: false, r.File, GroupsOf(r));
        _byResource[r] = n;
        return n;
    }

    private static string IdOf(Resource r) => r.Family switch
    {
        ResourceFamily.Kubernetes => r.Namespace is null ? $"{r.Kind}/{r.Name}" : $"{r.Kind}/{r.Namespace}/{r.Name}",
        // Several Terraform roots may declare one address: NodeOf then tells the second apart by its file.
        _ when r.Address != null => r.Address,
        ResourceFamily.EcsTaskDefinition => $"taskdefinition/{r.Name} ({r.File})",
        _ => $"{r.Kind}/{r.Name} ({r.File})",
    };

    private static string LabelOf(Resource r) => r.Family switch
    {
        ResourceFamily.Kubernetes => $"{r.Kind} {r.Name}",
        ResourceFamily.EcsTaskDefinition => $"task definition {r.Name}",
        ResourceFamily.Pulumi => $"{ShortType(r.Kind)} {r.Name}",
        _ when r.Address != null => r.Address.StartsWith("module.", StringComparison.Ordinal) ? r.Address : LastTwo(r.Address),
        _ => r.Name,
    };

    private static string ShortType(string pulumiType) => pulumiType[(pulumiType.LastIndexOf(':') + 1)..];

    private static string LastTwo(string address) => address;

    private (string App, string Ns, string Module) GroupsOf(Resource r)
    {
        var file = r.RenderedFrom ?? r.File;
        var ns = r.Family == ResourceFamily.Kubernetes
            ? r.Namespace is { } n ? $"namespace {n}" : "cluster-scoped"
            : r.TerraformRoot is { } root ? $"terraform {root}" : r.Family == ResourceFamily.EcsTaskDefinition ? "ecs" : $"aws {Folder(file)}";
        var module = r.TerraformRoot ?? Folder(file);
        return (TopFolder(file), ns, module);
    }

    private GraphNode External(string id, string kind, string label, string title, GraphNode near) =>
        _byId.TryGetValue(id, out var n) ? n : Add(id, kind, label, title + " (not in the scanned files)", null, external: true, null, (near.App, near.Namespace, near.Module));

    /// <summary>The node of a thing the snapshot saw (one per id), boxed with the repository node it belongs to.</summary>
    internal GraphNode LiveNode(string id, string kind, string label, string title, GraphNode near) =>
        _byId.TryGetValue(id, out var n) ? n : Add(id, kind, label, title, null, external: false, null, (near.App, near.Namespace, near.Module), live: true);

    private GraphNode Add(string id, string kind, string label, string title, SourceSpan? span, bool external, string? file, (string App, string Ns, string Module) groups,
        Node? body = null, bool live = false)
    {
        var n = new GraphNode
        {
            Index = _nodes.Count, Id = id, Kind = kind, Label = label, Title = title, Span = span, External = external, Live = live, Body = body,
            App = groups.App, Namespace = groups.Ns, Module = groups.Module,
        };
        _nodes.Add(n);
        _byId[id] = n;
        return n;
    }

    internal GraphNode FileNode(string file, string kind = "file")
    {
        var id = "file:" + file;
        return _byId.TryGetValue(id, out var n) ? n : Add(id, kind, Path.GetFileName(file), file, SourceSpan.OfFile(file), false, file, (TopFolder(file), "files", Folder(file)));
    }

    internal GraphNode AppNode(AppFolder app)
    {
        var id = "app:" + app.DisplayPath;
        return _byId.TryGetValue(id, out var n) ? n
            : Add(id, "app", app.DisplayPath == "." ? app.Name + "/" : app.DisplayPath + "/", $"app folder {app.DisplayPath}/", SourceSpan.OfFile(app.DisplayPath), false, app.DisplayPath,
                (TopFolder(app.DisplayPath + "/x"), "apps", app.DisplayPath));
    }

    internal static string TopFolder(string file)
    {
        var slash = file.IndexOf('/');
        return slash > 0 ? file[..slash] : "(root)";
    }

    private static string Folder(string file)
    {
        var slash = file.LastIndexOf('/');
        return slash > 0 ? file[..slash] : ".";
    }

    // ---- edges ----

    internal GraphEdge? Edge(GraphNode from, GraphNode to, string label, EdgeState state, SourceSpan? span, string? detail = null)
    {
        if (from == to) return null;
        // One edge per pair: several references between the same two things (env entries naming one Secret) share it.
        if (_edgeKeys.TryGetValue((from.Index, to.Index), out var existing))
        {
            if (!existing.Label.Split(", ").Contains(label)) existing.Label = existing.Label.Length > 60 ? existing.Label.TrimEnd('…') + "…" : existing.Label + ", " + label;
            if (span is { } s && s != existing.Span) existing.MoreSpans.Add(s);
            if (Rank(state) > Rank(existing.State)) existing.State = state;
            existing.Detail ??= detail;
            return existing;
        }
        var e = new GraphEdge { From = from.Index, To = to.Index, Label = label, State = state, Span = span, Detail = detail };
        _edgeKeys[(from.Index, to.Index)] = e;
        _edges.Add(e);
        return e;
    }

    private static int Rank(EdgeState s) => s switch { EdgeState.Broken => 2, EdgeState.Unknown => 1, _ => 0 };

    // ---- Kubernetes ----

    private void AddKubernetes()
    {
        var containerNodes = new Dictionary<(Resource, string), GraphNode>();
        foreach (var w in _model.Workloads)
        {
            var wn = NodeOf(w.Resource);
            foreach (var c in w.Containers)
            {
                var cn = ContainerNode(wn, c);
                containerNodes[(w.Resource, c.Name)] = cn;
            }
        }
        foreach (var r in _model.Resources)
            if (r.Family == ResourceFamily.Kubernetes && KindOf(r) is { } kind) NodeOf(r, kind);

        foreach (var reference in _model.References)
        {
            var from = NodeOf(reference.From);
            var via = reference.Via;
            var ofContainer = via.LastIndexOf(" of container ", StringComparison.Ordinal);
            if (ofContainer > 0 && containerNodes.TryGetValue((reference.From, via[(ofContainer + " of container ".Length)..]), out var cn))
            {
                from = cn;
                via = via[..ofContainer];
            }
            var label = reference.Key is not { } key || via.EndsWith(" " + key, StringComparison.Ordinal) ? via : $"{via} (key {key})";
            var kind = reference.TargetKind switch { "Secret" => "secret", "ConfigMap" => "configmap", "ServiceAccount" => "serviceaccount", _ => "resource" };
            var to = reference.Target is { } t ? NodeOf(t)
                : External($"{reference.TargetKind}/{reference.TargetNamespace}/{reference.TargetName}", kind, $"{reference.TargetKind} {reference.TargetName}",
                    $"{reference.TargetKind}/{reference.TargetName}", from);
            var state = reference.Resolution switch
            {
                Resolution.Missing => EdgeState.Broken,
                Resolution.Unknown => EdgeState.Unknown,
                _ => EdgeState.Resolved,
            };
            var detail = reference.Resolution == Resolution.Missing ? $"key {reference.Key} missing: {reference.Detail}" : reference.Detail;
            if (Edge(from, to, label, state, reference.At.Span, detail) is { } edge) _kubeReferences.Add(new KubeReference(edge, reference, to));
        }

        // Workloads by namespace and by one label: a Service is compared with the pods that carry its first selector label only.
        var byLabel = new Dictionary<(string?, string, string), List<Workload>>();
        foreach (var w in _model.Workloads)
            foreach (var (k, v) in w.TemplateLabels)
            {
                if (!byLabel.TryGetValue((w.Resource.Namespace, k, v), out var l)) byLabel[(w.Resource.Namespace, k, v)] = l = new List<Workload>();
                l.Add(w);
            }
        foreach (var svc in _model.OfKind("Service"))
        {
            if (svc.Family != ResourceFamily.Kubernetes || svc.Spec?.GetMap("selector") is not { Entries.Count: > 0 } selector) continue;
            var wanted = selector.Entries.Where(e => e.Value is ScalarNode).Select(e => (e.Name, (e.Value as ScalarNode)!.Value ?? "")).ToList();
            if (wanted.Count == 0) continue;
            foreach (var w in byLabel.GetValueOrDefault((svc.Namespace, wanted[0].Name, wanted[0].Item2)) ?? [])
                if (w.Resource.Namespace == svc.Namespace && wanted.All(p => w.TemplateLabels.TryGetValue(p.Name, out var v) && v == p.Item2))
                    Edge(NodeOf(svc), NodeOf(w.Resource), "selects", EdgeState.Resolved, selector.Span);
        }

        foreach (var ing in _model.OfKind("Ingress"))
        {
            if (ing.Family != ResourceFamily.Kubernetes) continue;
            var backends = new List<MapNode>();
            if (ing.Spec?.GetMap("defaultBackend")?.GetMap("service") is { } d) backends.Add(d);
            foreach (var rule in ing.Spec?.GetSeq("rules")?.Maps ?? [])
                foreach (var p in rule.GetMap("http")?.GetSeq("paths")?.Maps ?? [])
                    if (p.GetMap("backend")?.GetMap("service") is { } s) backends.Add(s);
            foreach (var b in backends)
            {
                if (b["name"] is not ScalarNode { Value: { Length: > 0 } name } nameNode) continue;
                var target = _model.Find("Service", ing.Namespace, name);
                var from = NodeOf(ing);
                var to = target != null ? NodeOf(target) : External($"Service/{ing.Namespace}/{name}", "service", $"Service {name}", $"Service/{name}", from);
                Edge(from, to, "backend", target != null ? EdgeState.Resolved : EdgeState.Unknown, nameNode.Span);
            }
        }

        foreach (var hpa in _model.OfKind("HorizontalPodAutoscaler"))
        {
            if (hpa.Spec?.GetMap("scaleTargetRef") is not { } target || target.GetString("kind") is not { } kind || target["name"] is not ScalarNode { Value: { } name } nameNode) continue;
            var found = _model.Find(kind, hpa.Namespace, name);
            var from = NodeOf(hpa);
            var to = found != null ? NodeOf(found) : External($"{kind}/{hpa.Namespace}/{name}", "workload", $"{kind} {name}", $"{kind}/{name}", from);
            Edge(from, to, "scales", found != null ? EdgeState.Resolved : EdgeState.Unknown, nameNode.Span);
        }
    }

    private readonly Dictionary<string, GraphNode> _imageNodes = new(StringComparer.Ordinal);

    private GraphNode ContainerNode(GraphNode owner, Container c)
    {
        var cn = Add($"container:{owner.Id}/{c.Name}", "container", $"container {c.Name}", $"container {c.Name} of {owner.Title}", c.Node.Span, false, null,
            (owner.App, owner.Namespace, owner.Module), c.Node);
        Edge(owner, cn, c.IsInit ? "init container" : "runs", EdgeState.Resolved, c.Node.Span);
        if (c.Image is { Length: > 0 } image)
        {
            if (!_imageNodes.TryGetValue(image, out var imageNode))
            {
                imageNode = Add($"image:{image}", "image", ShortImage(image), $"image {image}", c.ImageNode?.Span, false, null, (owner.App, owner.Namespace, owner.Module));
                _imageNodes[image] = imageNode;
                if (AppTies.Find(_model, _config, image) is { } tie) Edge(imageNode, AppNode(tie.App), "built from", EdgeState.Resolved, null, tie.How);
            }
            Edge(cn, imageNode, "image", EdgeState.Resolved, c.ImageNode?.Span);
        }
        return cn;
    }

    private static string ShortImage(string image)
    {
        var slash = image.LastIndexOf('/');
        return slash >= 0 && slash < image.Length - 1 ? image[(slash + 1)..] : image;
    }

    // ---- ECS ----

    private void AddTaskDefinitions()
    {
        var roles = _model.IamRoles;
        foreach (var td in _model.TaskDefinitions)
        {
            var tn = NodeOf(td.Resource, "taskdefinition");
            var containers = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
            foreach (var c in td.Containers) containers[c.Name] = ContainerNode(tn, c);
            RoleEdge(tn, td.ExecutionRoleArn, "execution role");
            RoleEdge(tn, td.TaskRoleArn, "task role");
            foreach (var use in TaskSecrets.Uses(td))
            {
                if (!containers.TryGetValue(use.Container.Name, out var cn)) continue;
                var source = TaskSecrets.Resolve(_model, use.ValueFrom, null);
                var name = source?.Name ?? (use.ValueFrom as ScalarNode)?.Value ?? use.ValueFrom.ToString() ?? "?";
                var label = use.Label.StartsWith("secret `", StringComparison.Ordinal) ? "secret " + use.Label["secret `".Length..use.Label.IndexOf('`', 8)] : "secret";
                var to = source?.Declared is { } declared ? NodeOf(declared, "aws-secret")
                    : External($"aws-secret:{SecretBase(name)}", "aws-secret", ShortSecret(name), source?.Kind is { } k ? $"{k} {name}" : name, tn);
                if (Edge(cn, to, label, source == null ? EdgeState.Unknown : EdgeState.Resolved, use.ValueFrom.Span) is { } edge)
                    _secretReferences.Add(new SecretReference(edge, use.ValueFrom, td));
            }
        }
    }

    /// <summary>A Secrets Manager ARN names one secret whatever JSON key (…:password::) is read from it.</summary>
    private static string SecretBase(string name)
    {
        var i = name.IndexOf(":secret:", StringComparison.Ordinal);
        if (i < 0) return name;
        var rest = name[(i + 8)..];
        var colon = rest.IndexOf(':');
        return name[..(i + 8)] + (colon >= 0 ? rest[..colon] : rest);
    }

    private static string ShortSecret(string name)
    {
        var b = SecretBase(name);
        var i = b.LastIndexOf(":secret:", StringComparison.Ordinal);
        if (i >= 0) return "secret " + b[(i + 8)..];
        var p = b.IndexOf(":parameter", StringComparison.Ordinal);
        return p >= 0 ? "parameter " + b[(p + 10)..] : b;
    }

    private void RoleEdge(GraphNode from, Node? roleRef, string label)
    {
        if (roleRef == null || roleRef is ScalarNode { IsNull: true }) return;
        var role = _model.IamRoles.Find(roleRef);
        var text = (roleRef as ScalarNode)?.Value ?? roleRef.ToString() ?? "?";
        if (role != null)
        {
            KeepRoleReference(Edge(from, NodeOf(role.Resource, "iam-role"), label, EdgeState.Resolved, roleRef.Span), text, mayBeMissing: true);
            return;
        }
        var name = text[(text.LastIndexOf('/') + 1)..];
        KeepRoleReference(Edge(from, External($"iam-role:{name}", "iam-role", $"role {name}", $"IAM role {text}", from), label, EdgeState.Unknown, roleRef.Span), text, mayBeMissing: true);
    }

    /// <param name="mayBeMissing">Whether the snapshot lacking the role breaks the reference (as live-role-missing says).</param>
    private void KeepRoleReference(GraphEdge? edge, string arn, bool mayBeMissing)
    {
        if (edge != null) _roleReferences.Add(new RoleReference(edge, arn, mayBeMissing));
    }

    // ---- IRSA: ServiceAccount -> role -> OIDC provider, and the ServiceAccounts the role trusts ----

    private void AddIrsa()
    {
        var facts = IrsaFacts.For(_model);
        foreach (var sa in facts.ServiceAccounts)
        {
            var san = NodeOf(sa.Resource, "serviceaccount");
            var declared = sa.BoundRole ?? facts.Role(sa.RoleName);
            var roleNode = declared != null ? RoleNode(declared) : External($"iam-role:{sa.RoleName}", "iam-role", $"role {sa.RoleName}", $"IAM role {sa.RoleArn}", san);
            KeepRoleReference(Edge(san, roleNode, "IRSA role", declared != null ? EdgeState.Resolved : EdgeState.Unknown, sa.Annotation.Span), sa.RoleArn,
                mayBeMissing: sa.BoundRole == null);
        }
        var providers = _model.OfKind("aws_iam_openid_connect_provider").Where(r => r.Family == ResourceFamily.Terraform && r.Address != null).ToList();
        foreach (var role in facts.Roles)
        {
            var rn = RoleNode(role);
            foreach (var trust in role.WebIdentity)
            {
                var declaredProvider = providers.FirstOrDefault(p => trust.Provider.Contains(p.Address!, StringComparison.Ordinal));
                var pn = declaredProvider != null ? NodeOf(declaredProvider, "oidc-provider")
                    : External($"oidc:{trust.Provider}", "oidc-provider", "OIDC " + trust.Provider[(trust.Provider.LastIndexOf('/') + 1)..], $"OIDC provider {trust.Provider}", rn);
                if (Edge(rn, pn, "trusts provider", declaredProvider != null ? EdgeState.Resolved : EdgeState.Unknown, trust.ProviderSpan ?? trust.Span) is { } edge)
                    _providerReferences.Add((edge, trust.Provider));
                foreach (var s in trust.Subjects)
                {
                    if (s.Namespace is not { } ns || s.Name is not { } name || s.IsPattern) continue;
                    var target = _model.Find("ServiceAccount", ns, name);
                    var to = target != null ? NodeOf(target) : External($"ServiceAccount/{ns}/{name}", "serviceaccount", $"ServiceAccount {name}", $"ServiceAccount {ns}/{name}", rn);
                    Edge(rn, to, "trusts", target != null || facts.ServiceAccountExists(ns, name) ? EdgeState.Resolved : EdgeState.Unknown, s.Span);
                }
            }
        }
    }

    private GraphNode RoleNode(IrsaRole role)
    {
        var declared = _model.IamRoles.FindByName(role.Name);
        if (declared != null) return NodeOf(declared.Resource, "iam-role");
        // A role made by a module call (terraform-aws-modules' IRSA module): the node is the module block.
        var id = $"iam-role:{role.Name}";
        return _byId.TryGetValue(id, out var n) ? n
            : Add(id, "iam-role", $"role {role.Name}", $"IAM role {role.Name} ({role.Source})", role.Anchor, false, role.Anchor.File,
                (TopFolder(role.Anchor.File), "aws " + Folder(role.Anchor.File), Folder(role.Anchor.File)));
    }

    // ---- IAM: roles and their policies ----

    private void AddRolePolicies()
    {
        foreach (var role in _model.IamRoles.All)
        {
            // Only roles something else in the graph uses (or that hold findings) are worth a box; policies hang off them.
            var rn = NodeOf(role.Resource, "iam-role");
            foreach (var p in role.Policies)
            {
                var name = p.Document.Name ?? p.Via;
                var pid = $"iam-policy:{name}";
                // A policy declared in the scan (aws_iam_role_policy.x) is its own resource's node; a managed policy gets one by name.
                var declared = _model.FindByAddress(p.Via, role.Resource.Scope) ?? (p.Document.Name is { } n ? _model.FindByAddress(n, role.Resource.Scope) : null);
                var pn = declared != null ? NodeOf(declared, "iam-policy")
                    : _byId.TryGetValue(pid, out var existing) ? existing
                    : Add(pid, "iam-policy", PolicyLabel(name), $"policy {name}", p.AttachedAt, false, p.AttachedAt.File, (rn.App, rn.Namespace, rn.Module));
                Edge(rn, pn, p.Via == "inline_policy" ? "inline policy" : "attached", EdgeState.Resolved, p.AttachedAt);
            }
        }
    }

    private static string PolicyLabel(string name)
    {
        if (name.StartsWith("arn:aws:iam::aws:policy/", StringComparison.Ordinal)) return name[(name.LastIndexOf('/') + 1)..];
        return name.Length > 48 ? name[..45] + "…" : name;
    }

    // ---- EventBridge and SQS ----

    private void AddEventsAndQueues()
    {
        var sqs = SqsFacts.For(_model);
        foreach (var q in sqs.Queues) NodeOf(q.Resource, "queue");
        foreach (var t in sqs.Targets)
        {
            var qn = NodeOf(t.Queue.Resource, "queue");
            var rule = t.Rule != null ? NodeOf(t.Rule, "event-rule")
                : External($"event-rule:{t.RuleDisplay}", "event-rule", "rule " + t.RuleDisplay, "EventBridge rule " + t.RuleDisplay, qn);
            Edge(rule, qn, "target", t.Rule != null ? EdgeState.Resolved : EdgeState.Unknown, t.ArnNode.Span);
        }
        if (sqs.Queues.Count == 0) return;
        // Roles whose identity policies name a queue: the consumers and producers.
        foreach (var role in _model.IamRoles.All)
            foreach (var p in role.Policies)
                foreach (var st in p.Document.Statements)
                {
                    if (st.Effect != StatementEffect.Allow || st.Resource == null) continue;
                    foreach (var q in sqs.Queues)
                    {
                        var names = st.Resource.References.Any(r => _model.ResolveRef(r)?.Resource == q.Resource)
                            || st.Resource.Values.Any(v => v.Value != "*" && SqsFacts.ResourceCovers(v.Value, q) == Applies.Yes);
                        if (!names) continue;
                        var actions = st.Action?.Values.Select(a => a.Value).Where(a => a.StartsWith("sqs:", StringComparison.OrdinalIgnoreCase)).ToList() ?? [];
                        Edge(NodeOf(role.Resource, "iam-role"), NodeOf(q.Resource, "queue"), actions.Count > 0 ? string.Join(", ", actions) : "policy names it",
                            EdgeState.Resolved, st.Span);
                    }
                }
    }

    // ---- network: ECS services and node groups -> subnets -> route tables -> NAT gateways, endpoints ----

    private void AddNetwork()
    {
        var net = _model.Network;
        var tableNodes = new Dictionary<RouteTable, GraphNode>();
        GraphNode TableNode(RouteTable t, GraphNode near)
        {
            if (tableNodes.TryGetValue(t, out var n)) return n;
            n = t.Resource != null ? NodeOf(t.Resource, "route-table")
                : External($"main-route-table:{t.Vpc?.Name}", "route-table", "main route table", t.Name, near) is var ext ? ext : null!;
            tableNodes[t] = n;
            foreach (var route in t.Routes)
            {
                if (route.Target is Egress.None) continue;
                var target = net.Resolve(t.Resource ?? t.Vpc!.Resource, route.Node is MapNode m ? (m["nat_gateway_id"] ?? m["gateway_id"] ?? m["natGatewayId"] ?? m["gatewayId"]) : route.Node);
                var gn = target is { } hit ? NodeOf(hit.Resource, "gateway")
                    : External($"gateway:{t.Name}:{route.Target}", "gateway", route.Target.ToString(), $"{route.Target} of {t.Name}", n);
                Edge(n, gn, $"{route.Destination} → {route.Target}", target != null ? EdgeState.Resolved : EdgeState.Unknown, route.Node.Span);
            }
            return n;
        }
        foreach (var subnet in net.Subnets)
        {
            var sn = NodeOf(subnet.Resource, "subnet");
            var table = net.RouteTableOf(subnet);
            if (table == null) continue;
            var tn = TableNode(table, sn);
            Edge(sn, tn, subnet.Associated != null ? "associated" : "main route table (no association)", EdgeState.Resolved,
                subnet.Associated?.Resource?.Anchor ?? subnet.Resource.Anchor);
        }
        // Every declared route table with its routes, also one no subnet uses (the NAT table D3's subnets should have been given).
        foreach (var t in net.RouteTables)
            if (t.Resource != null) TableNode(t, NodeOf(t.Resource, "route-table"));
        foreach (var vpc in net.Vpcs)
            foreach (var e in vpc.Endpoints)
            {
                var en = NodeOf(e.Resource, "endpoint");
                foreach (var t in e.RouteTables) Edge(TableNode(t, en), en, "endpoint " + (e.Service ?? ""), EdgeState.Resolved, e.Resource.Anchor);
            }
        foreach (var owner in net.Of("aws_ecs_service").Concat(net.Of("aws_eks_node_group")))
        {
            var on = NodeOf(owner);
            var list = NetworkTopology.Get(owner, owner.Body, "network_configuration") is SeqNode nc && nc.Maps.FirstOrDefault() is { } first
                ? NetworkTopology.Get(owner, first, "subnets")
                : NetworkTopology.Get(owner, owner.Body, "network_configuration") is MapNode ncm ? NetworkTopology.Get(owner, ncm, "subnets") : NetworkTopology.Get(owner, owner.Body, "subnet_ids");
            foreach (var item in (list as SeqNode)?.Items ?? [])
                if (net.SubnetFor(owner, item) is { } s) Edge(on, NodeOf(s.Resource, "subnet"), "runs in", EdgeState.Resolved, item.Span);
            if (net.Resolve(owner, NetworkTopology.Get(owner, owner.Body, "task_definition")) is { } td)
                Edge(on, NodeOf(td.Resource, "taskdefinition"), "runs", EdgeState.Resolved, NetworkTopology.Get(owner, owner.Body, "task_definition")?.Span);
        }
    }

    // ---- every other resource of a kind we draw, and references between Terraform resources the model resolves ----

    private void AddTerraformResources()
    {
        foreach (var r in _model.Resources)
        {
            if (r.Family == ResourceFamily.Kubernetes || KindOf(r) is not { } kind) continue;
            if (r.Address != null && IrsaFacts.IsData(r)) continue;
            NodeOf(r, kind);
        }
    }
}
