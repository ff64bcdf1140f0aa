using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>A structured document that is not a resource we model (workflow, compose file, values file): kept for later rules.</summary>
public sealed record OtherDocument(string File, Node Root);

/// <summary>The repository-wide target platform from `.groundcrew.yaml` (`platform: linux/amd64`).</summary>
public sealed record ConfiguredPlatform(string Value, CpuArch Arch, SourceSpan Span);

/// <summary>
/// Everything loaded from every format, indexed once: by kind, by (kind, namespace, name), workloads and
/// ECS task definitions pre-extracted, and all references between resources resolved. Rules read only this.
/// </summary>
public sealed class DeploymentModel
{
    /// <summary>The first resource of each identity (Find's answer): no list per resource.</summary>
    private readonly Dictionary<(string Kind, string? Ns, string Name), Resource> _byIdentity = new();
    private readonly Dictionary<string, List<Resource>> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kind, string? Ns, string Name), KeyProvider> _keyProviders = new();
    /// <summary>Addresses are unique within a scope (a Terraform root module, a CloudFormation template), not across a repository.</summary>
    private readonly Dictionary<(string? Scope, string Address), Resource> _byScopedAddress = new();
    /// <summary>Address alone: null marks an address declared in more than one scope (ambiguous without one).</summary>
    private readonly Dictionary<string, Resource?> _byAddress = new(StringComparer.Ordinal);

    public string Root { get; }
    public IReadOnlyList<Resource> Resources { get; }
    public IReadOnlyList<Workload> Workloads { get; }
    public IReadOnlyList<EcsTaskDefinition> TaskDefinitions { get; }
    public IReadOnlyList<OtherDocument> OtherDocuments { get; }
    public IReadOnlyList<Reference> References { get; }
    /// <summary>Files and folders that could not be read (fully), and Kustomize builds that failed.</summary>
    public IReadOnlyList<InputProblem> InputProblems { get; init; } = [];
    /// <summary>Inline `groundcrew:ignore` comments and annotations.</summary>
    public Load.Suppressions Suppressions { get; init; } = new();
    /// <summary>Task definitions as they were at the --base revision, keyed by display path of the file.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EcsTaskDefinition>> PreviousTaskDefinitions { get; init; } = new Dictionary<string, IReadOnlyList<EcsTaskDefinition>>();
    public string? BaseRevision { get; init; }
    /// <summary>The live snapshot (`check --inventory FILE` / `--live`), or null: live rules are silent without it.</summary>
    public Live.Inventory.Snapshot? Inventory { get; init; }
    /// <summary>Every Dockerfile scanned (see Load.AppContractLoader).</summary>
    public IReadOnlyList<Load.Dockerfile.DockerfileDocument> Dockerfiles { get; init; } = [];
    /// <summary>Application folders (Dockerfile or package-manifest folders), their source scanned on first use.</summary>
    public IReadOnlyList<AppFolder> Apps { get; init; } = [];
    /// <summary>Image builds found in CI workflows, shell scripts, Makefiles and package.json scripts (see Load.Builds.BuildCommands).</summary>
    public IReadOnlyList<Load.Builds.BuildCommand> Builds { get; init; } = [];
    /// <summary>Images that skaffold, Tilt and buildx bake files build from a folder (ties apps to containers).</summary>
    public IReadOnlyList<Load.Builds.ImageSource> ImageSources { get; init; } = [];
    /// <summary>
    /// amazon-ecs-render-task-definition steps of the scanned GitHub workflows: which task definition file's containers get
    /// their image (env, secrets, command, roles) from the workflow at deploy time. Read from <see cref="OtherDocuments"/> on first use.
    /// </summary>
    /// <summary>amazon-ecs-deploy-task-definition steps: which task definition file each deploys to which service (ties services to task definitions).</summary>
    public IReadOnlyList<Load.Builds.TaskDefinitionDeploy> TaskDefinitionDeploys => LazyInitializer.EnsureInitialized(ref _deploys,
        () => OtherDocuments.Where(d => Load.Builds.TaskDefinitionRenders.IsGitHubWorkflow(d.File))
            .SelectMany(d => Load.Builds.TaskDefinitionRenders.ParseDeploys(d.File, d.Root)).ToList());
    private IReadOnlyList<Load.Builds.TaskDefinitionDeploy>? _deploys;

    public IReadOnlyList<Load.Builds.TaskDefinitionRender> TaskDefinitionRenders => LazyInitializer.EnsureInitialized(ref _renders,
        () => OtherDocuments.Where(d => Load.Builds.TaskDefinitionRenders.IsGitHubWorkflow(d.File))
            .SelectMany(d => Load.Builds.TaskDefinitionRenders.Parse(d.File, d.Root)).ToList());
    private IReadOnlyList<Load.Builds.TaskDefinitionRender>? _renders;
    /// <summary>`.groundcrew.yaml` `platform:` (linux/amd64) and where it is written, when the config sets it.</summary>
    public ConfiguredPlatform? ConfiguredPlatform { get; init; }
    /// <summary>CPU architecture facts of node groups, NodePools, pinned workloads and task definitions, inferred once on first use.</summary>
    public ArchitectureFacts Architectures => _architectures.Value;
    private readonly Lazy<ArchitectureFacts> _architectures;
    /// <summary>Terraform resources left out because their count or for_each is unknown.</summary>
    public IReadOnlyList<Load.Terraform.UnexpandedResource> UnexpandedTerraform { get; init; } = [];
    private Aws.NetworkTopology? _network;
    /// <summary>VPCs, subnets, route tables and endpoints declared in the scanned Terraform, built on first use.</summary>
    public Aws.NetworkTopology Network => LazyInitializer.EnsureInitialized(ref _network, () => new Aws.NetworkTopology(this));
    /// <summary>True when the config says the scanned files are the whole deployment: unknown targets count as missing.</summary>
    public bool Complete { get; }

    public DeploymentModel(string root, IReadOnlyList<Resource> resources, IReadOnlyList<OtherDocument> otherDocuments, bool complete)
    {
        Root = root;
        _architectures = new Lazy<ArchitectureFacts>(() => new ArchitectureFacts(this));
        Resources = resources;
        OtherDocuments = otherDocuments;
        Complete = complete;
        _byIdentity.EnsureCapacity(resources.Count);
        foreach (var r in resources)
        {
            _byIdentity.TryAdd((r.Kind, r.Namespace, r.Name), r);
            if (r.Address != null && _byScopedAddress.TryAdd((r.Scope, r.Address), r))
                _byAddress[r.Address] = _byAddress.ContainsKey(r.Address) ? null : r;
            if (!_byKind.TryGetValue(r.Kind, out var list)) _byKind[r.Kind] = list = new List<Resource>();
            list.Add(r);
            foreach (var (kind, name, provider) in KeyProvider.From(r))
            {
                _allKeyProviders.Add((kind, name, provider));
                // A real Secret beats a controller's promise of one; otherwise the first definition wins.
                var key = (kind, provider.Namespace ?? r.Namespace, name);
                if (!_keyProviders.TryGetValue(key, out var existing) || (existing.Source.Kind != kind && r.Kind == kind))
                    _keyProviders[key] = provider;
            }
        }
        Workloads = resources.Select(Workload.From).OfType<Workload>().ToList();
        TaskDefinitions = resources.Where(r => r.Family == ResourceFamily.EcsTaskDefinition).Select(r => new EcsTaskDefinition(r)).ToList();
        References = new ReferenceResolver(this).ResolveAll();
    }

    private static void Add<TKey>(Dictionary<TKey, List<Resource>> d, TKey key, Resource r) where TKey : notnull
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = new List<Resource>(1);
        list.Add(r);
    }

    public IReadOnlyList<Resource> OfKind(string kind) => _byKind.TryGetValue(kind, out var l) ? l : [];

    public IEnumerable<Resource> OfKinds(params string[] kinds) => kinds.SelectMany(OfKind);

    public Resource? Find(string kind, string? ns, string name) =>
        _byIdentity.GetValueOrDefault((kind, KubeKinds.IsClusterScoped(kind) ? null : ns, name));

    public KeyProvider? FindKeyProvider(string kind, string? ns, string name) =>
        _keyProviders.GetValueOrDefault((kind, ns, name));

    /// <summary>
    /// Every provider of a Secret or ConfigMap (kind and name of the object it provides), in the order of the resources,
    /// not only the one <see cref="FindKeyProvider"/> keeps: same-named objects of several Kustomize overlays all appear.
    /// </summary>
    public IReadOnlyList<(string Kind, string Name, KeyProvider Provider)> AllKeyProviders => _allKeyProviders;
    private readonly List<(string Kind, string Name, KeyProvider Provider)> _allKeyProviders = new();

    private Aws.IamRoleIndex? _iamRoles;
    /// <summary>The IAM roles declared in the scanned Terraform/Pulumi code with their trust and attached policies (built on first use).</summary>
    public Aws.IamRoleIndex IamRoles => LazyInitializer.EnsureInitialized(ref _iamRoles, () => Aws.IamRoleIndex.Build(this));

    /// <summary>
    /// A Terraform (or CloudFormation) resource by its module-prefixed address (<c>aws_iam_role.execution</c>) or
    /// logical id. Without a scope, null when several root modules or templates declare that address.
    /// </summary>
    public Resource? FindByAddress(string address, string? scope = null) =>
        scope != null ? _byScopedAddress.GetValueOrDefault((scope, address)) : _byAddress.GetValueOrDefault(address);

    /// <summary>The resource an unknown value stands for, looked up in the scope it was evaluated in (see <see cref="ResolveRef(string?, string?)"/>).</summary>
    public (Resource Resource, string Attribute)? ResolveRef(Load.Terraform.UnknownNode? node) =>
        node?.Ref == null ? null : ResolveRef(node.Ref, node.Scope);

    /// <summary>
    /// The resource a symbolic reference names and the attribute path read from it:
    /// <c>module.db.aws_db_instance.main.master_user_secret[0].secret_arn</c> gives the aws_db_instance and
    /// <c>master_user_secret[0].secret_arn</c>; CloudFormation's <c>ExecRole.Arn</c> gives ExecRole and <c>Arn</c>,
    /// and <c>ExecRole</c> (a Ref) gives ExecRole and "". Null when no scanned resource has that address (or, without
    /// a scope, when the address is declared in several root modules or templates).
    /// </summary>
    public (Resource Resource, string Attribute)? ResolveRef(string? reference, string? scope = null)
    {
        if (string.IsNullOrEmpty(reference) || _byAddress.Count == 0) return null;
        (Resource, string)? best = null;
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < reference.Length; i++)
        {
            var c = reference[i];
            if (c == '"' && (i == 0 || reference[i - 1] != '\\')) quoted = !quoted;
            if (quoted) continue;
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == '.' && depth == 0 && FindByAddress(reference[..i], scope) is { } r)
                best = (r, reference[(i + 1)..]); // the longest address wins
        }
        // A reference to the resource itself (CloudFormation's Ref LogicalId).
        if (FindByAddress(reference, scope) is { } whole) return (whole, "");
        return best;
    }

    /// <summary>Whether any resource of this family was loaded at all (a rule about Secrets says nothing when no Secret was scanned).</summary>
    public bool HasAny(string kind) => _byKind.ContainsKey(kind);
}
