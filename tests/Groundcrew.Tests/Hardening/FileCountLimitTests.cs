using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Discover;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>A tree with more files than the scan reads (Limits.MaxFiles) is cut off with a finding, never silently or without bound.</summary>
public class FileCountLimitTests
{
    private static TempDir Tree()
    {
        var dir = new TempDir();
        foreach (var name in new[] { "a.yaml", "b.yaml", "sub/c.yaml", "sub/d.yaml", "z.yaml" })
            dir.Write(name, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {Path.GetFileNameWithoutExtension(name)}\n");
        return dir;
    }

    [Fact]
    public void Discovery_stops_at_the_cap_keeps_the_first_files_in_name_order_and_says_where_it_stopped()
    {
        using var dir = Tree();
        var discovery = new FileDiscovery([], maxFiles: 3);
        var files = discovery.Discover(dir.Path).Select(f => f.DisplayPath).ToList();
        files.Should().Equal("a.yaml", "b.yaml", "sub/c.yaml");
        discovery.Problems.Should().ContainSingle().Which.Should().Match<DiscoveryProblem>(p =>
            p.RuleId == "scan-limit-reached" && p.DisplayPath == "sub/d.yaml" && p.Message.Contains("more than 3 files"));
        new FileDiscovery([]).Discover(dir.Path).Should().HaveCount(5, "under the default cap every file is read");
    }

    [Fact]
    public void A_check_past_the_file_cap_reports_scan_limit_reached()
    {
        using var dir = Tree();
        var result = new CheckRunner(new CheckOptions { Paths = [dir.Path], Config = GroundcrewConfig.Default, MaxFiles = 2 }).Run();
        var finding = result.Of("scan-limit-reached").Should().ContainSingle().Which;
        finding.Severity.Should().Be(Severity.Warning);
        finding.Message.Should().Contain("more than 2 files");
    }
}
