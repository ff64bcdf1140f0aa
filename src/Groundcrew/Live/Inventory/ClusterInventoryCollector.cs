using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;

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

        facts.Nodes.AddRange(nodes.Result.Select(n => new NodeFact(Name(n), (string?)n["status"]?["nodeInfo"]?["architecture"] ?? Label(n, "kubernetes.io/arch"),
            Label(n, "node.kubernetes.io/instance-type") ?? Label(n, "beta.kubernetes.io/instance-type"))));
        facts.Namespaces.AddRange(ns.Result.Select(Name).Where(n => namespaces is not { Count: > 0 } || namespaces.Contains(n)));
        facts.ServiceAccounts.AddRange(sas.Result.Select(s => new ServiceAccountFact(Ns(s), Name(s), (string?)s["metadata"]?["annotations"]?["eks.amazonaws.com/role-arn"])));
        facts.Secrets.AddRange(secrets.Result.Select(s => ReadSecretValues ? Keyed(s, "data") with { Placeholders = PlaceholdersIn(s) } : Keyed(s, "data")));
        facts.ConfigMaps.AddRange(cms.Result.Select(c => Keyed(c, "data", "binaryData")));
        facts.Workloads.AddRange(workloads.Result.Select(w => new WorkloadFact((string)w["kind"]!, Ns(w), Name(w), (int?)w["spec"]?["replicas"],
            Labels(w["spec"]?["selector"]?["matchLabels"]), EnvRefs(w["spec"]?["template"]?["spec"], "secret"), EnvRefs(w["spec"]?["template"]?["spec"], "configMap"))));
        facts.Pods.AddRange(pods.Result.Select(Pod));
        facts.Hpas.AddRange(hpas.Result.Select(h => new HpaFact(Ns(h), Name(h), (string?)h["spec"]?["scaleTargetRef"]?["kind"] ?? "?",
            (string?)h["spec"]?["scaleTargetRef"]?["name"] ?? "?", (int?)h["spec"]?["minReplicas"], (int?)h["spec"]?["maxReplicas"] ?? 0)));
        facts.Pdbs.AddRange(pdbs.Result.Select(p => new PdbFact(Ns(p), Name(p), (string?)p["spec"]?["minAvailable"], (string?)p["spec"]?["maxUnavailable"],
            Labels(p["spec"]?["selector"]?["matchLabels"]))));
        progress?.Invoke($"kubernetes: {facts.Pods.Count} pods, {facts.Workloads.Count} workloads, {facts.Secrets.Count} secrets");
        return facts;
    }

    private async Task<List<JObject>> ListAsync(string part, string resource, bool clusterScoped = false)
    {
        var targets = clusterScoped || namespaces is not { Count: > 0 } ? [null] : namespaces.Select(n => (string?)n).ToList();
        var all = new List<JObject>();
        foreach (var ns in targets)
        {
            var call = await kubectl.GetAsync(resource, ns);
            if (!call.Ok)
            {
                _missing.Add(new NotCollected(ns == null ? part : $"{part}:{ns}", call.Error!.Kind.ToString(), call.Error.Describe(), call.CommandLine));
                continue;
            }
            all.AddRange((call.Object["items"] as JArray ?? []).OfType<JObject>());
        }
        return all;
    }

    private static string Name(JToken o) => (string?)o["metadata"]?["name"] ?? "?";
    private static string Ns(JToken o) => (string?)o["metadata"]?["namespace"] ?? "default";
    private static string? Label(JToken o, string key) => (string?)o["metadata"]?["labels"]?[key];

    private static Dictionary<string, string> Labels(JToken? map) =>
        (map as JObject)?.Properties().ToDictionary(p => p.Name, p => (string?)p.Value ?? "", StringComparer.Ordinal) ?? new Dictionary<string, string>();

    /// <summary>Key names and change facts only: the values in <paramref name="dataFields"/> are read for their names and dropped.</summary>
    private static KeyedObjectFact Keyed(JObject o, params string[] dataFields) =>
        new(Ns(o), Name(o), dataFields.SelectMany(f => (o[f] as JObject)?.Properties().Select(p => p.Name) ?? []).Order(StringComparer.Ordinal).ToList(),
            (string?)o["metadata"]?["resourceVersion"], LastChange(o));

    /// <summary>The keys of a Secret whose decoded value looks like a placeholder; a value that is not base64 or not UTF-8 text is none.</summary>
    private static List<PlaceholderFact> PlaceholdersIn(JObject secret)
    {
        var found = new List<PlaceholderFact>();
        foreach (var p in (secret["data"] as JObject)?.Properties() ?? [])
        {
            if ((string?)p.Value is not { } encoded) continue;
            string text;
            try { text = new System.Text.UTF8Encoding(false, true).GetString(Convert.FromBase64String(encoded)); }
            catch (Exception ex) when (ex is FormatException or ArgumentException) { continue; }
            if (SecretValueReader.PatternOf(text) is { } pattern) found.Add(new PlaceholderFact(p.Name, pattern));
        }
        return found.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The newest managedFields time is the last write; without managedFields, the creation time.</summary>
    private static DateTimeOffset? LastChange(JObject o)
    {
        var times = (o["metadata"]?["managedFields"] as JArray ?? []).Select(f => Time(f["time"])).OfType<DateTimeOffset>().ToList();
        return times.Count > 0 ? times.Max() : Time(o["metadata"]?["creationTimestamp"]);
    }

    private static DateTimeOffset? Time(JToken? t) =>
        t == null || t.Type == JTokenType.Null ? null
        : t.Type == JTokenType.Date ? new DateTimeOffset(((DateTime)t).ToUniversalTime())
        : DateTimeOffset.TryParse((string?)t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    private static PodFact Pod(JObject p)
    {
        var statuses = (p["status"]?["containerStatuses"] as JArray ?? []).OfType<JObject>().ToList();
        var owner = (p["metadata"]?["ownerReferences"] as JArray)?.FirstOrDefault() is { } o ? $"{(string?)o["kind"]}/{(string?)o["name"]}" : null;
        var images = (p["spec"]?["containers"] as JArray ?? []).OfType<JObject>().Select(c =>
        {
            var name = (string?)c["name"] ?? "?";
            return new PodImageFact(name, (string?)c["image"] ?? "?", (string?)statuses.FirstOrDefault(s => (string?)s["name"] == name)?["imageID"]);
        }).ToList();
        return new PodFact(Ns(p), Name(p), owner, Time(p["status"]?["startTime"]), (string?)p["status"]?["phase"],
            statuses.Sum(s => (int?)s["restartCount"] ?? 0), images, EnvRefs(p["spec"], "secret"), EnvRefs(p["spec"], "configMap"));
    }

    /// <summary>Secrets or ConfigMaps the containers read as environment (envFrom and env valueFrom), the ones a restart is needed for.</summary>
    private static List<string> EnvRefs(JToken? podSpec, string kind)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var containers = (podSpec?["containers"] as JArray ?? []).Concat(podSpec?["initContainers"] as JArray ?? []);
        foreach (var c in containers)
        {
            foreach (var e in c["envFrom"] as JArray ?? [])
                if ((string?)e[$"{kind}Ref"]?["name"] is { } n) names.Add(n);
            foreach (var e in c["env"] as JArray ?? [])
                if ((string?)e["valueFrom"]?[$"{kind}KeyRef"]?["name"] is { } n) names.Add(n);
        }
        return names.ToList();
    }
}
