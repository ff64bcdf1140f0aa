using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.MissingSecretKey;

public class MissingSecretKeyTests
{
    private const string Id = "missing-secret-key";

    [Fact]
    public void Lists_the_key_names_the_Secret_has_never_its_values_and_points_at_the_Secret()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", K.SecretEnv("db", "DB_PASS")), K.Secret("db", null, "DB_PASSWORD", "DB_USER"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("'DB_PASS'").And.Contain("'DB_PASSWORD', 'DB_USER'").And.NotContain("value-of-");
        f.Related.Should().ContainSingle().Which.Message.Should().Contain("Secret db");
    }

    [Fact]
    public void Suggests_the_key_that_differs_only_in_case_or_separators()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", K.SecretEnv("db", "db_password")), K.Secret("db", null, "DB-PASSWORD"))));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("did you mean 'DB-PASSWORD'?");
    }

    [Fact]
    public void Optional_references_and_present_keys_are_fine()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("a", K.SecretEnv("db", "missing", optional: true)),
            K.Deployment("b", K.SecretEnv("db", "DB_PASSWORD")),
            K.Secret("db", null, "DB_PASSWORD"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_Secret_in_another_namespace_is_not_the_one_referenced()
    {
        // The Secret in namespace other lacks the key, but the pod reads the one in shop, which is not scanned: unknown, not missing.
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", K.SecretEnv("db", "DB_PASSWORD"), ns: "shop"), K.Secret("db", "other", "USER"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_Secret_that_declares_no_keys_is_a_placeholder_and_gives_a_note()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", K.SecretEnv("db", "DB_PASSWORD")), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\n")));
        r.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
    }

    [Fact]
    public void Keys_filled_in_by_controllers_count()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("a", K.SecretEnv("sa-token", "token")),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sa-token\n  annotations:\n    kubernetes.io/service-account.name: api\ntype: kubernetes.io/service-account-token\n",
            K.Deployment("b", K.SecretEnv("sealed", "PLAIN")),
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: sealed\nspec:\n  encryptedData:\n    ENC: AgB=\n  template:\n    data:\n      PLAIN: visible\n",
            K.Deployment("c", K.SecretEnv("from-store", "anything")),
            "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: from-store\nspec:\n  dataFrom:\n    - extract: {key: prod/app}\n",
            K.Deployment("d", K.SecretEnv("copied", "anything")),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: copied\n  annotations:\n    replicator.v1.mittwald.de/replicate-from: default/source\ndata: {}\n")));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Each_Kustomize_overlay_is_judged_against_its_own_Secret()
    {
        // Two overlays render a Secret with the same name and namespace but different keys; each Deployment reads
        // the key its own overlay provides.
        string Overlay(string key, string has) => K.Docs(K.Deployment("api", K.SecretEnv("app-secrets", key)), K.Secret("app-secrets", null, has));
        const string kustomization = "resources:\n  - all.yaml\n";
        var fine = Scan.Files(
            ("dev/all.yaml", Overlay("DEV_ONLY", "DEV_ONLY")), ("dev/kustomization.yaml", kustomization),
            ("prod/all.yaml", Overlay("PROD_ONLY", "PROD_ONLY")), ("prod/kustomization.yaml", kustomization));
        fine.Of(Id).Should().BeEmpty();
        fine.Model.Resources.Count(x => x.Kind == "Secret").Should().Be(2, "both overlays were rendered");

        // dev reads a key only prod's Secret has: whichever Secret the model met first, dev's is the one that counts.
        var broken = Scan.Files(
            ("dev/all.yaml", Overlay("PROD_ONLY", "DEV_ONLY")), ("dev/kustomization.yaml", kustomization),
            ("prod/all.yaml", Overlay("PROD_ONLY", "PROD_ONLY")), ("prod/kustomization.yaml", kustomization));
        broken.Of(Id).Should().ContainSingle().Which.Span.File.Should().Be("dev/all.yaml");
    }

    [Fact]
    public void Malformed_references_do_not_crash()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("a", "env:\n            - name: X\n              valueFrom:\n                secretKeyRef: just-a-string"),
            K.Deployment("b", "env:\n            - name: X\n              valueFrom:\n                secretKeyRef:\n                  key: [a, b]"),
            K.Secret("db", null, "A"))));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        r.Of(Id).Should().BeEmpty();
    }
}
