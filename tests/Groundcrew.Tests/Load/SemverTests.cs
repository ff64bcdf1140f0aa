using FluentAssertions;
using Groundcrew.Load.Npm;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>Range satisfaction as npm's node-semver decides it (cases taken from node-semver's range tests).</summary>
public class SemverTests
{
    [Theory]
    // caret
    [InlineData("^1.2.3", "1.2.3", true)]
    [InlineData("^1.2.3", "1.9.9", true)]
    [InlineData("^1.2.3", "2.0.0", false)]
    [InlineData("^1.2.3", "1.2.2", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.3", true)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("^0.0", "0.0.9", true)]
    [InlineData("^0.0", "0.1.0", false)]
    [InlineData("^1.x", "1.5.0", true)]
    [InlineData("^0.x", "0.9.0", true)]
    [InlineData("^0.x", "1.0.0", false)]
    [InlineData("^1.2.x", "1.2.0", true)]
    [InlineData("^0.1.x", "0.2.0", false)]
    // tilde
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData("~1.2", "1.2.0", true)]
    [InlineData("~1", "1.9.0", true)]
    [InlineData("~1", "2.0.0", false)]
    [InlineData("~> 1.2", "1.2.5", true)]
    // x-ranges and partials
    [InlineData("*", "3.4.5", true)]
    [InlineData("", "3.4.5", true)]
    [InlineData("1.x", "1.0.0", true)]
    [InlineData("1.x", "2.0.0", false)]
    [InlineData("1.2.*", "1.2.8", true)]
    [InlineData("1.2", "1.3.0", false)]
    [InlineData("1", "1.0.0", true)]
    [InlineData("x", "0.0.1", true)]
    // comparators
    [InlineData(">=1.2.3", "1.2.3", true)]
    [InlineData(">1.2.3", "1.2.3", false)]
    [InlineData(">1.2", "1.2.9", false)]
    [InlineData(">1.2", "1.3.0", true)]
    [InlineData(">1", "2.0.0", true)]
    [InlineData(">1", "1.9.9", false)]
    [InlineData("<1.2", "1.1.9", true)]
    [InlineData("<1.2", "1.2.0", false)]
    [InlineData("<=1.2", "1.2.9", true)]
    [InlineData("<=1.2", "1.3.0", false)]
    [InlineData(">= 1.2.3 < 2", "1.5.0", true)]
    [InlineData(">=1.2.3 <2.0.0", "2.0.0", false)]
    [InlineData("=1.2.3", "1.2.3", true)]
    [InlineData("v1.2.3", "1.2.3", true)]
    [InlineData("1.2.3", "1.2.4", false)]
    [InlineData(">*", "1.0.0", false)]
    // hyphen ranges
    [InlineData("1.2.3 - 2.3.4", "2.3.4", true)]
    [InlineData("1.2.3 - 2.3.4", "2.3.5", false)]
    [InlineData("1.2 - 2.3.4", "1.2.0", true)]
    [InlineData("1.2.3 - 2.3", "2.3.9", true)]
    [InlineData("1.2.3 - 2.3", "2.4.0", false)]
    [InlineData("1.2.3 - 2", "2.9.9", true)]
    // unions
    [InlineData("^8.0.0 || ^9.0.0 || ^10.0.0", "11.0.1", false)]
    [InlineData("^8.0.0 || ^9.0.0 || ^10.0.0", "10.4.15", true)]
    [InlineData("^0.1.12 || ^0.2.0", "0.1.13", true)]
    [InlineData("^0.1.12 || ^0.2.0", "0.3.0", false)]
    [InlineData(">=0.4.1", "0.5.1", true)]
    // prereleases: only within a set that names a prerelease of the same major.minor.patch
    [InlineData("^1.0.0", "1.5.0-rc.1", false)]
    [InlineData(">=1.0.0", "2.0.0-beta", false)]
    [InlineData("*", "1.0.0-rc.1", false)]
    // a set that means any version reduces the whole union to it (node-semver's Range constructor), and a plain
    // >=0.0.0 is such a set (replaceGTE0): found by SemverOracleProperties
    [InlineData("1.0.0-rc.1", "1.0.0-rc.1", true)]
    [InlineData("* || 1.0.0-rc.1", "1.0.0-rc.1", false)]
    [InlineData(">=*.1 || 10.0.2-beta.2 >2.x", "10.0.2-beta.2", false)]
    [InlineData("0 - x.2.1 || 1.2.1-0", "1.2.1-0", false)]
    [InlineData(">=0.0.0 0.0.0-rc.1", "0.0.0-rc.1", true)]
    [InlineData("~0.0.0-beta.2 ~0.x", "0.0.0-rc.1", true)]
    [InlineData("^1.2.3-beta.2", "1.2.3-beta.4", true)]
    [InlineData("^1.2.3-beta.2", "1.2.3-beta.1", false)]
    [InlineData("^1.2.3-beta.2", "1.2.4-beta.5", false)]
    [InlineData("^1.2.3-beta.2", "1.2.4", true)]
    [InlineData("^1.0.0", "2.0.0-0", false)]
    [InlineData(">=1.0.0-alpha <1.0.0", "1.0.0-beta", true)]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.1", true)]
    [InlineData(">1.0.0-alpha.2", "1.0.0-alpha.10", true)]
    [InlineData(">1.0.0-alpha.b", "1.0.0-alpha.10", false)]
    [InlineData("^11.0.0-next.1", "11.0.0", true)]
    [InlineData("1.2.3", "1.2.3+build.7", true)]
    public void Satisfies_like_node_semver(string range, string version, bool expected)
    {
        var r = SemverRange.Parse(range);
        r.Should().NotBeNull($"'{range}' is a valid range");
        r!.IsSatisfiedBy(version).Should().Be(expected, $"{version} {(expected ? "satisfies" : "does not satisfy")} '{range}'");
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("workspace:*")]
    [InlineData("npm:other@^1.0.0")]
    [InlineData("github:user/repo")]
    [InlineData("file:../lib")]
    [InlineData("https://example.com/x.tgz")]
    [InlineData("^1.2.3.4")]
    [InlineData(">=abc")]
    public void Non_semver_specs_are_unknown(string range) => SemverRange.Parse(range).Should().BeNull();

    [Fact]
    public void Versions_order_by_precedence()
    {
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"];
        for (var i = 0; i + 1 < ordered.Length; i++)
            SemVersion.Parse(ordered[i])!.CompareTo(SemVersion.Parse(ordered[i + 1])).Should().BeNegative($"{ordered[i]} < {ordered[i + 1]}");
        SemVersion.Parse("1.2").Should().BeNull();
        SemVersion.Parse("v1.2.3")!.ToString().Should().Be("1.2.3");
    }
}
