namespace Groundcrew.Live.Inventory;

/// <summary>The cluster side of a snapshot: names, key names, versions and times, never a Secret's data.</summary>
public sealed class KubeFacts : System.Text.Json.Serialization.IJsonOnDeserialized
{
    public List<string> Namespaces { get; set; } = [];
    public List<ServiceAccountFact> ServiceAccounts { get; set; } = [];
    public List<KeyedObjectFact> Secrets { get; set; } = [];
    public List<KeyedObjectFact> ConfigMaps { get; set; } = [];
    public List<WorkloadFact> Workloads { get; set; } = [];
    public List<PodFact> Pods { get; set; } = [];
    public List<HpaFact> Hpas { get; set; } = [];
    public List<PdbFact> Pdbs { get; set; } = [];
    public List<NodeFact> Nodes { get; set; } = [];

    // A `null` list in the file means none (the earlier reader ignored nulls): rules never meet a null list.
    void System.Text.Json.Serialization.IJsonOnDeserialized.OnDeserialized()
    {
        Namespaces ??= [];
        ServiceAccounts ??= [];
        Secrets ??= [];
        ConfigMaps ??= [];
        Workloads ??= [];
        Pods ??= [];
        Hpas ??= [];
        Pdbs ??= [];
        Nodes ??= [];
    }
}

public sealed record ServiceAccountFact(string Namespace, string Name, string? RoleArn);

/// <summary>A Secret or ConfigMap: its key names, resourceVersion and the time of its last change (managedFields).</summary>
public sealed record KeyedObjectFact(string Namespace, string Name, List<string> Keys, string? ResourceVersion, DateTimeOffset? LastChange)
{
    /// <summary>A Secret's keys whose value looks like a placeholder, with the pattern class: only with --read-secret-values, never the value.</summary>
    public List<PlaceholderFact>? Placeholders { get; set; }
}

public sealed record WorkloadFact(string Kind, string Namespace, string Name, int? Replicas, Dictionary<string, string> SelectorLabels,
    List<string> EnvSecrets, List<string> EnvConfigMaps);

public sealed record PodFact(string Namespace, string Name, string? Owner, DateTimeOffset? StartTime, string? Phase, int Restarts,
    List<PodImageFact> Images, List<string> EnvSecrets, List<string> EnvConfigMaps);

public sealed record PodImageFact(string Container, string Image, string? ImageId);

public sealed record HpaFact(string Namespace, string Name, string TargetKind, string TargetName, int? MinReplicas, int MaxReplicas);

public sealed record PdbFact(string Namespace, string Name, string? MinAvailable, string? MaxUnavailable, Dictionary<string, string> SelectorLabels);

public sealed record NodeFact(string Name, string? Architecture, string? InstanceType);
