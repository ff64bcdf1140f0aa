using Groundcrew.Core;
using Groundcrew.Load;

namespace Groundcrew.Config;

/// <summary>
/// `.groundcrew.yaml`: what the repository tells Groundcrew about itself. Every field is optional.
/// The JSON Schema in docs/config.schema.json documents the same fields for editors.
/// </summary>
public sealed class GroundcrewConfig
{
    /// <summary>The file it was read from, or null for defaults.</summary>
    public string? Path { get; init; }
    public Severity FailOn { get; set; } = Severity.Error;
    /// <summary>rule id -> severity, or null when the rule is turned off.</summary>
    public Dictionary<string, Severity?> RuleOverrides { get; } = new(StringComparer.Ordinal);
    public List<string> Exclude { get; } = new();
    /// <summary>The scanned files are the whole deployment: a reference to something not scanned is an error, not a note.</summary>
    public bool Complete { get; set; }
    /// <summary>Target platform of the clusters/tasks, e.g. linux/amd64.</summary>
    public string? Platform { get; set; }
    /// <summary>The line of `platform:` in <see cref="Path"/>.</summary>
    public int PlatformLine { get; set; }
    /// <summary>Images must name a registry host (the cluster pulls, nothing is preloaded on nodes).</summary>
    public bool RegistryRequired { get; set; }
    /// <summary>Registry hosts images may come from; empty allows any.</summary>
    public List<string> AllowedRegistries { get; } = new();
    /// <summary>Extra env-name globs whose values reach browsers (added to VITE_*, NEXT_PUBLIC_*, REACT_APP_*...).</summary>
    public List<string> BrowserEnvPatterns { get; } = new();
    public long MaxFileBytes { get; set; } = 16L * 1024 * 1024;
    /// <summary>`apps:` image repository name -> app folder (relative to the scanned folder), for app-contract rules.</summary>
    public Dictionary<string, string> AppFolders { get; } = new(StringComparer.Ordinal);
    /// <summary>
    /// `terraform: varFiles:` var files Terraform reads only with -var-file (env/prod.tfvars), relative to the scanned folder;
    /// Module (optional) is the root module folder they are for (default: the file's folder or the nearest module above it).
    /// </summary>
    public List<(string Path, string? Module)> TerraformVarFiles { get; } = new();

    public static GroundcrewConfig Default => new();

    /// <summary>Look for .groundcrew.yaml (or .yml) in <paramref name="start"/> and its parents.</summary>
    public static string? FindUpward(string start)
    {
        var dir = new DirectoryInfo(File.Exists(start) ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(start))! : System.IO.Path.GetFullPath(start));
        for (; dir != null; dir = dir.Parent)
            foreach (var name in new[] { ".groundcrew.yaml", ".groundcrew.yml" })
            {
                var candidate = System.IO.Path.Combine(dir.FullName, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Parse a config file. Problems are returned as messages: a bad config is a usage error (exit 2).</summary>
    public static (GroundcrewConfig Config, List<string> Errors) Load(string path)
    {
        var errors = new List<string>();
        var config = new GroundcrewConfig { Path = path };
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot read config: {ex.Message}");
            return (config, errors);
        }
        var loaded = YamlTreeLoader.Load(text, path);
        if (loaded.Error is { } e) { errors.Add($"{path}:{e.Line}: {e.Message}"); return (config, errors); }
        if (loaded.Documents.Count == 0) return (config, errors);
        if (loaded.Documents[0].Root is not MapNode root) { errors.Add($"{path}: the config must be a YAML mapping"); return (config, errors); }

        foreach (var entry in root.Entries)
        {
            var key = entry.Name;
            var value = entry.Value;
            var where = $"{path}:{entry.KeySpan.StartLine}";
            switch (key)
            {
                case "failOn":
                    if (SeverityText.TryParse((value as ScalarNode)?.Value, out var f)) config.FailOn = f;
                    else errors.Add($"{where}: failOn must be error, warning or note");
                    break;
                case "rules":
                    foreach (var r in (value as MapNode)?.Entries ?? [])
                    {
                        var v = (r.Value as ScalarNode)?.Value?.ToLowerInvariant();
                        if (v is "off" or "false" or "disabled") config.RuleOverrides[r.Name] = null;
                        else if (v is "on" or "true") config.RuleOverrides.Remove(r.Name);
                        else if (SeverityText.TryParse(v, out var s)) config.RuleOverrides[r.Name] = s;
                        else errors.Add($"{path}:{r.KeySpan.StartLine}: rule {r.Name}: use off, error, warning or note");
                    }
                    break;
                case "exclude":
                    config.Exclude.AddRange(Strings(value, where, errors));
                    break;
                case "complete":
                    config.Complete = (value as ScalarNode)?.Value is "true" or "True";
                    break;
                case "platform":
                    config.Platform = (value as ScalarNode)?.Value;
                    config.PlatformLine = entry.KeySpan.StartLine;
                    break;
                case "registry":
                    if (value is MapNode reg)
                    {
                        config.RegistryRequired = reg.GetString("required") is "true" or "True";
                        if (reg["allowed"] is { } allowed) config.AllowedRegistries.AddRange(Strings(allowed, where, errors));
                    }
                    else errors.Add($"{where}: registry must be a mapping with required/allowed");
                    break;
                case "browserEnv":
                    config.BrowserEnvPatterns.AddRange(Strings(value, where, errors));
                    break;
                case "maxFileSizeMB":
                    if ((value as ScalarNode)?.AsLong is { } mb and > 0) config.MaxFileBytes = mb * 1024 * 1024;
                    else errors.Add($"{where}: maxFileSizeMB must be a positive whole number");
                    break;
                case "apps":
                    if (value is MapNode apps)
                        foreach (var a in apps.Entries)
                        {
                            if (a.Name is { Length: > 0 } image && a.Value is ScalarNode { Value: { Length: > 0 } folder })
                                config.AppFolders[image] = NormalizeFolder(folder);
                            else if (a.Value is ScalarNode)
                                errors.Add($"{path}:{a.KeySpan.StartLine}: apps: map an image name to a folder, e.g. `execution-service: services/execution`");
                        }
                    else if (value is not ScalarNode { IsNull: true })
                        errors.Add($"{where}: apps must be a mapping of image name to folder");
                    break;
                case "terraform":
                    if (value is not MapNode tf) { errors.Add($"{where}: terraform must be a mapping, e.g. `terraform: {{ varFiles: [env/prod.tfvars] }}`"); break; }
                    foreach (var t in tf.Entries)
                    {
                        if (t.Name != "varFiles") { errors.Add($"{path}:{t.KeySpan.StartLine}: unknown terraform setting '{t.Name}' (varFiles)"); continue; }
                        var items = t.Value is SeqNode seq ? seq.Items : [t.Value];
                        foreach (var item in items)
                        {
                            if (item is ScalarNode { Value: { Length: > 0 } file }) config.TerraformVarFiles.Add((NormalizeFolder(file), null));
                            else if (item is MapNode m && m.GetString("path") is { Length: > 0 } p)
                                config.TerraformVarFiles.Add((NormalizeFolder(p), m.GetString("module") is { Length: > 0 } mod ? NormalizeFolder(mod) : null));
                            else errors.Add($"{path}:{item.Span.StartLine}: terraform.varFiles: give a path (env/prod.tfvars) or {{ path: ..., module: ... }}");
                        }
                    }
                    break;
                case "verify" or "diagnose":
                    break; // read by the verbs that own them
                default:
                    errors.Add($"{where}: unknown setting '{key}' (see docs/configuration.md)");
                    break;
            }
        }
        return (config, errors);
    }

    private static string NormalizeFolder(string folder)
    {
        var f = folder.Trim().Replace('\\', '/');
        while (f.StartsWith("./", StringComparison.Ordinal)) f = f[2..];
        f = f.TrimEnd('/');
        return f.Length == 0 ? "." : f;
    }

    private static IEnumerable<string> Strings(Node value, string where, List<string> errors)
    {
        if (value is ScalarNode { Value: { } single }) return [single];
        if (value is SeqNode seq) return seq.Items.OfType<ScalarNode>().Select(s => s.Value).OfType<string>();
        errors.Add($"{where}: expected a string or a list of strings");
        return [];
    }

    public Severity? EffectiveSeverity(string ruleId, Severity defaultSeverity) =>
        RuleOverrides.TryGetValue(ruleId, out var s) ? s : defaultSeverity;
}
