using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.MissingConfigmapKey;

public class MissingConfigmapKeyTests
{
    private const string Id = "missing-configmap-key";

    [Fact]
    public void Keys_are_case_sensitive()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("w", K.ConfigMapEnv("cfg", "log_level")), K.ConfigMap("cfg", null, "LOG_LEVEL"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("did you mean 'LOG_LEVEL'?");
    }

    [Fact]
    public void BinaryData_keys_and_generator_keys_count()
    {
        var r = Scan.Files(
            ("app.yaml", K.Docs(
                K.Deployment("w", "volumeMounts:\n            - {name: v, mountPath: /v}", "volumes:\n        - name: v\n          configMap:\n            name: bin\n            items:\n              - {key: blob.bin, path: blob.bin}"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bin\nbinaryData:\n  blob.bin: AAEC\n")),
            ("gen/deployment.yaml", K.Deployment("g", K.ConfigMapEnv("generated", "API_URL"))),
            ("gen/kustomization.yaml", "resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: generated\n    literals: [API_URL=https://api.example.com]\n"));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_generator_without_the_key_is_reported_at_the_reference_in_the_source_file()
    {
        var r = Scan.Files(
            ("gen/deployment.yaml", K.Deployment("g", K.ConfigMapEnv("generated", "API_ENDPOINT"))),
            ("gen/kustomization.yaml", "resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: generated\n    literals: [API_URL=https://api.example.com]\n"));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Span.File.Should().Be("gen/deployment.yaml");
        f.Message.Should().Contain("'API_URL'");
    }
}
