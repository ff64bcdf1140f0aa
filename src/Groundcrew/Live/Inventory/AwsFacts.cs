using System.Text.Json.Nodes;

namespace Groundcrew.Live.Inventory;

/// <summary>The AWS side of a snapshot. Policy documents are kept as the JSON AWS returned (decoded).</summary>
public sealed class AwsFacts : System.Text.Json.Serialization.IJsonOnDeserialized
{
    public List<IamRoleFact> Roles { get; set; } = [];
    public List<string> OidcProviders { get; set; } = [];
    public List<SecretFact> Secrets { get; set; } = [];
    public List<string> SsmParameters { get; set; } = [];
    public List<KmsKeyFact> KmsKeys { get; set; } = [];
    public List<EcrRepositoryFact> EcrRepositories { get; set; } = [];
    public List<JsonObject> Vpcs { get; set; } = [];
    public List<SubnetFact> Subnets { get; set; } = [];
    public List<RouteTableFact> RouteTables { get; set; } = [];
    public List<string> NatGateways { get; set; } = [];
    public List<string> InternetGateways { get; set; } = [];
    public List<VpcEndpointFact> VpcEndpoints { get; set; } = [];
    public List<JsonObject> SecurityGroups { get; set; } = [];
    public List<EcsClusterFact> EcsClusters { get; set; } = [];
    public List<TaskDefinitionFact> TaskDefinitions { get; set; } = [];
    public List<EksClusterFact> EksClusters { get; set; } = [];
    public List<QueueFact> Queues { get; set; } = [];
    public List<EventRuleFact> EventRules { get; set; } = [];
    public List<JsonObject> LoadBalancers { get; set; } = [];
    public List<JsonObject> TargetGroups { get; set; } = [];
    /// <summary>
    /// AWS's policy simulator decisions for the execution roles of registered task definitions; null (and not written)
    /// in snapshots from before the collector asked for them, so those files load and write back unchanged.
    /// </summary>
    public List<SimulationFact>? Simulations { get; set; }
    /// <summary>
    /// The tags of the kinds whose own answers carry none (ECR repositories, SQS queues, ECS services, load balancers,
    /// target groups, security groups), by ARN, from one `resourcegroupstaggingapi get-resources` call; untagged
    /// resources are left out. Null (and not written) in snapshots from before the collector asked, or when the call was
    /// refused ("tagging.resources" is then not collected).
    /// </summary>
    public Dictionary<string, Dictionary<string, string>>? ResourceTags { get; set; }

    /// <summary>
    /// The tags <see cref="ResourceTags"/> holds for the resource whose ARN ends in <paramref name="arnSuffix"/> (a whole
    /// ARN, or `:repository/NAME`), the first such ARN in the map's order (null: none known). Rules ask once per live
    /// resource, so the ARNs are indexed by their text after the last ':' (an ARN ending in a suffix that holds a ':' has the
    /// same last part): a scan per question would be quadratic on a large account.
    /// </summary>
    public Dictionary<string, string>? TagsEndingIn(string arnSuffix)
    {
        if (ResourceTags is not { } tags) return null;
        var colon = arnSuffix.LastIndexOf(':');
        if (colon < 0) return tags.FirstOrDefault(kv => kv.Key.EndsWith(arnSuffix, StringComparison.Ordinal)).Value;
        if (_tagsByLastPart == null || !ReferenceEquals(_tagsIndexed, tags) || _tagsIndexedCount != tags.Count)
        {
            _tagsByLastPart = tags.GroupBy(kv => kv.Key[(kv.Key.LastIndexOf(':') + 1)..], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            (_tagsIndexed, _tagsIndexedCount) = (tags, tags.Count);
        }
        return _tagsByLastPart.TryGetValue(arnSuffix[(colon + 1)..], out var candidates)
            ? candidates.FirstOrDefault(kv => kv.Key.EndsWith(arnSuffix, StringComparison.Ordinal)).Value : null;
    }

    private Dictionary<string, List<KeyValuePair<string, Dictionary<string, string>>>>? _tagsByLastPart;
    private Dictionary<string, Dictionary<string, string>>? _tagsIndexed;
    private int _tagsIndexedCount;

    /// <summary>
    /// The simulator's decision for one call (the first recorded), or null when it was not simulated. Indexed on first use:
    /// the rule asks once per (role, action, resource), which a scan per question would make quadratic.
    /// </summary>
    public SimulationFact? Simulated(string roleArn, string action, string resource)
    {
        if (Simulations is not { } simulations) return null;
        if (_simulationByCall == null || !ReferenceEquals(_simulationsIndexed, simulations) || _simulationsIndexedCount != simulations.Count)
        {
            _simulationByCall = new Dictionary<(string, string, string), SimulationFact>();
            foreach (var s in simulations) _simulationByCall.TryAdd((s.RoleArn, s.Action, s.Resource), s);
            (_simulationsIndexed, _simulationsIndexedCount) = (simulations, simulations.Count);
        }
        return _simulationByCall.GetValueOrDefault((roleArn, action, resource));
    }

    private Dictionary<(string, string, string), SimulationFact>? _simulationByCall;
    private List<SimulationFact>? _simulationsIndexed;
    private int _simulationsIndexedCount;

    /// <summary>
    /// The role with this ARN, else the role with this name (the last part of a role ARN, or the text as given): the first
    /// in <see cref="Roles"/>' order. Indexed on first use, as above: rules and the graph ask once per service account,
    /// task definition or role, which a scan per question would make quadratic on a large account.
    /// </summary>
    public IamRoleFact? RoleByArnOrName(string arnOrName)
    {
        var name = arnOrName.Contains(":role/") ? arnOrName[(arnOrName.LastIndexOf('/') + 1)..] : arnOrName;
        var index = _roleIndex;
        if (index == null || !ReferenceEquals(index.Roles, Roles) || index.Count != Roles.Count)
            _roleIndex = index = new RoleIndex(Roles);
        return index.ByArn.GetValueOrDefault(arnOrName) ?? index.ByName.GetValueOrDefault(name);
    }

    // One object, so rules asking from several threads see a whole index (a race only builds the same one twice). Rebuilt
    // when the list or its length changes; the collector sorts its roles before anything asks.
    private RoleIndex? _roleIndex;

    private sealed class RoleIndex
    {
        public RoleIndex(List<IamRoleFact> roles)
        {
            (Roles, Count) = (roles, roles.Count);
            foreach (var r in roles)
            {
                if (r.Arn != null) ByArn.TryAdd(r.Arn, r);
                if (r.Name != null) ByName.TryAdd(r.Name, r);
            }
        }

        public List<IamRoleFact> Roles { get; }
        public int Count { get; }
        public Dictionary<string, IamRoleFact> ByArn { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, IamRoleFact> ByName { get; } = new(StringComparer.Ordinal);
    }

    // A `null` list in the file means none (the earlier reader ignored nulls): rules never meet a null list.
    void System.Text.Json.Serialization.IJsonOnDeserialized.OnDeserialized()
    {
        Roles ??= [];
        OidcProviders ??= [];
        Secrets ??= [];
        SsmParameters ??= [];
        KmsKeys ??= [];
        EcrRepositories ??= [];
        Vpcs ??= [];
        Subnets ??= [];
        RouteTables ??= [];
        NatGateways ??= [];
        InternetGateways ??= [];
        VpcEndpoints ??= [];
        SecurityGroups ??= [];
        EcsClusters ??= [];
        TaskDefinitions ??= [];
        EksClusters ??= [];
        Queues ??= [];
        EventRules ??= [];
        LoadBalancers ??= [];
        TargetGroups ??= [];
    }
}

public sealed record IamRoleFact(string Name, string Arn, JsonNode? TrustPolicy, List<NamedPolicy> Policies)
{
    /// <summary>The role's tags as IAM returns them (live-resource-not-in-state ties resources to a stack by them); null in older snapshots.</summary>
    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>An inline policy (Arn null) or an attached managed policy with its default version's document.</summary>
public sealed record NamedPolicy(string Name, string? Arn, JsonNode? Document);

public sealed record SecretFact(string Name, string Arn, string? KmsKeyId, DateTimeOffset? LastChangedDate)
{
    /// <summary>Top-level JSON key names of the secret's value: only with --read-secret-keys, never the values.</summary>
    public List<string>? KeyNames { get; set; }
    /// <summary>Keys whose value looks like a placeholder (`&lt;your-...&gt;`, `changeme`) and the pattern class that matched: only with --read-secret-values, never the value.</summary>
    public List<PlaceholderFact>? Placeholders { get; set; }
    /// <summary>The secret's tags as list-secrets returns them; null in older snapshots.</summary>
    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>A secret's key (null: the whole value, when it is not JSON) whose value looks like a placeholder, and the placeholders.yaml pattern class it matched.</summary>
public sealed record PlaceholderFact(string? Key, string Pattern);

public sealed record KmsKeyFact(string KeyId, string? Arn, JsonNode? Policy);

public sealed record EcrRepositoryFact(string Name, string Uri, List<EcrImageFact> Images);

public sealed record EcrImageFact(string Digest, List<string> Tags, List<string>? Platforms);

public sealed record SubnetFact(string Id, string VpcId, bool MapPublicIpOnLaunch, string? AvailabilityZone);

public sealed record RouteTableFact(string Id, string VpcId, bool Main, List<string> SubnetIds, List<RouteFact> Routes);

public sealed record RouteFact(string Destination, string? Target, string? State);

public sealed record VpcEndpointFact(string Id, string ServiceName, string Type, List<string> RouteTableIds, List<string> SubnetIds);

public sealed record EcsClusterFact(string Name, string Arn, List<EcsServiceFact> Services);

public sealed record EcsServiceFact(string Name, string TaskDefinition, int DesiredCount, int RunningCount, List<string> Subnets, bool AssignPublicIp, JsonArray? Deployments);

/// <summary>A registered revision, as `ecs describe-task-definition` returns its taskDefinition.</summary>
public sealed record TaskDefinitionFact(string Family, int Revision, string Arn, JsonObject Definition);

public sealed record EksClusterFact(string Name, string? OidcIssuer, List<NodeGroupFact> NodeGroups);

public sealed record NodeGroupFact(string Name, List<string> InstanceTypes, string? AmiType);

public sealed record QueueFact(string Url, string Name, string? Arn, int MessagesVisible, JsonNode? Policy);

public sealed record EventRuleFact(string Name, string Arn, List<string> TargetArns);

/// <summary>
/// One answer of `iam simulate-principal-policy`: whether <see cref="RoleArn"/>'s policies allow <see cref="Action"/> on
/// <see cref="Resource"/>, as AWS's policy simulator decided it (`allowed`, `implicitDeny` or `explicitDeny`).
/// </summary>
public sealed record SimulationFact(string RoleArn, string Action, string Resource, string Decision)
{
    [System.Text.Json.Serialization.JsonIgnore] public bool Allowed => Decision == "allowed";
}
