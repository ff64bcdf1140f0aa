namespace Groundcrew.Discover;

/// <summary>
/// Walks the paths to scan and picks the files Groundcrew can read. Honours .gitignore files
/// (root and nested) and the config's excludes, never enters VCS or dependency folders,
/// and follows directory symlinks only once per real folder so a symlink loop is reported, not looped on.
/// </summary>
public sealed class FileDiscovery(IReadOnlyList<string> excludeGlobs, int maxFiles = Core.Limits.MaxFiles)
{
    private bool _capped;

    // Folders whose contents are never deployment configuration of this repository.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", "node_modules", ".terraform", "bin", "obj", ".venv", "venv", "__pycache__", ".idea", ".vscode", "dist-newstyle",
    };

    private readonly List<Groundcrew.Core.SafeRegex> _excludes =
        excludeGlobs.Select(g => GitIgnore.TryCompile(GitIgnore.GlobToRegex(g.TrimStart('/').TrimEnd('/'), g.Contains('/')))).OfType<Groundcrew.Core.SafeRegex>().ToList();

    public List<DiscoveryProblem> Problems { get; } = new();

    public static FileFormat FormatOf(string fileName)
    {
        var lower = fileName.ToLowerInvariant();
        if (lower.EndsWith(".yaml") || lower.EndsWith(".yml")) return FileFormat.Yaml;
        // Terraform's JSON syntax is Terraform, read with its module (not as a JSON document).
        if (lower.EndsWith(".tf") || lower.EndsWith(".tfvars") || lower.EndsWith(".tf.json") || lower.EndsWith(".tfvars.json")) return FileFormat.Terraform;
        if (lower.EndsWith(".json")) return FileFormat.Json;
        if (lower == "dockerfile" || lower.StartsWith("dockerfile.") || lower.EndsWith(".dockerfile") || lower == "containerfile") return FileFormat.Dockerfile;
        return FileFormat.Other;
    }

    /// <summary>Files under <paramref name="root"/> (a folder or a single file) in a stable order.</summary>
    public List<DiscoveredFile> Discover(string root)
    {
        var result = new List<DiscoveredFile>();
        if (File.Exists(root))
        {
            // A file named explicitly is scanned whatever its name says.
            var info = new FileInfo(root);
            var format = FormatOf(info.Name);
            result.Add(new DiscoveredFile(info.FullName, root.Replace('\\', '/'), format == FileFormat.Other ? FileFormat.Yaml : format, info.Length));
            return result;
        }
        var rootFull = Path.GetFullPath(root);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        _realRoot = RealPath(rootFull);
        Walk(rootFull, rootFull, new List<GitIgnore>(), visited, result);
        result.Sort((a, b) => string.CompareOrdinal(a.DisplayPath, b.DisplayPath));
        return result;
    }

    private string _realRoot = "";

    /// <summary>Whether a real path lies inside the scanned root: a symbolic link must not lead the scan to /etc or a home folder.</summary>
    private bool InsideRoot(string real) =>
        real == _realRoot || real.StartsWith(_realRoot.EndsWith(Path.DirectorySeparatorChar) ? _realRoot : _realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private void Walk(string rootFull, string dir, List<GitIgnore> ignores, HashSet<string> visited, List<DiscoveredFile> result)
    {
        var real = RealPath(dir);
        if (!InsideRoot(real))
        {
            Problems.Add(new DiscoveryProblem(Relative(rootFull, dir), "symbolic link to a folder outside the scanned root; not followed"));
            return;
        }
        if (!visited.Add(real))
        {
            Problems.Add(new DiscoveryProblem(Relative(rootFull, dir), "symbolic link loop (this folder was already scanned through another path); not followed"));
            return;
        }
        var gitignorePath = Path.Combine(dir, ".gitignore");
        var scoped = ignores;
        if (File.Exists(gitignorePath) && GitIgnore.FromFile(gitignorePath) is { } gi)
            scoped = new List<GitIgnore>(ignores) { gi };

        IEnumerable<string> entries;
        try { entries = Directory.EnumerateFileSystemEntries(dir).OrderBy(e => e, StringComparer.Ordinal).ToList(); }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            Problems.Add(new DiscoveryProblem(Relative(rootFull, dir), $"cannot read folder: {ex.Message}"));
            return;
        }

        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            var rel = Relative(rootFull, entry);
            var isDir = Directory.Exists(entry);
            if (isDir && SkippedFolders.Contains(name)) continue;
            if (IsIgnored(scoped, entry, isDir) || IsExcluded(rel)) continue;
            if (_capped) return;
            if (isDir)
            {
                Walk(rootFull, entry, scoped, visited, result);
                continue;
            }
            var format = FormatOf(name);
            if (format == FileFormat.Other && !IsInterestingOther(name)) continue;
            try
            {
                var info = new FileInfo(entry);
                if (info.LinkTarget != null && info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
                {
                    Problems.Add(new DiscoveryProblem(rel, "broken symbolic link; skipped"));
                    continue;
                }
                if (info.LinkTarget != null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target && !InsideRoot(RealFilePath(target.FullName)))
                {
                    Problems.Add(new DiscoveryProblem(rel, "symbolic link to a file outside the scanned root; not read"));
                    continue;
                }
                if (result.Count >= maxFiles)
                {
                    // A generated or vendored tree must not make the scan unbounded; what lies past the cap is unchecked and the
                    // finding says so, so a clean result is not mistaken for a checked one. Folders are walked in name order,
                    // so the same files are kept on every run.
                    if (!_capped) Problems.Add(new DiscoveryProblem(rel, $"more than {maxFiles:N0} files to scan; this file and the rest were not read (scan-limit-reached)", "scan-limit-reached"));
                    _capped = true;
                    return;
                }
                result.Add(new DiscoveredFile(entry, rel, format, info.Length));
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                Problems.Add(new DiscoveryProblem(rel, $"cannot read file: {ex.Message}"));
            }
        }
    }

    /// <summary>Files without a structured-config extension that later stages still read (env examples, package manifests, app code).</summary>
    /// Package manifests other than package.json make an app folder of a folder that has no Dockerfile (a Python app built
    /// by buildpacks, a Go service built by a root Dockerfile); Tiltfile, Jenkinsfile and buildx bake files name image builds.
    private static bool IsInterestingOther(string name) =>
        name is ".env.example" or ".env.sample" or "Makefile" or "package.json" or "requirements.txt" or "pyproject.toml" or "setup.cfg"
            or "setup.py" or "go.mod" or "Tiltfile" or "Jenkinsfile" or "docker-bake.hcl" or "docker-bake.override.hcl"
        || name.EndsWith(".sh", StringComparison.Ordinal) || name.EndsWith(".csproj", StringComparison.Ordinal) || name.EndsWith(".mk", StringComparison.Ordinal);

    private bool IsExcluded(string rel) => _excludes.Any(r => r.IsMatch(rel));

    private static bool IsIgnored(List<GitIgnore> ignores, string fullPath, bool isDir)
    {
        bool? decision = null;
        foreach (var gi in ignores)
        {
            var rel = Path.GetRelativePath(gi.BaseDirectory, fullPath).Replace('\\', '/');
            if (gi.Decide(rel, isDir) is { } d) decision = d;
        }
        return decision == true;
    }

    private static string RealPath(string dir)
    {
        try
        {
            var info = new DirectoryInfo(dir);
            var target = info.LinkTarget != null ? info.ResolveLinkTarget(returnFinalTarget: true) : null;
            return target?.FullName ?? Path.GetFullPath(dir);
        }
        catch (IOException)
        {
            return dir; // a loop too deep to resolve: the visited-set check reports it on the next round
        }
    }

    /// <summary>A file's path with the folders above it resolved (a link inside the root to a folder outside it still leads outside).</summary>
    private static string RealFilePath(string path) =>
        Path.GetDirectoryName(path) is { } dir ? Path.Combine(RealPath(dir), Path.GetFileName(path)) : path;

    private static string Relative(string rootFull, string path)
    {
        var rel = Path.GetRelativePath(rootFull, path).Replace('\\', '/');
        return rel == "." ? Path.GetFileName(rootFull) : rel;
    }
}
