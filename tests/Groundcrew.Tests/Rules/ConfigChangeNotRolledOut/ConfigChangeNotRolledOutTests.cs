using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ConfigChangeNotRolledOut;

public class ConfigChangeNotRolledOutTests
{
    private const string Id = "config-change-not-rolled-out";

    [Fact]
    public void One_note_per_workload_listing_every_config_object_it_reads_as_env()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("api", K.EnvFrom("ConfigMap", "cfg") + "\n            - secretRef: {name: sec}"),
            K.ConfigMap("cfg", null, "A"), K.Secret("sec", null, "B"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Note);
        f.Message.Should().Contain("ConfigMap cfg").And.Contain("Secret sec");
        f.Related.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("", "checksum/config: abc123")]
    [InlineData("", "checksum/secret: abc123")]
    [InlineData("reloader.stakater.com/auto: \"true\"", "")]
    [InlineData("configmap.reloader.stakater.com/reload: cfg", "")]
    [InlineData("wave.pusher.com/update-on-config-change: \"true\"", "")]
    public void Checksum_and_reloader_annotations_restart_the_pods(string annotations, string templateAnnotations)
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", K.EnvFrom("ConfigMap", "cfg"), annotations: annotations, templateAnnotations: templateAnnotations), K.ConfigMap("cfg", null, "A"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_reloader_annotation_set_to_false_does_not_count()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", K.EnvFrom("ConfigMap", "cfg"), annotations: "reloader.stakater.com/auto: \"false\""), K.ConfigMap("cfg", null, "A"))));
        r.Of(Id).Should().ContainSingle();
    }

    [Fact]
    public void Hash_suffixed_generator_output_rolls_and_disableNameSuffixHash_does_not()
    {
        var hashed = Scan.Files(
            ("app/deployment.yaml", K.Deployment("api", K.EnvFrom("ConfigMap", "cfg"))),
            ("app/kustomization.yaml", "resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: cfg\n    literals: [A=1]\n"));
        hashed.Model.Resources.Should().Contain(x => x.Kind == "ConfigMap" && x.Name.StartsWith("cfg-"));
        hashed.Of(Id).Should().BeEmpty();

        var fixedName = Scan.Files(
            ("app/deployment.yaml", K.Deployment("api", K.EnvFrom("ConfigMap", "cfg"))),
            ("app/kustomization.yaml", "resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: cfg\n    literals: [A=1]\n    options:\n      disableNameSuffixHash: true\n"));
        fixedName.Of(Id).Should().ContainSingle().Which.Span.File.Should().Be("app/deployment.yaml");
    }

    [Fact]
    public void Immutable_objects_whole_volume_mounts_jobs_and_unscanned_objects_are_not_reported()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("a", K.EnvFrom("ConfigMap", "frozen")),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\nimmutable: true\ndata: {A: '1'}\n",
            K.Deployment("b", "volumeMounts:\n            - {name: v, mountPath: /etc/app}", "volumes:\n        - name: v\n          configMap: {name: cfg}"),
            K.Deployment("c", K.EnvFrom("ConfigMap", "cfg"), kind: "Job", apiVersion: "batch/v1"),
            K.Deployment("d", K.EnvFrom("ConfigMap", "not-scanned")),
            K.ConfigMap("cfg", null, "A"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void SubPath_mounts_are_copied_once_and_reported()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("b", "volumeMounts:\n            - {name: v, mountPath: /etc/app/app.conf, subPath: app.conf}", "volumes:\n        - name: v\n          configMap: {name: cfg}"),
            K.ConfigMap("cfg", null, "app.conf"))));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("subPath");
    }
}
