using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Groundcrew.Tests.Rules.Kubernetes;

/// <summary>
/// Runs our PDB/HPA rules over the fixtures of the peer linters that check the same things (Polaris, kube-linter,
/// kube-score; copies in shared/corpus, expectations in their EXPECTED.tsv) and asserts we agree with them, except
/// for the deliberate disagreements listed below with their reasons. Each fixture file is scanned on its own, as the
/// peer's test does.
/// </summary>
public class PeerLinterAgreementTests(ITestOutputHelper output)
{
    /// <summary>One peer expectation: in this file, these objects are (or are not) reported by the peer's check.</summary>
    private sealed record Case(string Peer, string PeerCheck, string File, string OurRule, string[] PeerFlags, string[] PeerPasses, string? Disagreement = null, string[]? WeFlagInstead = null);

    private static readonly Case[] Cases =
    [
        // Polaris pdbDisruptionsIsZero: failure* = >= 1 danger, success* = 0.
        new("polaris", "pdbDisruptionsIsZero", "FairwindsOps__polaris/test/checks/pdbDisruptionsIsZero/failure.either.yaml", "pdb-blocks-eviction", ["nginx"], []),
        new("polaris", "pdbDisruptionsIsZero", "FairwindsOps__polaris/test/checks/pdbDisruptionsIsZero/failure.max.yaml", "pdb-blocks-eviction", ["nginx"], []),
        new("polaris", "pdbDisruptionsIsZero", "FairwindsOps__polaris/test/checks/pdbDisruptionsIsZero/failure.min.yaml", "pdb-blocks-eviction", ["nginx"], []),
        new("polaris", "pdbDisruptionsIsZero", "FairwindsOps__polaris/test/checks/pdbDisruptionsIsZero/success.both.yaml", "pdb-blocks-eviction", [], ["nginx"]),
        new("polaris", "pdbDisruptionsIsZero", "FairwindsOps__polaris/test/checks/pdbDisruptionsIsZero/success.max.yaml", "pdb-blocks-eviction", [], ["nginx"]),
        new("polaris", "pdbDisruptionsIsZero", "FairwindsOps__polaris/test/checks/pdbDisruptionsIsZero/success.min.yaml", "pdb-blocks-eviction", [], ["nginx"]),
        new("polaris", "pdbDisruptionsIsZero", "FairwindsOps__polaris/test/checks/pdbDisruptionsIsZero/success.none.yaml", "pdb-blocks-eviction", [], ["nginx"]),
        // Polaris pdbMinAvailableGreaterThanHPAMinReplicas.
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/failure-gt-percent.yaml", "pdb-blocks-eviction", ["zookeeper-pdb"], []),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/failure-gt-scalar.yaml", "pdb-blocks-eviction", ["zookeeper-pdb"], []),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success-lt-percent.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success-maxUnavailable.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.equals.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"],
            "minAvailable 5 equals the HPA's minReplicas 5: at the minimum every pod must stay up, so zero disruptions are allowed (Polaris only flags strictly greater)", ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.hpa-no-match.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.lt.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.no-hpa.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.no-match.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.no-min-replicas.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"],
            "the HPA sets no minReplicas, which defaults to 1: at 1 pod a minAvailable: 2 budget blocks every eviction (Polaris skips HPAs without an explicit minimum)", ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.no-pdb.yaml", "pdb-blocks-eviction", [], []),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.pdb-no-match.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.percent-no-replica.yaml", "pdb-blocks-eviction", [], ["zookeeper-pdb"]),
        new("polaris", "pdbMinAvailableGreaterThanHPAMinReplicas", "FairwindsOps__polaris/test/checks/pdbMinAvailableGreaterThanHPAMinReplicas/success.yaml", "pdb-blocks-eviction", [], []),
        // kube-linter (bats: exact reports per object).
        new("kube-linter", "pdb-max-unavailable", "stackrox__kube-linter/tests/checks/pdb-max-unavailable.yaml", "pdb-blocks-eviction", ["foo"], ["baz"]),
        new("kube-linter", "pdb-min-available", "stackrox__kube-linter/tests/checks/pdb-min-available.yaml", "pdb-blocks-eviction", ["baz", "baz2", "baz3"], []),
        new("kube-linter", "dangling-horizontalpodautoscaler", "stackrox__kube-linter/tests/checks/dangling-hpa.yml", "hpa-target-missing", ["hpa1"], ["RELEASE-NAME-mychart"]),
        // kube-score (Go tests: grade Critical = flagged, AllOK = not).
        new("kube-score", "HorizontalPodAutoscaler has target", "zegl__kube-score/score/testdata/hpa-has-no-target.yaml", "hpa-target-missing", ["php-apache"], []),
        new("kube-score", "HorizontalPodAutoscaler has target", "zegl__kube-score/score/testdata/hpa-autoscalingv1-targets-deployment.yaml", "hpa-target-missing", [], ["php-apache"]),
        new("kube-score", "HorizontalPodAutoscaler has target", "zegl__kube-score/score/testdata/hpa-autoscalingv2-targets-deployment.yaml", "hpa-target-missing", [], ["php-apache"]),
        new("kube-score", "HorizontalPodAutoscaler has target", "zegl__kube-score/score/testdata/hpa-autoscalingv2beta1-targets-deployment.yaml", "hpa-target-missing", [], ["php-apache"]),
        new("kube-score", "HorizontalPodAutoscaler has target", "zegl__kube-score/score/testdata/hpa-autoscalingv2beta2-targets-deployment.yaml", "hpa-target-missing", [], ["php-apache"]),
        new("kube-score", "Deployment targeted by HPA does not have replicas configured", "zegl__kube-score/score/testdata/deployment-with-hpa-has-replicas.yaml", "hpa-conflicts-with-replicas", ["php-apache"], []),
        new("kube-score", "Deployment targeted by HPA does not have replicas configured", "zegl__kube-score/score/testdata/deployment-with-hpa-not-has-replicas.yaml", "hpa-conflicts-with-replicas", [], ["php-apache"]),
    ];

    private static string CorpusRoot()
    {
        // CI clones the repository with shared/ beside it; developers have it at /work/shared.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(candidate)) return candidate;
        }
        return "/work/shared/corpus";
    }

    /// <summary>Which named objects our rule reports in the file (a finding's message starts with or names its object).</summary>
    private static (HashSet<string> Names, int Findings) Flagged(Case c, IEnumerable<string> names)
    {
        var path = Path.Combine(CorpusRoot(), c.File);
        File.Exists(path).Should().BeTrue($"the peer fixture {c.File} must be present in shared/corpus");
        var result = Scan.Files((Path.GetFileName(path), File.ReadAllText(path)));
        var findings = result.Of(c.OurRule).ToList();
        var kind = c.OurRule == "pdb-blocks-eviction" ? "PodDisruptionBudget" : c.OurRule == "hpa-target-missing" ? "HorizontalPodAutoscaler" : "Deployment";
        return (names.Where(n => findings.Any(f => f.Message.Contains($"{kind}/{n} ", StringComparison.Ordinal))).ToHashSet(), findings.Count);
    }

    [Fact]
    public void Our_pdb_and_hpa_rules_agree_with_polaris_kube_linter_and_kube_score_except_listed_disagreements()
    {
        int agree = 0, disagree = 0;
        var unexpected = new List<string>();
        foreach (var c in Cases)
        {
            var all = c.PeerFlags.Concat(c.PeerPasses).ToArray();
            var (ours, count) = Flagged(c, all);
            var expectedOurs = c.WeFlagInstead != null ? c.WeFlagInstead.ToHashSet() : c.PeerFlags.ToHashSet();
            if (!ours.SetEquals(expectedOurs) || count != expectedOurs.Count)
                unexpected.Add($"{c.Peer} {c.PeerCheck} {c.File}: expected us to flag [{string.Join(", ", expectedOurs)}], we flagged [{string.Join(", ", ours)}] ({count} findings)");
            var peerSet = c.PeerFlags.ToHashSet();
            foreach (var n in all)
            {
                if (ours.Contains(n) == peerSet.Contains(n)) agree++;
                else disagree++;
            }
            if (c.Disagreement != null) output.WriteLine($"deliberate disagreement with {c.Peer} {c.PeerCheck} ({Path.GetFileName(c.File)}): {c.Disagreement}");
        }
        output.WriteLine($"agreement: {agree} of {agree + disagree} objects ({Cases.Length} fixture files); deliberate disagreements: {disagree}");
        unexpected.Should().BeEmpty();
        disagree.Should().Be(Cases.Count(c => c.Disagreement != null), "every disagreement with a peer is one listed with its reason");
    }
}
