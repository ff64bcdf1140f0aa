using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>Kustomize renders the scanned repository without running its code or reaching the network.</summary>
public class KustomizeSandboxTests
{
    private static void RequireKubectl()
    {
        if (!Groundcrew.Load.Kustomize.KustomizeRenderer.IsAvailable && Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            throw new InvalidOperationException("kubectl is required in CI for the Kustomize sandbox tests");
    }

    [Fact]
    public void A_remote_base_is_refused_before_kubectl_runs()
    {
        RequireKubectl();
        using var dir = new TempDir();
        dir.Write("overlay/kustomization.yaml", "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1\n");

        var result = Scan.Folder(dir.Path);

        // Not a build failure (`kubectl apply -k` would fetch the base): a notice that the overlay was not checked.
        result.Of("kustomize-build-failed").Should().BeEmpty();
        result.Notices.Should().ContainSingle(n => n.Contains("overlay/kustomization.yaml") && n.Contains("remote base") && n.Contains("refused"));
    }

    [Fact]
    public void An_exec_plugin_in_the_repository_is_never_run()
    {
        RequireKubectl();
        using var dir = new TempDir();
        var marker = Path.Combine(dir.Path, "plugin-ran");
        dir.Write("app/kustomization.yaml", "resources: [cm.yaml]\ngenerators: [gen.yaml]\n");
        dir.Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        dir.Write("app/gen.yaml", $"apiVersion: example.com/v1\nkind: Gen\nmetadata:\n  name: g\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./gen.sh\n");
        dir.Write("app/gen.sh", $"#!/bin/sh\ntouch '{marker}'\necho 'apiVersion: v1'\necho 'kind: ConfigMap'\necho 'metadata: {{name: generated}}'\n");
        File.SetUnixFileMode(Path.Combine(dir.Path, "app/gen.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = Scan.Folder(dir.Path);

        File.Exists(marker).Should().BeFalse("plugins and exec functions are off");
        result.Model.Resources.Should().NotContain(r => r.Name == "generated");
    }
}
