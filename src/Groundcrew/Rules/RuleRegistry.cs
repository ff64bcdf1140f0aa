namespace Groundcrew.Rules;

/// <summary>
/// Every rule, listed by hand. Not found by reflection: the native (AOT) build trims away types nothing names,
/// and a list is faster to start. Adding a rule is adding its file and one line here, kept in folder/name order;
/// RuleRegistryTests fails when a rule class is missing from the list.
/// </summary>
public static class RuleRegistry
{
    private static readonly Lazy<IReadOnlyList<Rule>> All = new(() =>
        Create().OrderBy(r => r.Id, StringComparer.Ordinal).ToList());

    private static Rule[] Create() =>
    [
        new App.MongooseEnumWithoutType(),
        new App.NestStringTokenWithoutInject(),
        new App.PrismaMigrationsNotApplied(),
        new App.RequiredEnvMissing(),
        new App.SecretKeyNotInSecret(),
        new App.SecretValueUsedAsSecretId(),
        new App.UnmetPeerDependency(),
        new Docker.NpxUnpinned(),
        new Docker.PnpmNodeModulesSplit(),
        new Ecs.EcsDuplicateEnvName(),
        new Ecs.EcsRevisionDropsEnvironment(),
        new Ecs.EcsRevisionDropsExecutionRole(),
        new Ecs.EcsRevisionDropsHealthCheck(),
        new Ecs.EcsRevisionDropsSecrets(),
        new Ecs.EcsSecretValuefromInvalid(),
        new Ecs.ExecutionRoleMissing(),
        new Events.ConsumerCannotReceive(),
        new Events.QueuePolicyMissingForEventbridge(),
        new Iam.ExecutionRoleCannotReadSecret(),
        new Iam.TaskRoleNotAssumableByEcs(),
        new Images.ImageBuiltForWrongArchitecture(),
        new Images.InvalidImageReference(),
        new Images.LocalImagePulledFromRegistry(),
        new Input.InputError(),
        new Input.KustomizeBuildFailed(),
        new Input.ScanLimitReached(),
        new Input.SuppressionWithoutReason(),
        new Irsa.IrsaOidcProviderMissing(),
        new Irsa.IrsaTrustMismatch(),
        new Kubernetes.AlbHttpsWithoutCertificate(),
        new Kubernetes.AwsNameTooLong(),
        new Kubernetes.HpaConflictsWithReplicas(),
        new Kubernetes.HpaMinReplicasAboveMax(),
        new Kubernetes.HpaMissingCpuRequest(),
        new Kubernetes.HpaTargetMissing(),
        new Kubernetes.InvalidEnumValue(),
        new Kubernetes.PdbBlocksEviction(),
        new Kubernetes.UnknownField(),
        new Live.LiveExecutionRoleCannotReadSecret(),
        new Live.LiveImagePlatformMismatch(),
        new Live.LiveImageTagNotPushed(),
        new Live.LiveIrsaTrustMismatch(),
        new Live.LivePodEnvOlderThanConfig(),
        new Live.LivePrivateSubnetNoEgress(),
        new Live.LiveQueueNoReceiver(),
        new Live.LiveReplicaBoundsConflict(),
        new Live.LiveResourceNotInState(),
        new Live.LiveRoleMissing(),
        new Live.LiveSecretKeyMissing(),
        new Live.LiveSecretMissing(),
        new Live.LiveSecretValuePlaceholder(),
        new Live.LiveTaskDefinitionDrift(),
        new Network.PrivateSubnetNoEgress(),
        new References.ConfigChangeNotRolledOut(),
        new References.IngressBackendMissing(),
        new References.MissingConfigmap(),
        new References.MissingConfigmapKey(),
        new References.MissingSecret(),
        new References.MissingSecretKey(),
        new References.MissingServiceAccount(),
        new References.ServiceSelectsNothing(),
        new Values.BrowserEnvInternalAddress(),
        new Values.IrsaRoleArnInvalid(),
        new Values.LongLivedAwsCredentials(),
        new Values.PlaceholderValue(),
        new Values.PlaintextCredential(),
    ];

    public static IReadOnlyList<Rule> Rules => All.Value;

    public static Rule? Find(string id) => Rules.FirstOrDefault(r => r.Id == id);

    /// <summary>The docs page of a rule (docs/rules/ID.md, embedded at build time), or null.</summary>
    public static string? DocsPage(string id)
    {
        using var stream = typeof(Rule).Assembly.GetManifestResourceStream($"Groundcrew.Docs.rules.{id}.md");
        if (stream == null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
