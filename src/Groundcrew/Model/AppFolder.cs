using Groundcrew.Load.AppCode;
using Groundcrew.Load.Dockerfile;

namespace Groundcrew.Model;

/// <summary>
/// An application folder: the folder of a Dockerfile (its usual build context) or of a package manifest
/// (package.json, pyproject.toml, requirements.txt, go.mod, *.csproj). Its source is scanned for env reads
/// once, on first use (<see cref="Scan"/>), so a repository whose containers tie to no app pays nothing.
/// </summary>
public sealed class AppFolder
{
    private readonly Lazy<AppScanResult> _scan;

    public AppFolder(string fullPath, string displayPath, string? packageName, IReadOnlyList<DockerfileDocument> dockerfiles, long maxFileBytes = AppSourceScanner.DefaultMaxFileBytes)
    {
        FullPath = fullPath;
        DisplayPath = displayPath;
        PackageName = packageName;
        Dockerfiles = dockerfiles;
        _scan = new Lazy<AppScanResult>(() => AppSourceScanner.Scan(fullPath, displayPath == "." ? null : displayPath, maxFileBytes), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string FullPath { get; }
    /// <summary>Relative to the scan root, '/' separators ("." for the root itself).</summary>
    public string DisplayPath { get; }
    /// <summary>The folder's own name.</summary>
    public string Name => DisplayPath == "." ? Path.GetFileName(FullPath.TrimEnd('/', '\\')) : DisplayPath[(DisplayPath.LastIndexOf('/') + 1)..];
    /// <summary>The name the folder's package manifest gives (package.json without its @scope/, pyproject.toml, setup.cfg, go.mod's last path element, a .csproj's assembly name).</summary>
    public string? PackageName { get; }
    /// <summary>The manifest <see cref="PackageName"/> comes from ("package.json", "pyproject.toml", ...), for the tie's evidence.</summary>
    public string PackageManifest { get; init; } = "package.json";
    /// <summary>Dockerfiles that sit in this folder.</summary>
    public IReadOnlyList<DockerfileDocument> Dockerfiles { get; }
    /// <summary>True when another app folder lies inside this one (a monorepo root): its scan would mix several apps.</summary>
    public bool ContainsOtherApps { get; internal set; }

    public AppScanResult Scan => _scan.Value;

    public override string ToString() => DisplayPath;
}
