using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.MissingSecret;

public class MissingSecretTests
{
    private const string Id = "missing-secret";
    private static GroundcrewConfig Complete => new() { Complete = true };

    [Fact]
    public void Unknown_Secret_is_a_note_by_default_and_an_error_when_the_files_are_complete()
    {
        var files = ("app.yaml", K.Deployment("api", K.EnvFrom("Secret", "api-secrets")));
        var note = Scan.Files(files).Of(Id).Should().ContainSingle().Subject;
        note.Severity.Should().Be(Severity.Note);
        note.Message.Should().Contain("defined outside the scanned files?");
        Scan.Files(Complete, files).Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void Optional_references_are_never_reported()
    {
        var r = Scan.Files(Complete, ("app.yaml", K.Deployment("api", "envFrom:\n            - secretRef:\n                name: extra\n                optional: true")));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void One_finding_per_workload_and_Secret_naming_every_use()
    {
        var r = Scan.Files(("app.yaml", K.Deployment("api", K.SecretEnv("db", "A") + "\n            - name: Y\n              valueFrom:\n                secretKeyRef: {name: db, key: B}",
            "volumes:\n        - name: creds\n          secret:\n            secretName: db")));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("env X of container app").And.Contain("volume creds");
    }

    [Fact]
    public void Secrets_created_by_controllers_and_generators_count_as_defined()
    {
        var r = Scan.Files(Complete,
            ("app.yaml", K.Docs(
                K.Deployment("api", "", "volumes:\n        - name: tls\n          secret: {secretName: api-tls}\n        - name: db\n          secret: {secretName: db-conn}\n        - name: csi\n          secret: {secretName: synced}"),
                "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: api\nspec:\n  secretName: api-tls\n",
                "apiVersion: rds.aws.upbound.io/v1beta1\nkind: Instance\nmetadata:\n  name: db\nspec:\n  writeConnectionSecretToRef:\n    name: db-conn\n    namespace: default\n",
                "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: aws\nspec:\n  provider: aws\n  secretObjects:\n    - secretName: synced\n      type: Opaque\n      data:\n        - {objectName: db, key: password}\n")),
            ("gen/deployment.yaml", K.Deployment("gen", K.EnvFrom("Secret", "generated"))),
            ("gen/kustomization.yaml", "resources: [deployment.yaml]\nsecretGenerator:\n  - name: generated\n    literals: [TOKEN=abc]\n"));
        r.Of(Id).Should().BeEmpty();
        // api-secrets has no provider at all: only the ones above are covered.
        Scan.Files(Complete, ("app.yaml", K.Deployment("api", K.EnvFrom("Secret", "api-secrets")))).Of(Id).Should().ContainSingle();
    }

    [Fact]
    public void Crossplane_connection_secret_lands_in_the_namespace_it_names()
    {
        var r = Scan.Files(Complete, ("app.yaml", K.Docs(
            K.Deployment("api", K.EnvFrom("Secret", "db-conn"), ns: "apps"),
            "apiVersion: rds.aws.upbound.io/v1beta1\nkind: Instance\nmetadata:\n  name: db\nspec:\n  writeConnectionSecretToRef:\n    name: db-conn\n    namespace: crossplane-system\n")));
        r.Of(Id).Should().ContainSingle("the Secret is written to crossplane-system, not apps");
    }

    [Fact]
    public void Same_name_in_another_namespace_with_one_side_unset_stays_a_note()
    {
        // `kubectl apply -n shop` would put the Secret next to the Deployment.
        var r = Scan.Files(Complete, ("app.yaml", K.Docs(K.Deployment("api", K.EnvFrom("Secret", "db"), ns: "shop"), K.Secret("db", null, "A"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Note);
        f.Message.Should().Contain("sets no namespace");
        f.Related.Should().ContainSingle();
    }

    [Theory]
    [InlineData("\"{{imagePullSecret}}\"")]
    [InlineData("\"{{ .Values.pullSecret }}\"")]
    [InlineData("${PULL_SECRET}")]
    [InlineData("__PULL_SECRET__")]
    [InlineData("\"#{PullSecret}#\"")]
    public void A_templated_reference_name_is_unknown_and_never_reported(string name)
    {
        var files = ("app.yaml", K.Deployment("api",
            container: $"envFrom:\n            - secretRef:\n                name: {name}\n            - configMapRef:\n                name: {name}\n          {K.SecretEnv(name, "PASSWORD")}",
            pod: $"serviceAccountName: {name}\n      imagePullSecrets:\n        - name: {name}"));
        var r = Scan.Files(Complete, files);
        foreach (var id in new[] { Id, "missing-configmap", "missing-service-account", "missing-secret-key" })
            r.Of(id).Should().BeEmpty(id);
        // A literal name in the same place is still reported.
        Scan.Files(Complete, ("app.yaml", K.Deployment("api", pod: "imagePullSecrets:\n        - name: regcred"))).Of(Id).Should().ContainSingle();
    }

    [Fact]
    public void A_ServiceAccount_pull_secret_no_file_defines_is_reported_at_its_name()
    {
        var sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\nimagePullSecrets:\n  - name: regcred\n";
        var f = Scan.Files(Complete, ("sa.yaml", sa)).Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("Secret regcred").And.Contain("ServiceAccount builder");
        var secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\n";
        Scan.Files(Complete, ("sa.yaml", sa + "---\n" + secret)).Of(Id).Should().BeEmpty();
    }
}
