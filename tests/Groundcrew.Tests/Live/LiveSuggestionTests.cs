using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Live.Inventory;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// The "closest existing ..." hints of the live findings, as a user reads them. They share Groundcrew's one edit
/// distance (a swap of neighbours is one edit), so a name typed with swapped letters still finds what it meant, while
/// a name unlike every one in the account suggests nothing.
/// </summary>
public class LiveSuggestionTests
{
    private static CheckResult CheckAgainstAccount(string taskDefinition)
    {
        var snapshot = new Snapshot
        {
            TakenAt = DateTimeOffset.Parse("2026-12-06T18:00:00Z"),
            Sources = new SnapshotSources { Aws = new AwsSource("111122223333", ["us-east-1"], null, null) },
            Aws = new AwsFacts
            {
                Roles =
                [
                    new IamRoleFact("app-execution", "arn:aws:iam::111122223333:role/app-execution", null, []),
                    new IamRoleFact("app-task", "arn:aws:iam::111122223333:role/app-task", null, []),
                ],
                EcrRepositories =
                [
                    new EcrRepositoryFact("worker", "111122223333.dkr.ecr.us-east-1.amazonaws.com/worker", [new EcrImageFact("sha256:" + new string('a', 64), ["1.0"], null)]),
                    new EcrRepositoryFact("api", "111122223333.dkr.ecr.us-east-1.amazonaws.com/api", []),
                ],
            },
        };
        using var repo = new TempDir();
        repo.Write("taskdef.json", taskDefinition);
        File.WriteAllText(Path.Combine(repo.Path, "inventory.json"), snapshot.ToJson());
        return new CheckRunner(new CheckOptions { Paths = [Path.Combine(repo.Path, "taskdef.json")], Config = GroundcrewConfig.Default,
            Inventory = Snapshot.Load(Path.Combine(repo.Path, "inventory.json")) }).Run();
    }

    private const string Swapped = """
        {
          "family": "worker",
          "executionRoleArn": "arn:aws:iam::111122223333:role/app-exectuion",
          "containerDefinitions": [
            { "name": "worker", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/wrokre:1.0", "essential": true }
          ]
        }
        """;

    [Fact]
    public void A_role_name_with_swapped_letters_is_told_the_role_it_meant()
    {
        var finding = CheckAgainstAccount(Swapped).Of("live-role-missing").Should().ContainSingle().Subject;
        finding.Message.Should().EndWith("no role `app-exectuion` exists (observed in the inventory of 2026-12-06 18:00:00 UTC, account 111122223333). The closest existing role is `app-execution`.");
    }

    [Fact]
    public void A_repository_name_with_two_swaps_is_told_the_repository_it_meant()
    {
        // `wrokre` is two neighbour swaps from `worker` (four plain edits, over the limit of 2 for a six-letter name).
        var finding = CheckAgainstAccount(Swapped).Of("live-image-tag-not-pushed").Should().ContainSingle().Subject;
        finding.Message.Should().Contain("ECR repository `wrokre`, which does not exist").And.EndWith("The closest repository is `worker`.");
        finding.Fix.Should().EndWith("or pull from `111122223333.dkr.ecr.us-east-1.amazonaws.com/worker`.");
    }

    [Fact]
    public void A_name_unlike_any_in_the_account_suggests_nothing()
    {
        var result = CheckAgainstAccount(Swapped.Replace("app-exectuion", "billing-service").Replace("wrokre", "payments"));
        result.Of("live-role-missing").Should().ContainSingle().Which.Message.Should().NotContain("closest");
        result.Of("live-image-tag-not-pushed").Should().ContainSingle().Which.Message.Should().NotContain("closest");
    }
}
