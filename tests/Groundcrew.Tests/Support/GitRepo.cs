using System.Diagnostics;
using Groundcrew.Check;

namespace Groundcrew.Tests.Support;

/// <summary>
/// A real git repository in a temp folder, for rules that compare with --base REF: write files, commit,
/// change them, and scan the working tree against a revision as the CLI does.
/// </summary>
public sealed class GitRepo : IDisposable
{
    private readonly TempDir _dir = new();

    public string Path => _dir.Path;

    public GitRepo() => Git("init", "-q");

    public GitRepo Write(string relative, string content) { _dir.Write(relative, content); return this; }

    public GitRepo Delete(string relative) { File.Delete(System.IO.Path.Combine(Path, relative)); return this; }

    public GitRepo Commit(string message = "commit")
    {
        Git("add", "-A");
        Git("-c", "user.name=groundcrew-test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    public CheckResult Scan(string? baseRevision = "HEAD") => Support.Scan.Folder(Path, baseRevision: baseRevision);

    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error.Result}");
        return output.Result;
    }

    /// <summary>
    /// A fixture folder with a `.base/` subfolder is a two-revision fixture: `.base/` holds the files as they were at
    /// the base revision (same relative paths), the rest of the folder the current files. They are replayed into a
    /// fresh repository (base committed, current in the working tree) and scanned with --base HEAD.
    /// Folders without `.base/` are scanned as they are.
    /// </summary>
    public static CheckResult ScanFixture(string dir)
    {
        var baseDir = System.IO.Path.Combine(dir, ".base");
        if (!Directory.Exists(baseDir)) return Support.Scan.Folder(dir);
        using var repo = new GitRepo();
        Copy(baseDir, repo.Path, skip: null);
        repo.Commit("base revision");
        foreach (var f in Directory.GetFiles(repo.Path, "*", SearchOption.AllDirectories))
            if (!f.Contains($"{System.IO.Path.DirectorySeparatorChar}.git{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                File.Delete(f);
        Copy(dir, repo.Path, skip: ".base");
        return repo.Scan("HEAD");
    }

    private static void Copy(string from, string to, string? skip)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = System.IO.Path.GetRelativePath(from, file);
            if (skip != null && (rel == skip || rel.StartsWith(skip + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))) continue;
            var target = System.IO.Path.Combine(to, rel);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public void Dispose() => _dir.Dispose();
}
