using Groundcrew.Core;
using Groundcrew.Discover;
using Groundcrew.Load.Dockerfile;
using Groundcrew.Model;

namespace Groundcrew.Load;

/// <summary>
/// Reads what the app-contract rules compare manifests with: every discovered Dockerfile (parse problems become
/// input-error findings) and the application folders (a Dockerfile's folder, or a folder with package.json,
/// pyproject.toml, requirements.txt or go.mod). App source is scanned lazily, once per folder (<see cref="AppFolder.Scan"/>).
/// </summary>
public static class AppContractLoader
{
    public sealed record Result(IReadOnlyList<DockerfileDocument> Dockerfiles, IReadOnlyList<AppFolder> Apps, IReadOnlyList<InputProblem> Problems);

    private static readonly string[] ManifestNames = ["package.json", "pyproject.toml", "requirements.txt", "setup.cfg", "setup.py", "go.mod"];

    /// <param name="suppressions">Receives `# groundcrew:ignore rule-id reason` comments of the Dockerfiles (they silence the next instruction).</param>
    public static Result Load(string root, IEnumerable<DiscoveredFile> files, long maxFileBytes, Suppressions? suppressions = null)
    {
        var dockerfiles = new List<DockerfileDocument>();
        var problems = new List<InputProblem>();
        var folders = new Dictionary<string, List<DockerfileDocument>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var dirsWithFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            if (!seen.Add(f.FullPath)) continue;
            var dir = Path.GetDirectoryName(f.FullPath);
            if (dir == null) continue;
            dirsWithFiles.Add(dir);
            if (f.Format != FileFormat.Dockerfile) continue;
            var display = Display(root, f.FullPath);
            DockerfileDocument doc;
            try
            {
                var text = FileReader.Read(f.FullPath, maxFileBytes);
                if (text.Warning != null) problems.Add(new InputProblem(new SourceSpan(display, 1, 1), text.Warning, Severity.Warning));
                suppressions?.ScanComments(display, text.Content);
                doc = DockerfileParser.Parse(text.Content, display);
            }
            catch (LoadException ex) { problems.Add(new InputProblem(new SourceSpan(display, 1, 1), ex.Message)); continue; }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { problems.Add(new InputProblem(new SourceSpan(display, 1, 1), $"cannot read Dockerfile: {ex.Message}")); continue; }
            foreach (var p in doc.Problems)
                problems.Add(new InputProblem(new SourceSpan(display, Math.Max(1, p.Line), 1), $"Dockerfile: {p.Message}"));
            dockerfiles.Add(doc);
            if (!folders.TryGetValue(dir, out var list)) folders[dir] = list = [];
            list.Add(doc);
        }
        // Folders holding a package manifest are apps too (a stat per folder that holds a scanned file; no extra walk).
        foreach (var dir in dirsWithFiles)
            if (!folders.ContainsKey(dir) && (ManifestNames.Any(n => File.Exists(Path.Combine(dir, n))) || HasCsproj(dir)))
                folders[dir] = [];

        var apps = folders.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => PackageNames.Of(kv.Key) is { } pn
                ? new AppFolder(kv.Key, Display(root, kv.Key), pn.Name, kv.Value) { PackageManifest = pn.Manifest }
                : new AppFolder(kv.Key, Display(root, kv.Key), null, kv.Value))
            .ToList();
        // Sorted by path: an app's nested apps follow it directly.
        for (var i = 0; i < apps.Count; i++)
        {
            var prefix = apps[i].FullPath.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (i + 1 < apps.Count && apps[i + 1].FullPath.StartsWith(prefix, StringComparison.Ordinal)) apps[i].ContainsOtherApps = true;
        }
        return new Result(dockerfiles, apps, problems);
    }

    private static bool HasCsproj(string dir)
    {
        try { return Directory.EnumerateFiles(dir, "*.csproj").Any(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    private static string Display(string root, string full)
    {
        var rel = Path.GetRelativePath(root, full).Replace('\\', '/');
        return rel.Length == 0 ? "." : rel;
    }
}
