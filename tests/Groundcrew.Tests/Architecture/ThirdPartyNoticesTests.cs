using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Architecture;

/// <summary>THIRD-PARTY-NOTICES.md lists every package the shipped projects reference, at the version they reference.</summary>
public class ThirdPartyNoticesTests
{
    [Fact]
    public void Every_package_a_shipped_project_references_is_listed_with_its_version_and_licence()
    {
        var notices = File.ReadAllText(Path.Combine(Repo.Root, "THIRD-PARTY-NOTICES.md"));
        // | Package | Version | Licence | ...
        var rows = Regex.Matches(notices, @"^\| (?<name>[A-Za-z][\w.]+) \| (?<version>[\d.]+) \| (?<licence>[^|]+) \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["name"].Value, m => (Version: m.Groups["version"].Value, Licence: m.Groups["licence"].Value.Trim()));
        var references = Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .SelectMany(p => Regex.Matches(File.ReadAllText(p), @"<PackageReference Include=""(?<name>[^""]+)"" Version=""(?<version>[^""]+)""").Select(m => (m.Groups["name"].Value, m.Groups["version"].Value)))
            .Distinct().ToList();
        references.Should().NotBeEmpty();
        foreach (var (name, version) in references)
        {
            rows.Should().ContainKey(name, $"{name} is shipped: list it with the licence its nuspec declares");
            rows[name].Version.Should().Be(version, $"the notices must name the version of {name} that ships");
            rows[name].Licence.Should().NotBeNullOrWhiteSpace();
        }
    }
}
