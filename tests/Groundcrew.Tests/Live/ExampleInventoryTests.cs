using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Live.Inventory;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>`check --inventory` on the hokusai seed with its example snapshot: the live cells, offline.</summary>
public class ExampleInventoryTests
{
    private static readonly string Hokusai = Path.Combine(Verify.Harness.RepoRoot, "examples", "c-hokusai");

    private static CheckResult Run(Snapshot? inventory) =>
        new CheckRunner(new CheckOptions { Paths = [Hokusai], Config = GroundcrewConfig.Default, Inventory = inventory }).Run();

    [Fact]
    public void The_hokusai_snapshot_settles_C1_C2_C4_C5_offline_and_is_not_scanned_itself()
    {
        var without = Run(null);
        var with = Run(Snapshot.Load(Path.Combine(Hokusai, "inventory.json")));

        with.FilesScanned.Should().Be(without.FilesScanned, "the snapshot in the folder is not a deployment file");
        with.Findings.Where(f => !f.RuleId.StartsWith("live-")).Select(f => f.DedupKey)
            .Should().BeEquivalentTo(without.Findings.Select(f => f.DedupKey), "the repository rules say the same with or without it");
        // history/rev130 is the earlier revision kept beside the seed; it is scanned too and reports the same cells there.
        var live = with.Findings.Where(f => f.RuleId.StartsWith("live-") && f.Span.File.StartsWith("task-definitions/")).Select(f => $"{f.RuleId} {f.Span.File}:{f.Span.StartLine}").ToList();
        live.Should().BeEquivalentTo(
            "live-task-definition-drift task-definitions/hokusai-api-development.json:2",                  // C1
            "live-execution-role-cannot-read-secret task-definitions/hokusai-mlflow-development.json:20",  // C2
            "live-execution-role-cannot-read-secret task-definitions/hokusai-auth-development.json:16",    // C4
            "live-secret-missing task-definitions/hokusai-auth-development.json:15");                      // C5
        with.Findings.Single(f => f.RuleId == "live-secret-missing").Message.Should().Contain("auth-token-0GWWJx");
    }
}
