using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Discover;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>A repository's own .gitignore (or a config exclude) must not be able to hang the scan: glob matching is linear.</summary>
public class GlobMatcherTests
{
    private const string Backtracking = "*a*a*a*a*a*a*a*a*a*a*a*b";

    [Fact]
    public void A_backtracking_gitignore_pattern_on_long_names_decides_quickly()
    {
        var ignore = new GitIgnore("/repo", [Backtracking, "**/a*a*a*a*a*a*a*a*a*a*/**/x"]);
        var longName = new string('a', 250);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 20; i++)
            ignore.Decide($"{longName}/{longName}/{longName}.yaml", isDirectory: false).Should().BeNull("nothing ends in b, and the second pattern needs an x");
        ignore.Decide(longName + "b", isDirectory: false).Should().BeTrue();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the backtracking version needs longer than the age of the universe here");
    }

    [Fact]
    public void A_scan_with_such_a_gitignore_and_config_exclude_finishes()
    {
        var root = Directory.CreateTempSubdirectory("gc-glob-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, ".gitignore"), Backtracking + "\n");
            File.WriteAllText(Path.Combine(root, new string('a', 240) + ".yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
            File.WriteAllText(Path.Combine(root, "ab"), "");
            var clock = Stopwatch.StartNew();

            var files = new FileDiscovery([Backtracking]).Discover(root);

            files.Select(f => f.DisplayPath).Should().Equal(new string('a', 240) + ".yaml");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        }
        finally { Directory.Delete(root, true); }
    }

    [Theory]
    [InlineData("*.yaml", "a/b/c.yaml", true)]
    [InlineData("/build", "build", true)]
    [InlineData("/build", "x/build", false)]
    [InlineData("docs/**/*.md", "docs/a/b/c.md", true)]
    [InlineData("**/tmp", "a/b/tmp", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file/.txt", false)]
    [InlineData("[ab]*.yaml", "b1.yaml", true)]
    [InlineData("[!ab]*.yaml", "b1.yaml", false)]
    public void Globs_keep_their_gitignore_meaning(string pattern, string path, bool ignored)
    {
        (new GitIgnore("/r", [pattern]).Decide(path, isDirectory: false) == true).Should().Be(ignored);
    }
}
