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
    private readonly Dictionary<(string Kind, string? Ns, string Name), List<Resource>> _byIdentity = new();
    private readonly Dictionary<string, List<Resource>> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kind, string? Ns, string Name), KeyProvider> _keyProviders = new();
    private readonly Dictionary<string, Resource> _byAddress = new(StringComparer.Ordinal);

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
    /// <summary>Every Dockerfile scanned (see Load.AppContractLoader).</summary>
    public IReadOnlyList<Load.Dockerfile.DockerfileDocument> Dockerfiles { get; init; } = [];
    /// <summary>Application folders (Dockerfile or package-manifest folders), their source scanned on first use.</summary>
    public IReadOnlyList<AppFolder> Apps { get; init; } = [];
    /// <summary>Image builds found in CI workflows, shell scripts, Makefiles and package.json scripts (see Load.Builds.BuildCommands).</summary>
    public IReadOnlyList<Load.Builds.BuildCommand> Builds { get; init; } = [];
    /// <summary>`.groundcrew.yaml` `platform:` (linux/amd64) and where it is written, when the config sets it.</summary>
    public ConfiguredPlatform? ConfiguredPlatform { get; init; }
    /// <summary>CPU architecture facts of node groups, NodePools, pinned workloads and task definitions, inferred once on first use.</summary>
    public ArchitectureFacts Architectures => _architectures.Value;
    private readonly Lazy<ArchitectureFacts> _architectures;
    /// <summary>True when the config says the scanned files are the whole deployment: unknown targets count as missing.</summary>
    public bool Complete { get; }

    public DeploymentModel(string root, IReadOnlyList<Resource> resources, IReadOnlyList<OtherDocument> otherDocuments, bool complete)
    {
        Root = root;
        _architectures = new Lazy<ArchitectureFacts>(() => new ArchitectureFacts(this));
        Resources = resources;
        OtherDocuments = otherDocuments;
        Complete = complete;
        foreach (var r in resources)
        {
            Add(_byIdentity, (r.Kind, r.Namespace, r.Name), r);
            if (r.Address != null) _byAddress.TryAdd(r.Address, r);
            if (!_byKind.TryGetValue(r.Kind, out var list)) _byKind[r.Kind] = list = new List<Resource>();
            list.Add(r);
            foreach (var (kind, name, provider) in KeyProvider.From(r))
            {
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
        _byIdentity.TryGetValue((kind, KubeKinds.IsClusterScoped(kind) ? null : ns, name), out var l) ? l[0] : null;

    public KeyProvider? FindKeyProvider(string kind, string? ns, string name) =>
        _keyProviders.GetValueOrDefault((kind, ns, name));

    private Aws.IamRoleIndex? _iamRoles;
    /// <summary>The IAM roles declared in the scanned Terraform/Pulumi code with their trust and attached policies (built on first use).</summary>
    public Aws.IamRoleIndex IamRoles => LazyInitializer.EnsureInitialized(ref _iamRoles, () => Aws.IamRoleIndex.Build(this));

    /// <summary>A Terraform-loaded resource by its module-prefixed address (<c>aws_iam_role.execution</c>).</summary>
    public Resource? FindByAddress(string address) => _byAddress.GetValueOrDefault(address);

    /// <summary>
    /// The resource a symbolic Terraform reference names and the attribute path read from it:
    /// <c>module.db.aws_db_instance.main.master_user_secret[0].secret_arn</c> gives the aws_db_instance and
    /// <c>master_user_secret[0].secret_arn</c>. Null when no scanned resource has that address.
    /// </summary>
    public (Resource Resource, string Attribute)? ResolveRef(string? reference)
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
            else if (c == '.' && depth == 0 && _byAddress.TryGetValue(reference[..i], out var r))
                best = (r, reference[(i + 1)..]); // the longest address wins
        }
        return best;
    }

    /// <summary>Whether any resource of this family was loaded at all (a rule about Secrets says nothing when no Secret was scanned).</summary>
    public bool HasAny(string kind) => _byKind.ContainsKey(kind);
}
