using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.MissingServiceAccount;

public class MissingServiceAccountTests
{
    private const string Id = "missing-service-account";

    private static string Sa(string name, string? ns = null) => $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}{K.Ns(ns)}\n";

    [Fact]
    public void Unknown_ServiceAccount_is_a_note_and_an_error_when_complete()
    {
        var files = ("app.yaml", K.Deployment("api", pod: "serviceAccountName: api-sa", ns: "shop"));
        Scan.Files(files).Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
        Scan.Files(new GroundcrewConfig { Complete = true }, files).Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void Default_and_defined_ServiceAccounts_are_fine_including_the_deprecated_field()
    {
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Docs(
            K.Deployment("a", pod: "serviceAccountName: default"),
            K.Deployment("b", pod: "serviceAccount: api"),
            K.Deployment("c", pod: "serviceAccountName: api"),
            Sa("api"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_ServiceAccount_in_another_explicit_namespace_does_not_count()
    {
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Docs(K.Deployment("a", pod: "serviceAccountName: api", ns: "shop"), Sa("api", "other"))));
        r.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void A_ServiceAccount_without_a_namespace_may_be_applied_next_to_the_workload()
    {
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Docs(K.Deployment("a", pod: "serviceAccountName: api", ns: "shop"), Sa("api"))));
        r.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
    }
}
