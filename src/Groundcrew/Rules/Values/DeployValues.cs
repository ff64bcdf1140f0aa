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
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DeploymentModel, IReadOnlyList<DeployValue>> Cache = new();

    public static IEnumerable<DeployValue> All(DeploymentModel model) => Cache.GetValue(model, m => Enumerate(m).ToList());

    private static IEnumerable<DeployValue> Enumerate(DeploymentModel model)
    {
        foreach (var r in model.Resources)
        {
            if (r.Family == ResourceFamily.Kubernetes)
                foreach (var v in Kubernetes(r)) yield return v;
        }
        foreach (var w in model.Workloads)
            foreach (var v in WorkloadValues(w)) yield return v;
        foreach (var td in model.TaskDefinitions)
            foreach (var v in Ecs(td)) yield return v;
    }

    private static IEnumerable<DeployValue> Kubernetes(Resource r)
    {
        foreach (var (key, node) in r.Annotations)
            if (Text(node) is { } t) yield return new DeployValue(r, node, t, ValueSite.Annotation, key, null);

        if (r.Kind == "ConfigMap")
        {
            foreach (var e in r.Body.GetMap("data")?.Entries ?? [])
                if (e.Value is ScalarNode s && Text(s) is { } t) yield return new DeployValue(r, s, t, ValueSite.ConfigMapData, e.Name, null);
        }
        else if (r.Kind == "Secret")
        {
            foreach (var e in r.Body.GetMap("stringData")?.Entries ?? [])
                if (e.Value is ScalarNode s && Text(s) is { } t) yield return new DeployValue(r, s, t, ValueSite.SecretStringData, e.Name, null);
            foreach (var e in r.Body.GetMap("data")?.Entries ?? [])
                if (e.Value is ScalarNode s && Text(s) is { } t && DecodeBase64Text(t) is { } decoded)
                    yield return new DeployValue(r, s, decoded, ValueSite.SecretData, e.Name, null);
        }
    }

    private static IEnumerable<DeployValue> WorkloadValues(Workload w)
    {
        foreach (var (key, node) in w.TemplateAnnotations)
            if (Text(node) is { } t) yield return new DeployValue(w.Resource, node, t, ValueSite.Annotation, key, null);
        foreach (var c in w.Containers)
        {
            if (c.ImageNode is { } img && Text(img) is { } it) yield return new DeployValue(w.Resource, img, it, ValueSite.Image, "image", c);
            foreach (var env in c.Node.GetSeq("env")?.Maps ?? [])
                if (env["value"] is ScalarNode s && Text(s) is { } t)
                    yield return new DeployValue(w.Resource, s, t, ValueSite.EnvValue, env.GetString("name"), c);
            foreach (var key in new[] { "command", "args" })
                foreach (var item in c.Node.GetSeq(key)?.Items.OfType<ScalarNode>() ?? [])
                    if (Text(item) is { } t) yield return new DeployValue(w.Resource, item, t, ValueSite.CommandArg, key, c);
        }
    }

    private static IEnumerable<DeployValue> Ecs(EcsTaskDefinition td)
    {
        var r = td.Resource;
        foreach (var (key, node) in new[] { ("executionRoleArn", td.ExecutionRoleArn), ("taskRoleArn", td.TaskRoleArn) })
            if (node != null && Text(node) is { } t) yield return new DeployValue(r, node, t, ValueSite.RoleArn, key, null);
        foreach (var c in td.Containers)
        {
            if (c.ImageNode is { } img && Text(img) is { } it) yield return new DeployValue(r, img, it, ValueSite.Image, "image", c);
            foreach (var env in c.Node.GetSeq("environment")?.Maps ?? [])
                if (env["value"] is ScalarNode s && Text(s) is { } t)
                    yield return new DeployValue(r, s, t, ValueSite.EnvValue, env.GetString("name"), c);
            foreach (var sec in c.Node.GetSeq("secrets")?.Maps ?? [])
                if (sec["valueFrom"] is ScalarNode s && Text(s) is { } t)
                    yield return new DeployValue(r, s, t, ValueSite.SecretValueFrom, sec.GetString("name"), c);
            if (c.Node.GetMap("repositoryCredentials")?["credentialsParameter"] is ScalarNode rc && Text(rc) is { } rt)
                yield return new DeployValue(r, rc, rt, ValueSite.SecretValueFrom, "repositoryCredentials", c);
            foreach (var key in new[] { "command", "entryPoint" })
                foreach (var item in c.Node.GetSeq(key)?.Items.OfType<ScalarNode>() ?? [])
                    if (Text(item) is { } t) yield return new DeployValue(r, item, t, ValueSite.CommandArg, key, c);
        }
    }

    private static string? Text(ScalarNode s) => s.IsNull || string.IsNullOrEmpty(s.Value) ? null : s.Value;

    /// <summary>Decode a Secret's base64 value when it is UTF-8 text; null for binary or malformed data.</summary>
    public static string? DecodeBase64Text(string encoded)
    {
        var compact = encoded.Replace("\n", "").Replace("\r", "").Replace(" ", "");
        if (compact.Length == 0 || compact.Length > 1_000_000) return null;
        var buffer = new byte[compact.Length];
        if (!Convert.TryFromBase64String(compact, buffer, out var written)) return null;
        try
        {
            var text = new UTF8Encoding(false, true).GetString(buffer, 0, written);
            return text.Any(ch => char.IsControl(ch) && ch is not '\n' and not '\r' and not '\t') ? null : text;
        }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>The env entries of a container (k8s env or ECS environment), by name.</summary>
    public static IEnumerable<MapNode> EnvEntries(Container c) =>
        (c.Node.GetSeq("env")?.Maps ?? []).Concat(c.Node.GetSeq("environment")?.Maps ?? []);
}
