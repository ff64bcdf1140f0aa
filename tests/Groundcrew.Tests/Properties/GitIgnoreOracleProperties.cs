using System.Diagnostics;
using CsCheck;
using FluentAssertions;
using Groundcrew.Discover;
using Xunit;

namespace Groundcrew.Tests.Properties;

/// <summary>
/// The .gitignore matcher against git itself: a generated tree of files and a generated .gitignore (plain names,
/// <c>*</c>, <c>?</c>, <c>**</c>, character classes, anchoring with '/', directory-only patterns, negation), then
/// <c>git ls-files --others --ignored --exclude-standard</c> says which files git ignores. Groundcrew must ignore the
/// same files, deciding as the scan does: a file is ignored when it or one of its folders is (git never re-includes a
/// file inside an ignored folder).
/// </summary>
public class GitIgnoreOracleProperties
{
    private static readonly Gen<string> Name = Gen.OneOf("a", "b", "ab", "a.log", "b.txt", "build", "x1");
    private static readonly Gen<string> FilePath = Gen.Select(Name.Array[1, 3], parts => string.Join('/', parts));
    private static readonly Gen<string> Segment = Gen.OneOf("a", "b", "ab", "*", "a*", "*.log", "?", "b.t?t", "[ab]", "[a-b]*", "build", "x[0-9]", "**");
    private static readonly Gen<string> Pattern = Gen.Select(Gen.Bool, Segment.Array[1, 3], Gen.Frequency((3, Gen.Const("")), (1, Gen.Const("/"))),
        Gen.Frequency((4, Gen.Const("")), (1, Gen.Const("!"))), Gen.Frequency((3, Gen.Const("")), (1, Gen.Const("/"))),
        (_, segments, lead, negate, trail) => negate + lead + string.Join('/', segments) + trail);

    [Fact]
    public void Ignores_the_same_files_as_git() =>
        Gen.Select(FilePath.Array[3, 8], Pattern.Array[1, 4]).Sample((files, patterns) =>
        {
            var distinct = DistinctFiles(files);
            var root = Directory.CreateTempSubdirectory("groundcrew-gitignore-").FullName;
            try
            {
                foreach (var f in distinct)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, f))!);
                    File.WriteAllText(Path.Combine(root, f), "");
                }
                File.WriteAllLines(Path.Combine(root, ".gitignore"), patterns);
                Git(root, "init", "-q");
                var byGit = Git(root, "ls-files", "--others", "--ignored", "--exclude-standard").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                var ignore = new GitIgnore(root, patterns);
                foreach (var f in distinct)
                    Ours(ignore, f).Should().Be(byGit.Contains(f), $"{f} with .gitignore [{string.Join(" | ", patterns)}]");
            }
            finally { Directory.Delete(root, recursive: true); }
        }, iter: 120, threads: 1, print: t => $"files [{string.Join(", ", t.Item1)}] patterns [{string.Join(" | ", t.Item2)}]");

    /// <summary>The scan's decision: a folder that is ignored is not entered; otherwise the file's own last matching pattern.</summary>
    private static bool Ours(GitIgnore ignore, string file)
    {
        var parts = file.Split('/');
        for (var i = 1; i < parts.Length; i++)
            if (ignore.Decide(string.Join('/', parts[..i]), isDirectory: true) == true) return true;
        return ignore.Decide(file, isDirectory: false) == true;
    }

    // A path cannot be both a file and a folder.
    private static List<string> DistinctFiles(IEnumerable<string> files)
    {
        var kept = new List<string>();
        foreach (var f in files.Distinct())
            if (!kept.Any(k => k.StartsWith(f + "/", StringComparison.Ordinal) || f.StartsWith(k + "/", StringComparison.Ordinal))) kept.Add(f);
        return kept;
    }

    private static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["HOME"] = dir;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.Should().Be(0, p.StandardError.ReadToEnd());
        return stdout;
    }
}
