using System.Diagnostics;
using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>Nested dynamic blocks over large collections: evaluation is bounded, the cap is a finding, the scan goes on.</summary>
public class TerraformLimitsTests
{
    [Fact]
    public void Nested_dynamic_blocks_over_a_large_for_each_stop_at_the_cap_and_the_rest_is_still_checked()
    {
        var nested = File.ReadAllText(Path.Combine(Scan.TestRoot, "Rules", "ScanLimitReached", "fail", "main.tf"));
        var clock = Stopwatch.StartNew();

        var result = Scan.Files(("tf/main.tf", nested),
            ("app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  DB_URL: \"REPLACE_ME\"\n"));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "unbounded, this ran past 100 s and 1.7 GB");
        result.Of("scan-limit-reached").Should().NotBeEmpty();
        result.Of("placeholder-value").Should().ContainSingle("the rest of the repository is still checked");
        result.Of("internal-error").Should().BeEmpty();
    }
}
