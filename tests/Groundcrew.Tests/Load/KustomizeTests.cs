using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load.Kustomize;
using Groundcrew.Model;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>Overlays are rendered with the real `kubectl kustomize`, and every value points back at the file to edit.</summary>
public class KustomizeTests
{
    private static string Example(string name) => Path.Combine(Repo.Root, "examples", name);

    [Fact]
    public void Overlay_is_rendered_with_namespace_and_images_applied()
    {
        Assert.True(KustomizeRenderer.IsAvailable, "kubectl must be installed (.ci/run installs it)");
        var result = Scan.Folder(Example("a-os-service"));
        var deployment = result.Model.Find("Deployment", "ftc-app", "os-service");
        deployment.Should().NotBeNull("the development overlay sets namespace ftc-app");
        Workload.From(deployment!)!.Containers.Single().Image.Should().Be("ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/os-service:latest");
        result.Model.Find("Deployment", "default", "os-service").Should().BeNull("bases are not scanned a second time on their own");
    }

    [Fact]
    public void Image_set_by_an_images_entry_points_at_that_entry()
    {
        var result = Scan.Folder(Example("a-os-service"));
        var image = Workload.From(result.Model.Find("Deployment", "ftc-app", "os-service")!)!.Containers.Single().ImageNode!;
        image.Span.File.Should().Be("os-service/k8s/overlays/development/kustomization.yaml");
        image.Span.StartLine.Should().Be(Line(Example("a-os-service/os-service/k8s/overlays/development/kustomization.yaml"), "newName: ACCOUNT_ID"));
    }

    [Fact]
    public void Values_from_a_base_point_at_the_base_file()
    {
        var result = Scan.Folder(Example("a-os-service"));
        var sa = result.Model.Find("ServiceAccount", "ftc-app", "os-service")!;
        var annotation = sa.Annotations["eks.amazonaws.com/role-arn"];
        annotation.Span.File.Should().Be("os-service/k8s/base/serviceaccount.yaml");
        annotation.Span.StartLine.Should().Be(Line(Example("a-os-service/os-service/k8s/base/serviceaccount.yaml"), "role-arn"));
    }

    [Fact]
    public void Values_changed_by_an_overlay_patch_point_at_the_patch()
    {
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", "resources:\n  - deploy.yaml\n");
        dir.Write("base/deploy.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector: { matchLabels: { app: web } }
              template:
                metadata: { labels: { app: web } }
                spec:
                  containers:
                    - name: web
                      image: nginx:1.25
            """);
        dir.Write("prod/kustomization.yaml", "resources:\n  - ../base\nnamePrefix: prod-\npatches:\n  - path: replicas.yaml\n");
        dir.Write("prod/replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n");
        var result = Scan.Folder(dir.Path);
        var web = result.Model.Find("Deployment", "default", "prod-web")!;
        var replicas = (ScalarNode)web.Spec!["replicas"]!;
        replicas.Value.Should().Be("5");
        replicas.Span.File.Should().Be("prod/replicas.yaml");
        replicas.Span.StartLine.Should().Be(6);
        var image = Workload.From(web)!.Containers.Single().ImageNode!;
        image.Span.File.Should().Be("base/deploy.yaml");
        image.Span.StartLine.Should().Be(13);
    }

    [Fact]
    public void Broken_overlay_is_reported_at_its_kustomization_and_the_rest_is_scanned()
    {
        using var dir = new TempDir();
        dir.Write("broken/kustomization.yaml", "resources:\n  - nope.yaml\n");
        dir.Write("plain/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        var result = Scan.Folder(dir.Path);
        result.Of("kustomize-build-failed").Should().ContainSingle().Which.Span.File.Should().Be("broken/kustomization.yaml");
        result.Model.Find("ConfigMap", "default", "x").Should().NotBeNull();
    }

    internal static int Line(string file, string contains) =>
        Array.FindIndex(File.ReadAllLines(file), l => l.Contains(contains, StringComparison.Ordinal)) + 1;
}
