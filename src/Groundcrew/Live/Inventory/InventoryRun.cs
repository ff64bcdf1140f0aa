namespace Groundcrew.Live.Inventory;

/// <summary>What to collect: the AWS side, the cluster side, or both, and how.</summary>
public sealed record InventoryRequest(
    AwsTarget? Aws, IReadOnlyList<string> Regions, ClusterTarget? Kube, IReadOnlyList<string> Namespaces,
    bool ReadSecretKeys = false, bool ReadSecretValues = false, TimeSpan? CallTimeout = null, int Parallel = 6);

/// <summary>Collects one snapshot: both sides at once, each call bounded, every failure recorded in the snapshot.</summary>
public static class InventoryRun
{
    public static async Task<Snapshot> CollectAsync(InventoryRequest request, ICommandRunner runner, Action<string>? progress = null, CancellationToken ct = default)
    {
        var limited = new ConcurrencyLimit(runner, Math.Max(1, request.Parallel));
        var snapshot = new Snapshot { TakenAt = DateTimeOffset.UtcNow };
        var tasks = new List<Task>();
        if (request.Aws is { } awsTarget)
        {
            IReadOnlyList<string?> regions = request.Regions.Count > 0 ? [.. request.Regions] : [awsTarget.Region];
            snapshot.Aws = new AwsFacts();
            tasks.Add(Task.Run(async () =>
            {
                string? account = null;
                // IAM is global: the first region's collector reads it; the others skip nothing else.
                foreach (var region in regions.Distinct())
                {
                    var aws = new AwsCli(limited, awsTarget with { Region = region }, request.CallTimeout);
                    var collector = new AwsInventoryCollector(aws, progress) { ReadSecretKeys = request.ReadSecretKeys, ReadSecretValues = request.ReadSecretValues };
                    var (facts, acct) = await collector.CollectAsync(ct);
                    account ??= acct;
                    Merge(snapshot.Aws, facts, first: ReferenceEquals(region, regions.Distinct().First()));
                    lock (snapshot.NotCollected) snapshot.NotCollected.AddRange(collector.Missing.OrderBy(m => m.Part, StringComparer.Ordinal));
                }
                snapshot.Sources.Aws = new AwsSource(account, regions.OfType<string>().ToList(), awsTarget.Profile, awsTarget.EndpointUrl);
            }, ct));
        }
        if (request.Kube is { } kubeTarget)
        {
            tasks.Add(Task.Run(async () =>
            {
                var collector = new ClusterInventoryCollector(new Kubectl(limited, kubeTarget, request.CallTimeout), request.Namespaces, progress) { ReadSecretValues = request.ReadSecretValues };
                snapshot.Kube = await collector.CollectAsync(ct);
                lock (snapshot.NotCollected) snapshot.NotCollected.AddRange(collector.Missing.OrderBy(m => m.Part, StringComparer.Ordinal));
                snapshot.Sources.Kube = new KubeSource(kubeTarget.Context, kubeTarget.Kubeconfig, request.Namespaces.Count > 0 ? request.Namespaces : null);
            }, ct));
        }
        await Task.WhenAll(tasks);
        snapshot.NotCollected.Sort((a, b) => string.CompareOrdinal(a.Part, b.Part));
        return snapshot;
    }

    private static void Merge(AwsFacts into, AwsFacts from, bool first)
    {
        if (first) { into.Roles.AddRange(from.Roles); into.OidcProviders.AddRange(from.OidcProviders); }
        into.Secrets.AddRange(from.Secrets); into.SsmParameters.AddRange(from.SsmParameters); into.KmsKeys.AddRange(from.KmsKeys);
        into.EcrRepositories.AddRange(from.EcrRepositories); into.Vpcs.AddRange(from.Vpcs); into.Subnets.AddRange(from.Subnets);
        into.RouteTables.AddRange(from.RouteTables); into.NatGateways.AddRange(from.NatGateways); into.InternetGateways.AddRange(from.InternetGateways);
        into.VpcEndpoints.AddRange(from.VpcEndpoints); into.SecurityGroups.AddRange(from.SecurityGroups); into.EcsClusters.AddRange(from.EcsClusters);
        into.TaskDefinitions.AddRange(from.TaskDefinitions); into.EksClusters.AddRange(from.EksClusters); into.Queues.AddRange(from.Queues);
        into.EventRules.AddRange(from.EventRules); into.LoadBalancers.AddRange(from.LoadBalancers); into.TargetGroups.AddRange(from.TargetGroups);
        if (from.Simulations != null) (into.Simulations ??= []).AddRange(from.Simulations);
        if (from.ResourceTags != null)
            foreach (var (arn, tags) in from.ResourceTags) (into.ResourceTags ??= new(StringComparer.Ordinal))[arn] = tags;
    }
}
