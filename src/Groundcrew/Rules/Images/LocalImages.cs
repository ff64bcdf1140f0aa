using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;
using Groundcrew.Rules.Values;

namespace Groundcrew.Rules.Images;

/// <summary>
/// What the repository's scripts and compose files say about images: which names are built locally (docker build -t,
/// compose build+image), which are loaded into a local cluster (kind load, minikube image load, k3d image import), and
/// whether anything pushes images at all.
/// </summary>
public sealed partial class LocalImages
{
    public Dictionary<string, string> Built { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> LoadedIntoLocalCluster { get; } = new(StringComparer.Ordinal);
    /// <summary>The first file that pushes images (or uses a tool that does), or null when nothing in the repository pushes.</summary>
    public string? Pusher { get; private set; }

    private static readonly ConditionalWeakTable<DeploymentModel, LocalImages> Cache = new();
    private IReadOnlyList<string> _dockerfiles = [];

    // Folder names that say nothing about which image a Dockerfile builds.
    private static readonly HashSet<string> GenericFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "docker", ".docker", "dockerfiles", "build", "deploy", "deployment", "src", "app", "ci", ".ci", "images", "image", "containers", "container", "infra", "ops", "tools", "scripts",
    };

    /// <summary>
    /// A Dockerfile of this repository that builds the image, judged by the monorepo convention services/NAME/Dockerfile -> ORG/NAME
    /// (or NAME-service, NAME-api...): the image's last path component equals the Dockerfile's folder name or starts with it and '-'.
    /// </summary>
    public string? DockerfileFor(string normalizedImage)
    {
        var last = normalizedImage[(normalizedImage.LastIndexOf('/') + 1)..];
        foreach (var df in _dockerfiles)
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(df) ?? "");
            if (folder.Length < 3 || GenericFolders.Contains(folder)) continue;
            if (string.Equals(last, folder, StringComparison.OrdinalIgnoreCase) || last.StartsWith(folder + "-", StringComparison.OrdinalIgnoreCase))
                return df;
        }
        return null;
    }

    [GeneratedRegex(@"\b(?:docker|podman|nerdctl)\s+(?:image\s+)?(?:buildx\s+)?build\b(?<args>[^\n;&|]*)|\bbuildah\s+(?:bud|build)\b(?<args>[^\n;&|]*)")]
    private static partial Regex BuildCommand();
    [GeneratedRegex(@"(?:^|\s)(?:-t|--tag)(?:\s+|=)[""']?(?<name>[^\s""']+)")]
    private static partial Regex TagFlag();
    [GeneratedRegex(@"\bkind\s+load\s+docker-image\s+(?<args>[^\n;&|]+)|\bminikube\s+(?:-p\s+\S+\s+)?image\s+load\s+(?<args>[^\n;&|]+)|\bk3d\s+image\s+import\s+(?<args>[^\n;&|]+)")]
    private static partial Regex LoadCommand();
    [GeneratedRegex(@"\bminikube\s+(?:-p\s+\S+\s+)?docker-env\b")]
    private static partial Regex MinikubeDockerEnv();
    [GeneratedRegex(@"\b(?:docker|podman|nerdctl|buildah)\s+(?:image\s+)?push\b|--push\b|\bpush:\s*true\b|\bcompose\s+push\b|docker-compose\s+push\b|\bskaffold\b|\bjib\b|\bko\s+(?:build|publish|apply|resolve)\b|\bcrane\s+(?:push|copy|cp)\b|\bkaniko\b|\bbuild-push-action\b|\bpack\s+build\b[^\n]*--publish|\bcopilot\b|\becr-login\b|\bskopeo\s+copy\b")]
    private static partial Regex PushCommand();

    public static LocalImages For(DeploymentModel model)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(model, out var existing)) return existing;
            var built = Build(model);
            Cache.Add(model, built);
            return built;
        }
    }

    private static LocalImages Build(DeploymentModel model)
    {
        var facts = new LocalImages();
        var scripts = RepoScripts.For(model);
        facts._dockerfiles = scripts.Dockerfiles;
        foreach (var (path, raw) in scripts.Files)
        {
            var text = raw.Replace("\\\r\n", " ").Replace("\\\n", " ");
            if (facts.Pusher == null && PushCommand().IsMatch(text)) facts.Pusher = path;
            var minikubeEnv = MinikubeDockerEnv().IsMatch(text);
            foreach (Match b in BuildCommand().Matches(text))
                foreach (Match t in TagFlag().Matches(b.Groups["args"].Value))
                    if (Normalize(t.Groups["name"].Value) is { } name)
                    {
                        facts.Built.TryAdd(name, path);
                        if (minikubeEnv) facts.LoadedIntoLocalCluster.TryAdd(name, path);
                    }
            foreach (Match l in LoadCommand().Matches(text))
                foreach (var arg in l.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (!arg.StartsWith('-') && Normalize(arg.Trim('"', '\'')) is { } name)
                        facts.LoadedIntoLocalCluster.TryAdd(name, path);
        }
        // docker compose: a service with both build and image builds that image name locally.
        foreach (var doc in model.OtherDocuments)
            foreach (var svc in (doc.Root as MapNode)?.GetMap("services")?.Entries ?? [])
                if (svc.Value is MapNode s && s["build"] != null && s.GetString("image") is { } img && Normalize(img) is { } name)
                    facts.Built.TryAdd(name, doc.File);
        return facts;
    }

    /// <summary>The repository part of a literal image name without tag/digest and without docker.io/library/; null for names built from variables.</summary>
    public static string? Normalize(string image)
    {
        if (image.Length == 0 || image.Contains('$') || image.Contains('{') || image.Contains('<')) return null;
        var at = image.IndexOf('@');
        if (at >= 0) image = image[..at];
        var colon = image.LastIndexOf(':');
        if (colon > image.LastIndexOf('/')) image = image[..colon];
        foreach (var prefix in new[] { "docker.io/library/", "docker.io/", "index.docker.io/library/", "index.docker.io/" })
            if (image.StartsWith(prefix, StringComparison.Ordinal)) { image = image[prefix.Length..]; break; }
        if (image.StartsWith("library/", StringComparison.Ordinal)) image = image["library/".Length..];
        return image.Length == 0 ? null : image;
    }
}
