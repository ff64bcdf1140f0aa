using Groundcrew.Core;

namespace Groundcrew.Load.Kustomize;

/// <summary>
/// One kustomization file and what it points at: other kustomization folders (bases, components) and
/// member files (resources, patches, generator inputs). Remote references (URLs, git) are left out.
/// </summary>
public sealed class Kustomization
{
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public required string FullPath { get; init; }
    public required string DisplayPath { get; init; }
    public required MapNode? Root { get; init; }
    public string Directory => Path.GetDirectoryName(FullPath)!;
    /// <summary>Folders holding other kustomizations this one builds on.</summary>
    public List<string> ChildDirectories { get; } = new();
    /// <summary>Files that hold resources (rendered as the objects they define).</summary>
    public List<string> ResourceFiles { get; } = new();
    /// <summary>Files that patch or feed generators: part of the tree, but not objects of their own.</summary>
    public List<string> AuxiliaryFiles { get; } = new();
    /// <summary>`images:` entries, which override the image of every matching container.</summary>
    public List<MapNode> Images { get; } = new();

    public static bool IsKustomizationFile(string fileName) => FileNames.Contains(fileName);

    public static Kustomization Parse(string fullPath, string displayPath, string text)
    {
        var loaded = YamlTreeLoader.Load(text, displayPath);
        var root = loaded.Documents.FirstOrDefault()?.Root as MapNode;
        var k = new Kustomization { FullPath = fullPath, DisplayPath = displayPath, Root = root };
        if (root == null) return k;
        foreach (var key in new[] { "resources", "bases", "components" })
            foreach (var entry in root.GetSeq(key)?.Items.OfType<ScalarNode>() ?? [])
                k.AddPath(entry.Value, asResource: true);
        foreach (var entry in root.GetSeq("patchesStrategicMerge")?.Items.OfType<ScalarNode>() ?? [])
            k.AddPath(entry.Value, asResource: false);
        foreach (var key in new[] { "patches", "patchesJson6902", "replacements" })
            foreach (var p in root.GetSeq(key)?.Maps ?? [])
                k.AddPath(p.GetString("path"), asResource: false);
        foreach (var key in new[] { "configMapGenerator", "secretGenerator" })
            foreach (var g in root.GetSeq(key)?.Maps ?? [])
                foreach (var listKey in new[] { "files", "envs" })
                    foreach (var f in g.GetSeq(listKey)?.Items.OfType<ScalarNode>() ?? [])
                    {
                        var v = f.Value;
                        if (v == null) continue;
                        var eq = v.IndexOf('=');
                        k.AddPath(eq >= 0 ? v[(eq + 1)..] : v, asResource: false);
                    }
        if (root.GetString("env") is { } envFile) k.AddPath(envFile, asResource: false);
        k.Images.AddRange(root.GetSeq("images")?.Maps ?? []);
        return k;
    }

    private void AddPath(string? relative, bool asResource)
    {
        if (string.IsNullOrWhiteSpace(relative) || relative.Contains("://") || relative.StartsWith("git@", StringComparison.Ordinal) || relative.StartsWith("github.com/", StringComparison.Ordinal))
            return;
        var full = Path.GetFullPath(Path.Combine(Directory, relative));
        if (System.IO.Directory.Exists(full)) ChildDirectories.Add(full);
        else if (asResource) ResourceFiles.Add(full);
        else AuxiliaryFiles.Add(full);
    }

    public static string? FindIn(string directory) =>
        FileNames.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);
}
