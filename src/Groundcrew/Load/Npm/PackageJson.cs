using System.Runtime.CompilerServices;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load.Npm;

/// <summary>A package.json read with positions: its dependency entries (to point findings at) and its scripts.</summary>
public sealed class PackageJson
{
    public static readonly string[] DependencySections = ["dependencies", "devDependencies", "optionalDependencies"];

    private PackageJson(MapNode root, string file) { Root = root; File = file; }

    public MapNode Root { get; }
    /// <summary>Display path of the package.json.</summary>
    public string File { get; }

    /// <summary>The entry declaring <paramref name="name"/> in dependencies, devDependencies or optionalDependencies.</summary>
    public MapEntry? Dependency(string name)
    {
        foreach (var s in DependencySections)
            if (Root.GetMap(s)?.Entry(name) is { } e) return e;
        return null;
    }

    public bool DependsOn(string name) => Dependency(name) != null;

    /// <summary>The range declared for <paramref name="name"/>, when it is a plain string.</summary>
    public string? DeclaredRange(string name) => (Dependency(name)?.Value as ScalarNode)?.Value;

    public IEnumerable<(string Name, ScalarNode Command)> Scripts() =>
        Root.GetMap("scripts")?.Entries.Where(e => e.Value is ScalarNode { Value: not null }).Select(e => (e.Name, (ScalarNode)e.Value)) ?? [];

    /// <summary>Reads <c>package.json</c> in <paramref name="fullDir"/>; null when absent or not a JSON object.</summary>
    public static PackageJson? Read(string fullDir, string displayDir)
    {
        var path = Path.Combine(fullDir, "package.json");
        if (!System.IO.File.Exists(path)) return null;
        var display = displayDir is "." or "" ? "package.json" : displayDir.TrimEnd('/') + "/package.json";
        try
        {
            var text = FileReader.Read(path, 4_000_000);
            var loaded = JsonTreeLoader.Load(text.Content, display);
            return loaded.Documents.Count > 0 && loaded.Documents[0].Root is MapNode m ? new PackageJson(m, display) : null;
        }
        catch (Exception ex) when (ex is LoadException or IOException or UnauthorizedAccessException) { return null; }
    }

    private sealed class Holder(AppFolder app)
    {
        public readonly Lazy<PackageJson?> Value = new(() => Read(app.FullPath, app.DisplayPath), LazyThreadSafetyMode.ExecutionAndPublication);
        public readonly Lazy<PackageJson?> Governing = new(() => FindUp(app), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private static PackageJson? FindUp(AppFolder app)
    {
        if (Of(app) is { } own) return own;
        // A Dockerfile folder without its own package.json inside a workspace (Nx, Turborepo): the nearest one above it.
        var dir = Path.GetDirectoryName(app.FullPath.TrimEnd(Path.DirectorySeparatorChar));
        var display = app.DisplayPath;
        for (var depth = 0; dir != null && depth < 6 && display != "."; depth++, dir = Path.GetDirectoryName(dir))
        {
            var slash = display.LastIndexOf('/');
            display = slash < 0 ? "." : display[..slash];
            if (Read(dir, display) is { } found) return found;
            if (display == ".") break;
        }
        return null;
    }

    /// <summary>The app's package.json, or for a folder without one the nearest package.json above it within the scan (a workspace root).</summary>
    public static PackageJson? GoverningOf(AppFolder app) => Cache.GetValue(app, a => new Holder(a)).Governing.Value;

    private static readonly ConditionalWeakTable<AppFolder, Holder> Cache = new();

    /// <summary>The app folder's package.json, read once.</summary>
    public static PackageJson? Of(AppFolder app) => Cache.GetValue(app, a => new Holder(a)).Value.Value;
}
