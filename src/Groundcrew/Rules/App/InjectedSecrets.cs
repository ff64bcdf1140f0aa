using System.Text;
using System.Text.Json;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;

namespace Groundcrew.Rules.App;

/// <summary>What a variable of a container holds, as far as secrets go.</summary>
public enum Injection
{
    /// <summary>The whole value of a secret (ECS `secrets` with a Secrets Manager ARN, a secretKeyRef to a JSON value): its content, not its ARN.</summary>
    WholeSecret,
    /// <summary>One JSON key of a Secrets Manager secret (`valueFrom: arn...:secret:NAME:host::`): that key's value, not JSON.</summary>
    JsonKey,
    /// <summary>A plain value naming a secret (an ARN or `rds!...` name in `environment`/`value`): what GetSecretValue wants.</summary>
    SecretId,
}

/// <summary>The JSON keys a secret is known to have, and how we know.</summary>
public sealed record SecretShape(IReadOnlyList<string> Keys, string KeysFrom, SourceSpan? DefinedAt = null);

/// <summary>A variable a container gets from (or about) a secret.</summary>
/// <param name="Secret">How to name the secret in a message, formatted (`` `name` ``, `` `name` key `k` ``, `` Secret `s` key `k` ``); never a value.</param>
public sealed record InjectedEnv(string Name, Injection Kind, Node At, string Secret, SecretShape? Shape);

/// <summary>
/// Reads, per container, which env vars come from secrets and what is known of those secrets' keys:
/// ECS `secrets[].valueFrom` (a Secrets Manager ARN, with or without a JSON key) and `environment` values that are
/// secret ARNs; Kubernetes `secretKeyRef` to a Secret whose value is JSON, or to an ExternalSecret entry fetching a
/// whole `rds!` secret. Known keys come from Data/secrets/managed-secret-keys.yaml (RDS-managed secrets) and from
/// JSON values in manifests. SSM parameters and anything templated are left out (their content is unknown).
/// </summary>
public static class InjectedSecrets
{
    private sealed record Managed(string Prefix, string What, IReadOnlyList<string> Keys, string Source);

    private static readonly Lazy<List<Managed>> ManagedSecrets = new(() =>
        (DataFiles.ReadYaml("secrets/managed-secret-keys.yaml").GetSeq("secrets")?.Maps ?? [])
        .Select(m => new Managed(
            m.GetString("namePrefix") ?? throw new InvalidDataException("managed-secret-keys.yaml: namePrefix missing"),
            m.GetString("what") ?? "",
            (m.GetSeq("keys")?.Items ?? []).OfType<ScalarNode>().Select(s => s.Value ?? "").ToList(),
            m.GetString("source") ?? throw new InvalidDataException("managed-secret-keys.yaml: source missing")))
        .ToList());

    /// <summary>A container tied to its app folder, with the secret variables it gets.</summary>
    public sealed record TiedContainer(AppTie Tie, Container Container, string Owner, Dictionary<string, InjectedEnv> Secrets);

    /// <summary>Every ECS and Kubernetes (non-init) container tied to an app folder whose code follows a secret, with its secret variables (only those with any).</summary>
    public static List<TiedContainer> TiedContainers(RuleContext context)
    {
        var model = context.Model;
        var result = new List<TiedContainer>();
        if (model.Apps.Count == 0 && context.Config.AppFolders.Count == 0) return result;
        void Add(Container c, string owner, Func<Dictionary<string, InjectedEnv>> secrets)
        {
            if (AppTies.Find(model, context.Config, c) is not { } tie) return;
            var uses = tie.App.Scan.Secrets;
            if (uses.KeyReads.Count == 0 && uses.IdCalls.Count == 0) return;
            var s = secrets();
            if (s.Count > 0) result.Add(new TiedContainer(tie, c, owner, s));
        }
        foreach (var td in model.TaskDefinitions)
            foreach (var c in td.Containers)
                Add(c, $"task definition {td.Family}", () => OfEcs(model, c));
        foreach (var w in model.Workloads)
            foreach (var c in w.Containers)
                if (!c.IsInit) Add(c, $"{w.Resource.Kind} {w.Resource.Namespace}/{w.Resource.Name}", () => OfKubernetes(model, w.Resource, c));
        return result;
    }

    /// <summary>The keys of a secret given by name (or the part of an ARN after `secret:`), when an AWS service manages it.</summary>
    public static SecretShape? ShapeOfName(string secretName)
    {
        foreach (var m in ManagedSecrets.Value)
            if (secretName.StartsWith(m.Prefix, StringComparison.Ordinal))
                return new SecretShape(m.Keys, $"an {m.What}: its name starts with `{m.Prefix}`");
        return null;
    }

    /// <summary>A Secrets Manager ARN split into the secret's name (with AWS's random suffix, if any) and the JSON key (empty when none).</summary>
    public static (string Name, string JsonKey)? ParseSecretArn(string value)
    {
        var v = value.Trim();
        if (!v.StartsWith("arn:", StringComparison.Ordinal)) return null;
        var parts = v.Split(':', 6);
        if (parts.Length < 6 || parts[2] != "secretsmanager" || !parts[5].StartsWith("secret:", StringComparison.Ordinal)) return null;
        var fields = parts[5]["secret:".Length..].Split(':');
        if (fields[0].Length == 0 || IsTemplated(fields[0])) return null;
        return (fields[0], fields.Length >= 2 ? fields[1] : "");
    }

    private static bool IsTemplated(string v) => v.Contains('$') || v.Contains("{{", StringComparison.Ordinal) || v.Contains('<');

    /// <summary>The secret variables of an ECS container definition, by name.</summary>
    public static Dictionary<string, InjectedEnv> OfEcs(DeploymentModel model, Container c)
    {
        var result = new Dictionary<string, InjectedEnv>(StringComparer.Ordinal);
        foreach (var e in c.Node.GetSeq("secrets")?.Maps ?? [])
        {
            if (e.GetString("name") is not { Length: > 0 } name) continue;
            if (e["valueFrom"] is UnknownNode u)
            {
                if (FromTerraformRef(model, u) is { } tf)
                    result[name] = tf.JsonKey is { } k
                        ? new InjectedEnv(name, Injection.JsonKey, u, $"{tf.Label} key `{k}`", null)
                        : new InjectedEnv(name, Injection.WholeSecret, u, tf.Label, tf.Shape);
                continue;
            }
            if (e["valueFrom"] is not ScalarNode { Value: { } vf } node) continue;
            if (ParseSecretArn(vf) is not { } arn) continue;
            result[name] = arn.JsonKey.Length > 0
                ? new InjectedEnv(name, Injection.JsonKey, node, $"`{arn.Name}` key `{arn.JsonKey}`", null)
                : new InjectedEnv(name, Injection.WholeSecret, node, $"`{arn.Name}`", ShapeOfName(arn.Name));
        }
        foreach (var e in c.Node.GetSeq("environment")?.Maps ?? [])
        {
            if (e.GetString("name") is not { Length: > 0 } name) continue;
            if (e["value"] is UnknownNode u)
            {
                if (FromTerraformRef(model, u) is { JsonKey: null } tf) result.TryAdd(name, new InjectedEnv(name, Injection.SecretId, u, tf.Label, tf.Shape));
                continue;
            }
            if (e["value"] is not ScalarNode { Value: { } v } node) continue;
            if (AsSecretId(v) is { } id) result.TryAdd(name, new InjectedEnv(name, Injection.SecretId, node, $"`{id}`", ShapeOfName(id)));
        }
        return result;
    }

    /// <summary>The secret variables of a Kubernetes container, by name.</summary>
    public static Dictionary<string, InjectedEnv> OfKubernetes(DeploymentModel model, Resource owner, Container c)
    {
        var result = new Dictionary<string, InjectedEnv>(StringComparer.Ordinal);
        foreach (var e in c.Node.GetSeq("env")?.Maps ?? [])
        {
            if (e.GetString("name") is not { Length: > 0 } name) continue;
            if (e["value"] is ScalarNode { Value: { } v } valueNode)
            {
                if (AsSecretId(v) is { } id) result[name] = new InjectedEnv(name, Injection.SecretId, valueNode, $"`{id}`", ShapeOfName(id));
                continue;
            }
            var sk = e.GetMap("valueFrom")?.GetMap("secretKeyRef");
            if (sk?.GetString("name") is not { Length: > 0 } secretName || sk.GetString("key") is not { Length: > 0 } key) continue;
            if (FromKubernetesSecret(model, owner.Namespace, secretName, key, name, sk) is { } inj) result[name] = inj;
        }
        return result;
    }

    private static InjectedEnv? FromKubernetesSecret(DeploymentModel model, string? ns, string secretName, string key, string envName, MapNode at)
    {
        var provider = model.FindKeyProvider("Secret", ns, secretName);
        if (provider == null) return null;
        var src = provider.Source;
        var label = $"Secret `{secretName}` key `{key}`";
        if (src.Kind == "Secret")
        {
            string? text = null;
            Node? valueNode = src.Body.GetMap("stringData")?[key];
            if (valueNode is ScalarNode { Value: { } sv }) text = sv;
            else if (src.Body.GetMap("data")?[key] is ScalarNode { Value: { } b64 } dn)
            {
                valueNode = dn;
                try { text = Encoding.UTF8.GetString(Convert.FromBase64String(b64.Trim())); }
                catch (FormatException) { return null; }
            }
            if (text == null || valueNode == null) return null;
            var keys = JsonObjectKeys(text);
            if (keys == null) return null; // not JSON: a plain value (maybe an ARN); nothing known
            return new InjectedEnv(envName, Injection.WholeSecret, at, label,
                new SecretShape(keys, $"the JSON value of key `{key}` in Secret {secretName}", valueNode.Span));
        }
        if (src.Kind == "ExternalSecret")
        {
            foreach (var d in src.Spec?.GetSeq("data")?.Maps ?? [])
            {
                if (d.GetString("secretKey") != key) continue;
                var remote = d.GetMap("remoteRef");
                if (remote?.GetString("key") is not { Length: > 0 } remoteKey) return null;
                var remoteName = ParseSecretArn(remoteKey)?.Name ?? remoteKey;
                if (remote.GetString("property") is { Length: > 0 } prop)
                    return new InjectedEnv(envName, Injection.JsonKey, at, $"`{remoteName}` key `{prop}` (ExternalSecret {src.Name})", null);
                if (ShapeOfName(remoteName) is not { } shape) return null; // the whole remote secret, whose content is unknown
                return new InjectedEnv(envName, Injection.WholeSecret, at, $"`{remoteName}` (ExternalSecret {src.Name})", shape with { DefinedAt = remote["key"]!.Span });
            }
        }
        return null;
    }

    /// <summary>
    /// A Terraform reference to a Secrets Manager secret's ARN: <c>aws_secretsmanager_secret.x.arn</c> (or <c>.id</c>, or the
    /// data source), or <c>aws_db_instance.x.master_user_secret[0].secret_arn</c> (also aws_rds_cluster) with
    /// <c>manage_master_user_password = true</c>; a <c>:key::</c> suffix selects a JSON key. Keys come from the one
    /// aws_secretsmanager_secret_version whose <c>secret_string = jsonencode({...})</c>, or from the managed secrets' data.
    /// </summary>
    private static (string Label, string? JsonKey, SecretShape? Shape)? FromTerraformRef(DeploymentModel model, UnknownNode u)
    {
        if (u.Ref == null || !string.IsNullOrEmpty(u.RefPrefix) || model.ResolveRef(u.Ref) is not var (res, attribute)) return null;
        string? jsonKey = null;
        if (u.RefSuffix is { Length: > 0 } suffix)
        {
            if (!suffix.StartsWith(':')) return null;
            var k = suffix[1..].Split(':')[0];
            if (k.Length > 0) jsonKey = k;
        }
        var label = $"`{res.Address ?? res.Name}`";
        switch (res.Kind)
        {
            case "aws_secretsmanager_secret" when attribute is "arn" or "id":
            {
                var name = res.Body.GetString("name");
                if (name != null) label = $"`{res.Address ?? res.Name}` (`{name}`)";
                var isData = (res.Address ?? res.Name).StartsWith("data.", StringComparison.Ordinal) || (res.Address ?? res.Name).Contains(".data.", StringComparison.Ordinal);
                var shape = isData ? null : VersionShape(model, res);
                shape ??= name != null ? ShapeOfName(name) : null;
                return (label, jsonKey, shape);
            }
            case "aws_db_instance" or "aws_rds_cluster" when attribute.StartsWith("master_user_secret", StringComparison.Ordinal) && attribute.EndsWith("secret_arn", StringComparison.Ordinal):
            {
                var managed = res.Body["manage_master_user_password"] as ScalarNode;
                if (managed?.Value != "true") return (label + " master user secret", jsonKey, null);
                var rds = ManagedSecrets.Value.FirstOrDefault(m => m.Prefix == "rds!");
                var shape = rds == null ? null : new SecretShape(rds.Keys, $"the {rds.What} of {label} (manage_master_user_password = true)", managed.Span);
                return ($"{label} master user secret", jsonKey, shape);
            }
            default:
                return null;
        }
    }

    /// <summary>The keys of the one aws_secretsmanager_secret_version of <paramref name="secret"/> written with jsonencode({...}).</summary>
    private static SecretShape? VersionShape(DeploymentModel model, Resource secret)
    {
        var address = secret.Address ?? secret.Name;
        var versions = model.Resources.Where(r => r.Family == ResourceFamily.Terraform && r.Kind == "aws_secretsmanager_secret_version"
            && r.Body["secret_id"] is UnknownNode { Ref: { } id } && (id == address + ".id" || id == address + ".arn")).ToList();
        if (versions.Count != 1) return null; // none, or several whose keys may differ
        var at = versions[0].Address ?? versions[0].Name;
        return versions[0].Body["secret_string"] switch
        {
            MapNode m => new SecretShape(m.Entries.Select(e => e.Name).ToList(), $"the jsonencode() in {at}", m.Span),
            ScalarNode { Value: { } text } sn when JsonObjectKeys(text) is { } keys => new SecretShape(keys, $"the JSON secret_string of {at}", sn.Span),
            _ => null, // computed or not a JSON object: unknown keys
        };
    }

    /// <summary>The secret named by a plain value: a Secrets Manager ARN (its name) or a bare `rds!` name.</summary>
    private static string? AsSecretId(string value)
    {
        if (ParseSecretArn(value) is { JsonKey: "" } arn) return arn.Name;
        var v = value.Trim();
        return ShapeOfName(v) != null && !v.Contains(' ') ? v : null;
    }

    /// <summary>The top-level keys of a JSON object; null when the text is not one.</summary>
    internal static List<string>? JsonObjectKeys(string text)
    {
        var s = text.Trim();
        if (!s.StartsWith('{')) return null;
        try
        {
            using var doc = JsonDocument.Parse(s);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.EnumerateObject().Select(p => p.Name).ToList() : null;
        }
        catch (JsonException) { return null; }
    }
}
