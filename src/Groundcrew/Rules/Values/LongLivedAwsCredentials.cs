using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Values;

/// <summary>
/// AWS access keys handed to pods or tasks as environment variables (literal, from a Secret, via envFrom, or ECS
/// environment/secrets) instead of an identity the platform rotates: IRSA or EKS Pod Identity on EKS, the task role on ECS.
/// Keys given to S3-compatible stores (MinIO, LocalStack: the container sets a non-AWS endpoint) are not AWS credentials.
/// </summary>
public sealed class LongLivedAwsCredentials : Rule
{
    public override string Title => "Static AWS keys given to a pod or task";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`ExpiredToken: The security token included in the request is expired` hours after a deploy (session tokens), and leaked keys that never expire (incident A3)";
    public override string Fix => "Remove the AWS_* key variables and give the workload a role: on EKS an IRSA annotation (eks.amazonaws.com/role-arn) on its ServiceAccount or an EKS Pod Identity association; on ECS a taskRoleArn. The AWS SDKs pick these up with no code change.";
    public override IReadOnlyList<string> Incidents => ["A3"];

    /// <summary>Source: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html</summary>
    public static readonly HashSet<string> KeyNames = new(StringComparer.Ordinal) { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" };

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        foreach (var w in model.Workloads)
            foreach (var c in w.Containers)
            {
                if (TalksToS3CompatibleStore(c, model, w.Resource.Namespace)) continue;
                foreach (var env in c.Node.GetSeq("env")?.Maps ?? [])
                {
                    var name = env.GetString("name");
                    if (name == null || !KeyNames.Contains(name)) continue;
                    if (env["value"] is ScalarNode { IsNull: false, Value: { Length: > 0 } literal } s)
                    {
                        if (IsReferenceOrEmpty(literal)) continue;
                        context.Redactor.Add(literal);
                        yield return At(s, $"container {c.Name} gets {name} as a literal value ({Redactor.Describe(literal)}): {Why(name)}; use {Role(w)} instead");
                    }
                    else if (env.GetMap("valueFrom") is { } from && (from.GetMap("secretKeyRef") ?? from.GetMap("configMapKeyRef")) is { } keyRef)
                    {
                        var kind = from["secretKeyRef"] != null ? "Secret" : "ConfigMap";
                        yield return At(env["name"] ?? env, $"container {c.Name} gets {name} from {kind} {keyRef.GetString("name")}: {Why(name)}; use {Role(w)} instead");
                    }
                }
                foreach (var ef in c.Node.GetSeq("envFrom")?.Maps ?? [])
                {
                    var (kind, refMap) = ef.GetMap("secretRef") is { } sr ? ("Secret", sr) : ef.GetMap("configMapRef") is { } cr ? ("ConfigMap", cr) : (null, null);
                    if (kind == null || refMap?.GetString("name") is not { } refName) continue;
                    var prefix = ef.GetString("prefix") ?? "";
                    var provider = model.FindKeyProvider(kind, w.Resource.Namespace, refName);
                    var keys = provider?.Keys?.Where(k => KeyNames.Contains(prefix + k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
                    if (keys is not { Count: > 0 }) continue;
                    var names = string.Join(", ", keys.Select(k => prefix + k));
                    yield return At(refMap["name"] ?? ef, $"container {c.Name} loads {names} from {kind} {refName} through envFrom: {Why(keys.Select(k => prefix + k).First())}; use {Role(w)} instead",
                        related: [new RelatedLocation(provider!.Source.Anchor, $"{provider.Source.Kind} {provider.Source.Name} defines {names}")]);
                }
            }

        foreach (var td in model.TaskDefinitions)
            foreach (var c in td.Containers)
            {
                if (TalksToS3CompatibleStore(c, null, null)) continue;
                foreach (var env in c.Node.GetSeq("environment")?.Maps ?? [])
                {
                    var name = env.GetString("name");
                    if (name == null || !KeyNames.Contains(name) || env["value"] is not ScalarNode { Value: { Length: > 0 } literal } s || IsReferenceOrEmpty(literal)) continue;
                    context.Redactor.Add(literal);
                    yield return At(s, $"container {c.Name} of task definition {td.Family} gets {name} as a literal environment value ({Redactor.Describe(literal)}): {Why(name)}; give the task a taskRoleArn instead");
                }
                foreach (var sec in c.Node.GetSeq("secrets")?.Maps ?? [])
                {
                    var name = sec.GetString("name");
                    if (name == null || !KeyNames.Contains(name)) continue;
                    yield return At(sec["name"] ?? sec, $"container {c.Name} of task definition {td.Family} gets {name} from a secret: {Why(name)}; give the task a taskRoleArn instead");
                }
            }
    }

    private static string Role(Workload w) => $"an IRSA role on ServiceAccount {w.ServiceAccountName} (or an EKS Pod Identity association)";

    private static string Why(string name) => name == "AWS_SESSION_TOKEN"
        ? "a session token expires within hours (at most 36), after which every AWS call fails"
        : "static access keys never rotate on their own and work from anywhere once leaked";

    private static bool IsReferenceOrEmpty(string v)
    {
        var t = v.Trim();
        return t.Length == 0 || t.StartsWith("$(", StringComparison.Ordinal) || t.StartsWith("${", StringComparison.Ordinal) || t.StartsWith("{{", StringComparison.Ordinal);
    }

    /// <summary>The container points an S3-compatible client somewhere other than AWS (MinIO, LocalStack, Ceph, R2): its keys are not AWS credentials.</summary>
    private static IEnumerable<(string Name, string Value)> EnvFromConfigMaps(DeploymentModel model, string? ns, Container c)
    {
        foreach (var ef in c.Node.GetSeq("envFrom")?.Maps ?? [])
            if (ef.GetMap("configMapRef")?.GetString("name") is { } cm && model.Find("ConfigMap", ns, cm) is { } map)
                foreach (var e in map.Body.GetMap("data")?.Entries ?? [])
                    if (e.Value is ScalarNode { Value: { } v }) yield return ((ef.GetString("prefix") ?? "") + e.Name, v);
    }

    private static readonly string[] EnvKeys = ["env", "environment"]; // Kubernetes, ECS

    // Runs for every container: plain loops, and the envFrom ConfigMaps are read only when the container has envFrom.
    private static bool TalksToS3CompatibleStore(Container c, DeploymentModel? model, string? ns)
    {
        var image = c.Image?.ToLowerInvariant() ?? "";
        if (image.Contains("minio") || image.Contains("localstack")) return true;
        foreach (var key in EnvKeys)
            if (c.Node.GetSeq(key) is { } list)
                foreach (var item in list.Items)
                    if (item is MapNode e && PointsAwayFromAws(e.GetString("name") ?? "", (e["value"] as ScalarNode)?.Value ?? "")) return true;
        if (model == null || c.Node["envFrom"] == null) return false;
        foreach (var (name, value) in EnvFromConfigMaps(model, ns, c))
            if (PointsAwayFromAws(name, value)) return true;
        return false;
    }

    private static bool PointsAwayFromAws(string rawName, string rawValue)
    {
        var name = rawName.ToUpperInvariant();
        var value = rawValue.ToLowerInvariant();
        if (value.Contains("minio") || value.Contains("localstack")) return true;
        return name.Contains("ENDPOINT") && value.Length > 0 && !value.Contains("amazonaws.com");
    }
}
