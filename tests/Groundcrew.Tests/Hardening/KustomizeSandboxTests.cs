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
        result.Of("kustomize-build-failed").Should().ContainSingle("an overlay that needs a plugin is reported, not silently rendered without it")
            .Which.Message.Should().Contain("external plugins disabled");
    }

    // A legacy exec plugin: an executable at PLUGIN_HOME/<group>/<version>/<lowercase kind>/<Kind> that kustomize runs for
    // a generator of that kind, when plugins are on. The repository names the kind; the executable is wherever the
    // environment's KUSTOMIZE_PLUGIN_HOME points.
    private static (string Overlay, string Marker, string PluginHome) ExecPluginFixture(TempDir dir)
    {
        var marker = Path.Combine(dir.Path, "plugin-ran");
        dir.Write("app/kustomization.yaml", "resources: [cm.yaml]\ngenerators: [gen.yaml]\n");
        dir.Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        dir.Write("app/gen.yaml", "apiVersion: groundcrew.test/v1\nkind: PlantedGen\nmetadata: {name: g}\n");
        var plugin = dir.Write("plugins/groundcrew.test/v1/plantedgen/PlantedGen",
            $"#!/bin/sh\ntouch '{marker}'\necho 'apiVersion: v1'\necho 'kind: ConfigMap'\necho 'metadata: {{name: generated}}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (Path.Combine(dir.Path, "app"), marker, Path.Combine(dir.Path, "plugins"));
    }

    [Fact]
    public void An_installed_exec_plugin_runs_when_plugins_are_on_but_never_through_groundcrew()
    {
        RequireKubectl();
        using var dir = new TempDir();
        var (overlay, marker, pluginHome) = ExecPluginFixture(dir);

        // The control: the same overlay with plugins on does run the plugin, so the fixture is a real one.
        var on = new System.Diagnostics.ProcessStartInfo(Groundcrew.Load.Kustomize.KustomizeRenderer.Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "kustomize", overlay, "--enable-alpha-plugins" }) on.ArgumentList.Add(a);
        on.Environment["KUSTOMIZE_PLUGIN_HOME"] = pluginHome;
        using (var p = System.Diagnostics.Process.Start(on)!)
        {
            var rendered = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            rendered.Should().Contain("name: generated", p.StandardError.ReadToEnd());
        }
        File.Exists(marker).Should().BeTrue("with --enable-alpha-plugins kubectl runs the exec plugin");
        File.Delete(marker);

        // Groundcrew's render, with the plugin installed where kustomize looks for it.
        var result = WithPluginHome(pluginHome, () => Groundcrew.Load.Kustomize.KustomizeRenderer.Render(overlay));

        File.Exists(marker).Should().BeFalse("Groundcrew renders with --enable-alpha-plugins=false");
        result.ExitCode.Should().NotBe(0);
        result.Stdout.Should().NotContain("generated");
        result.Stderr.Should().Contain("external plugins disabled");
    }

    // kubectl inherits the test process's environment; the variable only matters to this test's own plugin kind.
    private static readonly object PluginHomeGate = new();

    private static T WithPluginHome<T>(string pluginHome, Func<T> run)
    {
        lock (PluginHomeGate)
        {
            var before = Environment.GetEnvironmentVariable("KUSTOMIZE_PLUGIN_HOME");
            Environment.SetEnvironmentVariable("KUSTOMIZE_PLUGIN_HOME", pluginHome);
            try { return run(); }
            finally { Environment.SetEnvironmentVariable("KUSTOMIZE_PLUGIN_HOME", before); }
        }
    }
}
