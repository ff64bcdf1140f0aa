using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Load;

public class AppContractLoaderTests
{
    [Fact]
    public void Dockerfile_problems_are_input_errors_at_their_line_and_the_rest_of_the_scan_goes_on()
    {
        var r = Scan.Files(("svc/Dockerfile", "FROM node:20\nRUNN npm ci\nCMD [\"node\"]\n"),
            ("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { k: v }\n"));
        var f = r.Of("input-error").Should().ContainSingle().Subject;
        f.Span.File.Should().Be("svc/Dockerfile");
        f.Span.StartLine.Should().Be(2);
        f.Severity.Should().Be(Severity.Error);
        r.Model.Dockerfiles.Should().ContainSingle(d => d.File == "svc/Dockerfile");
        r.Model.Resources.Should().ContainSingle(x => x.Kind == "ConfigMap");
    }

    [Fact]
    public void App_folders_come_from_dockerfiles_and_package_manifests_with_scopes_removed_and_nesting_marked()
    {
        var r = Scan.Files(
            ("package.json", "{\"name\":\"monorepo\",\"private\":true}"),
            ("services/orders/Dockerfile", "FROM node:20\n"),
            ("services/orders/package.json", "{\"name\":\"@shop/orders-api\"}"),
            ("tools/gen/go.mod", "module example.com/gen\n"),
            ("tools/gen/main.go", "package main\n"), ("tools/gen/config.yaml", "a: 1\n"), // a scanned file makes discovery look at the folder
            ("docs/readme.yaml", "a: 1\n"));
        var apps = r.Model.Apps.ToDictionary(a => a.DisplayPath);
        apps.Keys.Should().BeEquivalentTo([".", "services/orders", "tools/gen"]);
        apps["services/orders"].PackageName.Should().Be("orders-api");
        apps["services/orders"].Dockerfiles.Should().ContainSingle();
        apps["services/orders"].Name.Should().Be("orders");
        apps["."].ContainsOtherApps.Should().BeTrue();
        apps["services/orders"].ContainsOtherApps.Should().BeFalse();
    }

    [Fact]
    public void Without_dockerfiles_or_manifests_nothing_is_scanned()
    {
        var r = Scan.Files(("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n"));
        r.Model.Apps.Should().BeEmpty();
        r.Model.Dockerfiles.Should().BeEmpty();
    }
}
