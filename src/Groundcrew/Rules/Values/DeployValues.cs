using System.Text;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Values;

/// <summary>Where a deployable value sits; rules decide per site what they may judge.</summary>
public enum ValueSite
{
    Annotation,
    Image,
    EnvValue,
    CommandArg,
    ConfigMapData,
    SecretData,
    SecretStringData,
    RoleArn,
    SecretValueFrom,
}

/// <summary>
/// One string that reaches a running pod or task. <see cref="Value"/> may be decoded (Secret data): never print it.
/// <see cref="Name"/> is the env var name, data key or annotation key.
/// </summary>
public sealed record DeployValue(Resource Owner, ScalarNode Node, string Value, ValueSite Site, string? Name, Container? Container)
{
    /// <summary>A file-like value: a block scalar (| or >) or any value with a line break.</summary>
    public bool IsMultiLine => Node.Kind == ScalarKind.Block || Value.TrimEnd('\n').Contains('\n');
    public bool InSecret => Site is ValueSite.SecretData or ValueSite.SecretStringData;
    public string Describe => Site switch
    {
        ValueSite.Annotation => $"annotation {Name}",
        ValueSite.Image => $"image of container {Container?.Name}",
        ValueSite.EnvValue => $"env {Name}" + (Container is { } c ? $" of container {c.Name}" : ""),
        ValueSite.CommandArg => $"command of container {Container?.Name}",
        ValueSite.ConfigMapData => $"ConfigMap key {Name}",
        ValueSite.SecretData => $"Secret key {Name} (base64-decoded)",
        ValueSite.SecretStringData => $"Secret stringData key {Name}",
        ValueSite.RoleArn => Name ?? "role ARN",
        ValueSite.SecretValueFrom => $"secret {Name}" + (Container is { } c2 ? $" of container {c2.Name}" : ""),
        _ => Name ?? "value",
    };
}

/// <summary>Enumerates the deployable values of the model once per call; every node access is defensive.</summary>
public static class DeployValues
{
    // Four rules read every value of the same model: enumerated once per model, then shared (the list is read-only).
    private static readonly PerModel<List<DeployValue>> Cache = new(Enumerate);

    public static IEnumerable<DeployValue> All(DeploymentModel model) => Cache.For(model);

    // Straight loops into one list: this runs over every resource of the model, so no iterator or LINQ object per resource.
    private static List<DeployValue> Enumerate(DeploymentModel model)
    {
        var values = new List<DeployValue>();
        foreach (var r in model.Resources)
            if (r.Family == ResourceFamily.Kubernetes) Kubernetes(r, values);
        foreach (var w in model.Workloads) WorkloadValues(w, values);
        foreach (var td in model.TaskDefinitions) Ecs(td, values);
        return values;
    }

    private static void Kubernetes(Resource r, List<DeployValue> values)
    {
        foreach (var (key, node) in r.Annotations)
            if (Text(node) is { } t) values.Add(new DeployValue(r, node, t, ValueSite.Annotation, key, null));

        if (r.Kind == "ConfigMap")
            Entries(r, r.Body.GetMap("data"), ValueSite.ConfigMapData, values);
        else if (r.Kind == "Secret")
        {
            Entries(r, r.Body.GetMap("stringData"), ValueSite.SecretStringData, values);
            if (r.Body.GetMap("data") is { } data)
                for (var i = 0; i < data.Entries.Count; i++)
                {
                    var e = data.Entries[i];
                    if (e.Value is ScalarNode s && Text(s) is { } t && DecodeBase64Text(t) is { } decoded)
                        values.Add(new DeployValue(r, s, decoded, ValueSite.SecretData, e.Name, null));
                }
        }
    }

    /// <summary>The text values of a map of keys (ConfigMap data, Secret stringData).</summary>
    private static void Entries(Resource r, MapNode? map, ValueSite site, List<DeployValue> values)
    {
        if (map == null) return;
        for (var i = 0; i < map.Entries.Count; i++)
        {
            var e = map.Entries[i];
            if (e.Value is ScalarNode s && Text(s) is { } t) values.Add(new DeployValue(r, s, t, site, e.Name, null));
        }
    }

    private static void WorkloadValues(Workload w, List<DeployValue> values)
    {
        var r = w.Resource;
        foreach (var (key, node) in w.TemplateAnnotations)
            if (Text(node) is { } t) values.Add(new DeployValue(r, node, t, ValueSite.Annotation, key, null));
        foreach (var c in w.Containers)
        {
            if (c.ImageNode is { } img && Text(img) is { } it) values.Add(new DeployValue(r, img, it, ValueSite.Image, "image", c));
            NamedValues(r, c, c.Node.GetSeq("env"), "value", ValueSite.EnvValue, values);
            Items(r, c, "command", values);
            Items(r, c, "args", values);
        }
    }

    private static void Ecs(EcsTaskDefinition td, List<DeployValue> values)
    {
        var r = td.Resource;
        if (td.ExecutionRoleArn is { } execution && Text(execution) is { } et) values.Add(new DeployValue(r, execution, et, ValueSite.RoleArn, "executionRoleArn", null));
        if (td.TaskRoleArn is { } task && Text(task) is { } tt) values.Add(new DeployValue(r, task, tt, ValueSite.RoleArn, "taskRoleArn", null));
        foreach (var c in td.Containers)
        {
            if (c.ImageNode is { } img && Text(img) is { } it) values.Add(new DeployValue(r, img, it, ValueSite.Image, "image", c));
            NamedValues(r, c, c.Node.GetSeq("environment"), "value", ValueSite.EnvValue, values);
            NamedValues(r, c, c.Node.GetSeq("secrets"), "valueFrom", ValueSite.SecretValueFrom, values);
            if (c.Node.GetMap("repositoryCredentials")?["credentialsParameter"] is ScalarNode rc && Text(rc) is { } rt)
                values.Add(new DeployValue(r, rc, rt, ValueSite.SecretValueFrom, "repositoryCredentials", c));
            Items(r, c, "command", values);
            Items(r, c, "entryPoint", values);
        }
    }

    /// <summary>The <paramref name="valueKey"/> text of each {name, value} map of a list (env, environment, secrets), named by its name.</summary>
    private static void NamedValues(Resource r, Container c, SeqNode? list, string valueKey, ValueSite site, List<DeployValue> values)
    {
        if (list == null) return;
        for (var i = 0; i < list.Items.Count; i++)
            if (list.Items[i] is MapNode entry && entry[valueKey] is ScalarNode s && Text(s) is { } t)
                values.Add(new DeployValue(r, s, t, site, entry.GetString("name"), c));
    }

    /// <summary>The text items of a container's command-like list (command, args, entryPoint).</summary>
    private static void Items(Resource r, Container c, string key, List<DeployValue> values)
    {
        if (c.Node.GetSeq(key) is not { } list) return;
        for (var i = 0; i < list.Items.Count; i++)
            if (list.Items[i] is ScalarNode item && Text(item) is { } t) values.Add(new DeployValue(r, item, t, ValueSite.CommandArg, key, c));
    }

    private static string? Text(ScalarNode s) => s.IsNull || string.IsNullOrEmpty(s.Value) ? null : s.Value;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Decode a Secret's base64 value when it is UTF-8 text; null for binary or malformed data.</summary>
    public static string? DecodeBase64Text(string encoded)
    {
        var compact = encoded.Replace("\n", "").Replace("\r", "").Replace(" ", "");
        if (compact.Length == 0 || compact.Length > 1_000_000) return null;
        var buffer = new byte[compact.Length];
        if (!Convert.TryFromBase64String(compact, buffer, out var written)) return null;
        try
        {
            var text = StrictUtf8.GetString(buffer, 0, written);
            foreach (var ch in text)
                if (char.IsControl(ch) && ch is not '\n' and not '\r' and not '\t') return null;
            return text;
        }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>The env entries of a container (k8s env or ECS environment), by name.</summary>
    public static IEnumerable<MapNode> EnvEntries(Container c) =>
        (c.Node.GetSeq("env")?.Maps ?? []).Concat(c.Node.GetSeq("environment")?.Maps ?? []);
}
