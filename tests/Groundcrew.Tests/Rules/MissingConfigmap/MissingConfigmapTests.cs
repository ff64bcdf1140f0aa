using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.MissingConfigmap;

public class MissingConfigmapTests
{
    private const string Id = "missing-configmap";

    [Fact]
    public void ConfigMaps_the_cluster_creates_in_every_namespace_always_exist()
    {
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Deployment("api", "",
            "volumes:\n        - name: ca\n          projected:\n            sources:\n              - configMap:\n                  name: kube-root-ca.crt\n                  items: [{key: ca.crt, path: ca.crt}]")));
        r.Of(Id).Should().BeEmpty();
        r.Of("missing-configmap-key").Should().BeEmpty();
    }

    [Fact]
    public void A_name_the_generator_does_not_make_is_reported_with_the_severity_complete_asks_for()
    {
        var files = new[]
        {
            ("app/deployment.yaml", K.Deployment("web", K.EnvFrom("ConfigMap", "web-settings"))),
            ("app/kustomization.yaml", "resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: web-config\n    literals: [A=1]\n"),
        };
        Scan.Files(files).Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
        var error = Scan.Files(new GroundcrewConfig { Complete = true }, files).Of(Id).Should().ContainSingle().Subject;
        error.Severity.Should().Be(Severity.Error);
        error.Span.File.Should().Be("app/deployment.yaml");
    }

    [Fact]
    public void An_ACK_FieldExport_creates_the_ConfigMap_it_names()
    {
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Docs(
            K.Deployment("api", K.ConfigMapEnv("db-endpoint", "default.db-host")),
            "apiVersion: services.k8s.aws/v1alpha1\nkind: FieldExport\nmetadata:\n  name: db-host\nspec:\n  to:\n    name: db-endpoint\n    kind: configmap\n  from:\n    path: .status.endpoint.address\n    resource: {group: rds.services.k8s.aws, kind: DBInstance, name: db}\n")));
        r.Of(Id).Should().BeEmpty();
        r.Of("missing-configmap-key").Should().BeEmpty();
    }
}
