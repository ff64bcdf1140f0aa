using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Groundcrew.Tests.Rules.References;

/// <summary>
/// Runs our reference rules over the fixtures kube-linter and kube-score use for the same checks (dangling
/// Service, non-existent ServiceAccount, Ingress targets; Polaris has no equivalent check) and compares verdicts
/// object by object. Each peer case says whether the peer reports the object; each case also says what we report
/// (nothing, a note, an error). Disagreements must be exactly the deliberate ones listed here, with their reason.
/// </summary>
public class PeerAgreementTests(ITestOutputHelper output)
{
    /// <param name="Folder">Fixtures/Peers/&lt;peer&gt;/&lt;case&gt;</param>
    /// <param name="Subject">How our message names the object ("Service app1", "Ingress bad-port", "Deployment app runs as")</param>
    /// <param name="PeerFires">The peer reports this object</param>
    /// <param name="Ours">What we report: null = nothing</param>
    public sealed record Case(string Folder, string Rule, string Subject, bool PeerFires, Severity? Ours, string? Why = null);

    private const string Unknown = "deliberate: the target is not in the scanned files, so it is unknown, not wrong: a note (an error with `complete: true`)";
    private const string NoOverlap = "deliberate: the selector shares no label with any pod template, so the pods may come from Helm or an operator: a note";

    public static readonly Case[] Cases =
    [
        // kube-linter dangling-service (check "dangling-service")
        new("kube-linter/dangling-service", "service-selects-nothing", "Service dont-fire ", false, null),
        new("kube-linter/dangling-service", "service-selects-nothing", "Service app1 ", true, Severity.Error),
        new("kube-linter/dangling-service", "service-selects-nothing", "Service app2 ", true, Severity.Error),
        // kube-linter non-existent-service-account
        new("kube-linter/non-existent-service-account", "missing-service-account", "Deployment dont-fire ", false, null),
        new("kube-linter/non-existent-service-account", "missing-service-account", "Deployment app ", true, Severity.Note, Unknown),
        new("kube-linter/non-existent-service-account", "missing-service-account", "DeploymentConfig app ", true, null,
            "deliberate: OpenShift DeploymentConfig (deprecated since OpenShift 4.14) is not a workload in our model; we target EKS/ECS"),
        // kube-linter dangling-ingress
        new("kube-linter/dangling-ingress", "ingress-backend-missing", "Ingress dont-fire ", false, null),
        new("kube-linter/dangling-ingress", "ingress-backend-missing", "Ingress dont-fire-named-port ", false, null),
        new("kube-linter/dangling-ingress", "ingress-backend-missing", "Ingress dont-fire-defaultbackend ", false, null),
        new("kube-linter/dangling-ingress", "ingress-backend-missing", "Ingress dont-fire-resource ", false, null),
        new("kube-linter/dangling-ingress", "ingress-backend-missing", "Ingress missing-service ", true, Severity.Note, Unknown),
        new("kube-linter/dangling-ingress", "ingress-backend-missing", "Ingress bad-port ", true, Severity.Error),
        // kube-score "Service Targets Pod"
        new("kube-score/service-target-deployment", "service-selects-nothing", "Service my-service ", false, null),
        new("kube-score/service-not-target-deployment", "service-selects-nothing", "Service my-service-no-match ", true, Severity.Note, NoOverlap),
        new("kube-score/service-target-pod", "service-selects-nothing", "Service my-service ", false, null),
        new("kube-score/service-not-target-pod", "service-selects-nothing", "Service my-service ", true, Severity.Note, NoOverlap),
        new("kube-score/service-target-pod-multi-label", "service-selects-nothing", "Service my-service ", false, null),
        new("kube-score/service-not-target-pod-multi-label", "service-selects-nothing", "Service my-service ", true, Severity.Error),
        new("kube-score/service-target-pod-same-namespace", "service-selects-nothing", "Service my-service ", false, null),
        new("kube-score/service-target-pod-different-namespace", "service-selects-nothing", "Service my-service ", true, Severity.Error),
        new("kube-score/service-target-deployment-same-namespace", "service-selects-nothing", "Service my-service ", false, null),
        new("kube-score/service-target-deployment-different-namespace", "service-selects-nothing", "Service my-service ", true, Severity.Error),
        new("kube-score/service-externalname", "service-selects-nothing", "Service wp-site ", false, null),
        // kube-score "Ingress targets Service"
        new("kube-score/ingress-targets-service", "ingress-backend-missing", "Ingress app-ingress ", false, null),
        new("kube-score/ingress-targets-service-no-match", "ingress-backend-missing", "Ingress app-ingress ", true, Severity.Note, Unknown),
        new("kube-score/ingress-networkingv1beta1-targets-service", "ingress-backend-missing", "Ingress app-ingress ", false, null),
        new("kube-score/ingress-networkingv1beta1-targets-service-no-match", "ingress-backend-missing", "Ingress app-ingress ", true, Severity.Note, Unknown),
        new("kube-score/ingress-networkingv1-targets-service", "ingress-backend-missing", "Ingress app-ingress ", false, null),
        new("kube-score/ingress-networkingv1-targets-service-no-match", "ingress-backend-missing", "Ingress app-ingress ", true, Severity.Note, Unknown),
        new("kube-score/ingress-v1-invalid-backend", "ingress-backend-missing", "Ingress whatever ", true, Severity.Error),
        new("kube-score/ingress_issue363", "ingress-backend-missing", "Ingress app-ingress ", true, Severity.Error),
        new("kube-score/ingress_issue388", "ingress-backend-missing", "Ingress app-ingress ", false, null),
    ];

    private static Severity? Verdict(Case c)
    {
        var result = Scan.Folder(Path.Combine(Scan.TestRoot, "Fixtures", "Peers", c.Folder));
        var mine = result.Of(c.Rule).Where(f => f.Message.StartsWith(c.Subject, StringComparison.Ordinal)).ToList();
        return mine.Count == 0 ? null : mine.Max(f => f.Severity);
    }

    [Fact]
    public void Each_peer_fixture_object_gets_the_verdict_we_chose()
    {
        var wrong = new List<string>();
        foreach (var c in Cases)
        {
            var got = Verdict(c);
            if (got != c.Ours) wrong.Add($"{c.Folder} {c.Subject.Trim()} ({c.Rule}): expected {c.Ours?.ToText() ?? "nothing"}, got {got?.ToText() ?? "nothing"}");
        }
        wrong.Should().BeEmpty();
    }

    [Fact]
    public void Agreement_with_the_peers_and_every_disagreement_is_deliberate()
    {
        var fires = 0; var errors = 0;
        foreach (var c in Cases)
        {
            var got = Verdict(c);
            var agreesOnFiring = (got != null) == c.PeerFires;
            var agreesOnError = (got == Severity.Error) == c.PeerFires;
            if (agreesOnFiring) fires++;
            if (agreesOnError) errors++;
            if (!agreesOnError)
            {
                c.Why.Should().NotBeNull($"{c.Folder} {c.Subject.Trim()}: a disagreement with the peer must say why");
                output.WriteLine($"disagree: {c.Folder} {c.Subject.Trim()} peer={(c.PeerFires ? "fires" : "silent")} ours={got?.ToText() ?? "nothing"} ({c.Why})");
            }
        }
        output.WriteLine($"agreement on reporting at all: {fires}/{Cases.Length}; on reporting an error: {errors}/{Cases.Length}");
        // Never report an object a peer considers fine: our false positives would be theirs too.
        Cases.Where(c => !c.PeerFires).Should().OnlyContain(c => c.Ours == null);
        fires.Should().Be(Cases.Length - 1, "only the OpenShift DeploymentConfig is missed");
    }
}
