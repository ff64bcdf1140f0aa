using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.App;

/// <summary>
/// Folders that hold a service's code but neither a Dockerfile nor a package manifest, recognized by a web framework
/// import (Data/app/web-frameworks.yaml). The repository's folders are listed once, on the first image no other tie
/// explains; a folder's files are read only when its name is asked for.
/// </summary>
public sealed class FrameworkFolders(string root, IReadOnlyList<AppFolder> apps)
{
    public sealed record Hit(AppFolder App, string Why);

    private sealed record Framework(string Name, string Language, Regex Pattern);

    private static readonly Lazy<List<Framework>> Frameworks = new(() =>
        (DataFiles.ReadYaml("app/web-frameworks.yaml").GetSeq("frameworks")?.Maps ?? [])
            .Select(m => new Framework(m.GetString("name") ?? "?", m.GetString("language") ?? "",
                new Regex(m.GetString("pattern") ?? throw new InvalidDataException("web-frameworks.yaml: pattern missing"), RegexOptions.Multiline, TimeSpan.FromMilliseconds(250))))
            .ToList());

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        ".git", "node_modules", ".terraform", "bin", "obj", ".venv", "venv", "__pycache__", "dist", "build", "vendor", "target", "coverage",
    };

    private const int MaxDepth = 6;
    private const int MaxFolders = 20_000;
    private const int MaxFilesPerFolder = 40;

    private readonly Lazy<Dictionary<string, List<string>>> _byName = new(() => ListFolders(root));
    private readonly Dictionary<string, Hit?> _hits = new(StringComparer.Ordinal);
    private readonly HashSet<string> _appNames = apps.Select(a => a.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _appPaths = apps.Select(a => a.FullPath).ToHashSet(StringComparer.Ordinal);

    /// <summary>The one folder named <paramref name="name"/> whose code imports a web framework; null when none, several, or an app folder has the name.</summary>
    public Hit? Unique(string name)
    {
        if (_appNames.Contains(name)) return null; // the name ties (or is ambiguous) among the real app folders already
        lock (_hits)
        {
            if (!_byName.Value.TryGetValue(name, out var dirs)) return null;
            var found = dirs.Where(d => !_appPaths.Contains(d)).Select(Detect).OfType<Hit>().ToList();
            return found.Count == 1 ? found[0] : null;
        }
    }

    private Hit? Detect(string dir)
    {
        if (_hits.TryGetValue(dir, out var cached)) return cached;
        Hit? hit = null;
        foreach (var file in SourceFiles(dir))
        {
            string head;
            try
            {
                using var reader = new StreamReader(file);
                var buffer = new char[32 * 1024];
                head = new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            var language = Language(file);
            var fw = Frameworks.Value.FirstOrDefault(f => f.Language == language && SafeMatch(f.Pattern, head));
            if (fw == null) continue;
            var display = Path.GetRelativePath(root, dir).Replace('\\', '/');
            hit = new Hit(new AppFolder(dir, display, null, []), $"a {fw.Name} app: {Path.GetRelativePath(root, file).Replace('\\', '/')} imports it");
            break;
        }
        _hits[dir] = hit;
        return hit;
    }

    private static bool SafeMatch(Regex r, string text)
    {
        try { return r.IsMatch(text); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    private static string Language(string file) => Path.GetExtension(file) switch
    {
        ".py" => "python",
        ".js" or ".mjs" or ".cjs" or ".ts" or ".mts" => "js",
        ".go" => "go",
        ".cs" => "csharp",
        _ => "",
    };

    /// <summary>The folder's own source files, then those of its src/ and app/ subfolders.</summary>
    private static IEnumerable<string> SourceFiles(string dir)
    {
        var result = new List<string>();
        foreach (var d in new[] { dir, Path.Combine(dir, "src"), Path.Combine(dir, "app") })
        {
            if (!Directory.Exists(d)) continue;
            try { result.AddRange(Directory.EnumerateFiles(d).Where(f => Language(f) != "").OrderBy(f => f, StringComparer.Ordinal)); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return result.Take(MaxFilesPerFolder);
    }

    private static Dictionary<string, List<string>> ListFolders(string root)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<(string Dir, int Depth)>();
        queue.Enqueue((root, 0));
        var count = 0;
        while (queue.Count > 0 && count < MaxFolders)
        {
            var (dir, depth) = queue.Dequeue();
            IEnumerable<string> children;
            try { children = Directory.EnumerateDirectories(dir).ToList(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            foreach (var child in children)
            {
                var name = Path.GetFileName(child);
                if (name.StartsWith('.') || Skipped.Contains(name)) continue;
                if (new DirectoryInfo(child).LinkTarget != null) continue; // a link may loop
                count++;
                if (!byName.TryGetValue(name, out var l)) byName[name] = l = [];
                l.Add(child);
                if (depth + 1 < MaxDepth) queue.Enqueue((child, depth + 1));
            }
        }
        return byName;
    }
}
