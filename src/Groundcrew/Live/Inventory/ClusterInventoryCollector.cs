using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// Collects the cluster side of a snapshot through kubectl, read-only. Secrets are listed (kubectl has no way
/// to list them without their data) and reduced at once to key names, resourceVersion and the time of the
/// last change; the data is never kept. Only with <see cref="ReadSecretValues"/> are the values decoded, to record
/// which keys look like placeholders (the pattern class, never the value).
/// </summary>
public sealed class ClusterInventoryCollector(Kubectl kubectl, IReadOnlyList<string>? namespaces, Action<string>? progress = null)
{
    private readonly ConcurrentBag<NotCollected> _missing = new();

    public IReadOnlyCollection<NotCollected> Missing => _missing;

    /// <summary>Decode each Secret's values to flag placeholders (B3); off by default, when no value is ever decoded.</summary>
    public bool ReadSecretValues { get; init; }

    public async Task<KubeFacts> CollectAsync(CancellationToken ct = default)
    {
        var facts = new KubeFacts();
        var nodes = ListAsync("kube.nodes", "nodes", clusterScoped: true);
        var ns = ListAsync("kube.namespaces", "namespaces", clusterScoped: true);
        var sas = ListAsync("kube.serviceAccounts", "serviceaccounts");
        var secrets = ListAsync("kube.secrets", "secrets");
        var cms = ListAsync("kube.configMaps", "configmaps");
        var workloads = ListAsync("kube.workloads", "deployments,statefulsets,daemonsets");
        var pods = ListAsync("kube.pods", "pods");
        var hpas = ListAsync("kube.hpas", "horizontalpodautoscalers");
        var pdbs = ListAsync("kube.pdbs", "poddisruptionbudgets");
        await Task.WhenAll(nodes, ns, sas, secrets, cms, workloads, pods, hpas, pdbs);

        facts.Nodes.AddRange(nodes.Result.Select(n => new NodeFact(Name(n), n.P("status").P("nodeInfo").P("architecture").Str() ?? Label(n, "kubernetes.io/arch"),
            Label(n, "node.kubernetes.io/instance-type") ?? Label(n, "beta.kubernetes.io/instance-type"))));
        facts.Namespaces.AddRange(ns.Result.Select(Name).Where(n => namespaces is not { Count: > 0 } || namespaces.Contains(n)));
        facts.ServiceAccounts.AddRange(sas.Result.Select(s => new ServiceAccountFact(Ns(s), Name(s), s.P("metadata").P("annotations").P("eks.amazonaws.com/role-arn").Str())));
        facts.Secrets.AddRange(secrets.Result.Select(s => ReadSecretValues ? Keyed(s, "data") with { Placeholders = PlaceholdersIn(s) } : Keyed(s, "data")));
        facts.ConfigMaps.AddRange(cms.Result.Select(c => Keyed(c, "data", "binaryData")));
        facts.Workloads.AddRange(workloads.Result.Select(w => new WorkloadFact(w.P("kind").Str()!, Ns(w), Name(w), w.P("spec").P("replicas").Int(),
            Labels(w.P("spec").P("selector").P("matchLabels")), EnvRefs(w.P("spec").P("template").P("spec"), "secret"), EnvRefs(w.P("spec").P("template").P("spec"), "configMap"))));
        facts.Pods.AddRange(pods.Result.Select(Pod));
        facts.Hpas.AddRange(hpas.Result.Select(h => new HpaFact(Ns(h), Name(h), h.P("spec").P("scaleTargetRef").P("kind").Str() ?? "?",
            h.P("spec").P("scaleTargetRef").P("name").Str() ?? "?", h.P("spec").P("minReplicas").Int(), h.P("spec").P("maxReplicas").Int() ?? 0)));
        facts.Pdbs.AddRange(pdbs.Result.Select(p => new PdbFact(Ns(p), Name(p), p.P("spec").P("minAvailable").Str(), p.P("spec").P("maxUnavailable").Str(),
            Labels(p.P("spec").P("selector").P("matchLabels")))));
        progress?.Invoke($"kubernetes: {facts.Pods.Count} pods, {facts.Workloads.Count} workloads, {facts.Secrets.Count} secrets");
        return facts;
    }

    private async Task<List<JsonObject>> ListAsync(string part, string resource, bool clusterScoped = false)
    {
        var targets = clusterScoped || namespaces is not { Count: > 0 } ? [null] : namespaces.Select(n => (string?)n).ToList();
        var all = new List<JsonObject>();
        foreach (var ns in targets)
        {
            var call = await kubectl.GetAsync(resource, ns);
            if (!call.Ok)
            {
                _missing.Add(new NotCollected(ns == null ? part : $"{part}:{ns}", call.Error!.Kind.ToString(), call.Error.Describe(), call.CommandLine));
                continue;
            }
            all.AddRange(call.Object.P("items").Objects());
        }
        return all;
    }

    private static string Name(JsonNode o) => o.P("metadata").P("name").Str() ?? "?";
    private static string Ns(JsonNode o) => o.P("metadata").P("namespace").Str() ?? "default";
    private static string? Label(JsonNode o, string key) => o.P("metadata").P("labels").P(key).Str();

    private static Dictionary<string, string> Labels(JsonNode? map) =>
        (map as JsonObject)?.ToDictionary(p => p.Key, p => p.Value.Str() ?? "", StringComparer.Ordinal) ?? new Dictionary<string, string>();

    /// <summary>Key names and change facts only: the values in <paramref name="dataFields"/> are read for their names and dropped.</summary>
    private static KeyedObjectFact Keyed(JsonObject o, params string[] dataFields) =>
        new(Ns(o), Name(o), dataFields.SelectMany(f => (o.P(f) as JsonObject)?.Select(p => p.Key) ?? []).Order(StringComparer.Ordinal).ToList(),
            o.P("metadata").P("resourceVersion").Str(), LastChange(o));

    /// <summary>The keys of a Secret whose decoded value looks like a placeholder; a value that is not base64 or not UTF-8 text is none.</summary>
    private static List<PlaceholderFact> PlaceholdersIn(JsonObject secret)
    {
        var found = new List<PlaceholderFact>();
        foreach (var p in secret.P("data") as JsonObject ?? [])
        {
            if (p.Value.Str() is not { } encoded) continue;
            string text;
            try { text = new System.Text.UTF8Encoding(false, true).GetString(Convert.FromBase64String(encoded)); }
            catch (Exception ex) when (ex is FormatException or ArgumentException) { continue; }
            if (SecretValueReader.PatternOf(text) is { } pattern) found.Add(new PlaceholderFact(p.Key, pattern));
        }
        return found.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The newest managedFields time is the last write; without managedFields, the creation time.</summary>
    private static DateTimeOffset? LastChange(JsonObject o)
    {
        var times = o.P("metadata").P("managedFields").Items().Select(f => Time(f.P("time"))).OfType<DateTimeOffset>().ToList();
        return times.Count > 0 ? times.Max() : Time(o.P("metadata").P("creationTimestamp"));
    }

    // Kubernetes writes RFC 3339 times; kept in UTC, as the earlier reader (which turned them into UTC times) wrote them.
    private static DateTimeOffset? Time(JsonNode? t) =>
        t.Str() is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d)
            ? d.ToUniversalTime() : null;

    private static PodFact Pod(JsonObject p)
    {
        var statuses = p.P("status").P("containerStatuses").Objects().ToList();
        var owner = (p.P("metadata").P("ownerReferences") as JsonArray)?.FirstOrDefault() is { } o ? $"{o.P("kind").Str()}/{o.P("name").Str()}" : null;
        var images = p.P("spec").P("containers").Objects().Select(c =>
        {
            var name = c.P("name").Str() ?? "?";
            return new PodImageFact(name, c.P("image").Str() ?? "?", statuses.FirstOrDefault(s => s.P("name").Str() == name).P("imageID").Str());
        }).ToList();
        return new PodFact(Ns(p), Name(p), owner, Time(p.P("status").P("startTime")), p.P("status").P("phase").Str(),
            statuses.Sum(s => s.P("restartCount").Int() ?? 0), images, EnvRefs(p.P("spec"), "secret"), EnvRefs(p.P("spec"), "configMap"));
    }

    /// <summary>Secrets or ConfigMaps the containers read as environment (envFrom and env valueFrom), the ones a restart is needed for.</summary>
    private static List<string> EnvRefs(JsonNode? podSpec, string kind)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var containers = podSpec.P("containers").Items().Concat(podSpec.P("initContainers").Items());
        foreach (var c in containers)
        {
            foreach (var e in c.P("envFrom").Items())
                if (e.P($"{kind}Ref").P("name").Str() is { } n) names.Add(n);
            foreach (var e in c.P("env").Items())
                if (e.P("valueFrom").P($"{kind}KeyRef").P("name").Str() is { } n) names.Add(n);
        }
        return names.ToList();
    }
}
