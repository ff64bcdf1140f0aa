using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Core;

namespace Groundcrew.Tests.Support;

/// <summary>Runs the real check pipeline on a folder or on inline files, as the CLI would.</summary>
public static class Scan
{
    public static string TestRoot => AppContext.BaseDirectory;

    public static CheckResult Folder(string path, GroundcrewConfig? config = null, string? baseRevision = null)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(TestRoot, path);
        var cfgPath = GroundcrewConfig.FindUpward(full);
        if (config == null && cfgPath != null && cfgPath.StartsWith(full, StringComparison.Ordinal))
        {
            var (loaded, errors) = GroundcrewConfig.Load(cfgPath);
            if (errors.Count > 0) throw new InvalidOperationException(string.Join("\n", errors));
            config = loaded;
        }
        // A live rule's fixture carries the account's state beside the repository files as inventory.json.
        var inventory = Directory.Exists(full) && File.Exists(System.IO.Path.Combine(full, "inventory.json"))
            ? Groundcrew.Live.Inventory.Snapshot.Load(System.IO.Path.Combine(full, "inventory.json")) : null;
        return new CheckRunner(new CheckOptions { Paths = [full], Config = config ?? GroundcrewConfig.Default, BaseRevision = baseRevision, Inventory = inventory }).Run();
    }

    /// <summary>Write the given files into a fresh temp folder and scan it.</summary>
    public static CheckResult Files(params (string Path, string Content)[] files) => Files(null, files);

    public static CheckResult Files(GroundcrewConfig? config, params (string Path, string Content)[] files)
    {
        using var dir = new TempDir();
        foreach (var (p, content) in files) dir.Write(p, content);
        return Folder(dir.Path, config);
    }

    public static IEnumerable<Finding> Of(this CheckResult r, string ruleId) => r.Findings.Where(f => f.RuleId == ruleId);
}

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("groundcrew-test-").FullName;

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
