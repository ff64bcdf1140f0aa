using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ServiceSelectsNothing;

public class ServiceSelectsNothingTests
{
    private const string Id = "service-selects-nothing";

    private static string Svc(string name, string selector, string? ns = null, string extra = "") =>
        $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}{K.Ns(ns)}\nspec:\n{extra}  selector: {selector}\n  ports:\n    - port: 80\n";

    [Fact]
    public void A_typo_against_the_same_named_workload_is_an_error_showing_the_difference()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", labels: "app: api"), Svc("api", "{app: api-server}"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("Deployment api has app=api");
        f.Related.Should().ContainSingle();
    }

    [Fact]
    public void A_near_miss_sharing_some_pairs_is_an_error()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("web", labels: "{app: shop, tier: frontend}"), Svc("shop-frontend", "{app: shop, tier: front}"))));
        r.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void A_selector_sharing_nothing_with_the_namespace_is_a_note_and_an_error_when_complete()
    {
        var files = ("app.yaml", K.Docs(K.Deployment("web", labels: "app: web"), Svc("redis", "{app.kubernetes.io/name: redis}")));
        var note = Scan.Files(files).Of(Id).Should().ContainSingle().Subject;
        note.Severity.Should().Be(Severity.Note);
        note.Message.Should().Contain("Helm chart");
        Scan.Files(new GroundcrewConfig { Complete = true }, files).Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void A_namespace_with_no_scanned_workload_gives_a_note()
    {
        var r = Scan.Files(("svc.yaml", Svc("api", "{app: api}", "shop")));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Note);
        f.Message.Should().Contain("no workload in namespace shop");
    }

    [Fact]
    public void Labels_added_by_controllers_match_any_pod()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("db", labels: "app: db", kind: "StatefulSet"),
            Svc("db-0", "{app: db, statefulset.kubernetes.io/pod-name: db-0}"),
            K.Deployment("web", labels: "app: web"),
            Svc("web-canary", "{app: web, pod-template-hash: 5d4f8c}"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Services_without_selectors_and_ExternalName_Services_are_not_checked()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("web", labels: "app: web"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: manual\nspec:\n  ports: [{port: 5432}]\n",
            Svc("ext", "{app: nothing}", extra: "  type: ExternalName\n  externalName: db.example.com\n"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  selector: {}\n")));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Pods_of_CronJobs_bare_Pods_and_custom_resources_with_pod_templates_count()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {app: report}\n        spec:\n          containers: [{name: r, image: example.com/r:1}]\n",
            Svc("report", "{app: report}"),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  labels: {app: debug}\nspec:\n  containers: [{name: d, image: example.com/d:1}]\n",
            Svc("debug", "{app: debug}"),
            "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers: [{name: a, image: example.com/a:1}]\n",
            Svc("api", "{app: api}"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_custom_resource_named_in_the_selector_is_probably_the_pod_creator()
    {
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Docs(
            K.Deployment("web", labels: "{app: web, role: leader}"),
            "apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata:\n  name: vllm\nspec:\n  replicas: 1\n",
            Svc("vllm-leader", "{leaderworkerset.sigs.k8s.io/name: vllm, role: leader}"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Note);
        f.Message.Should().Contain("LeaderWorkerSet vllm");
    }

    [Fact]
    public void Pods_in_another_namespace_are_an_error_when_both_set_theirs_and_a_note_otherwise()
    {
        var both = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", labels: "app: api", ns: "a"), Svc("api", "{app: api}", "b"))));
        both.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
        var one = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", labels: "app: api", ns: "a"), Svc("api", "{app: api}"))));
        one.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
        // Any matching workload that leaves its namespace open may be the one applied next to the Service.
        var mixed = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", labels: "app: api", ns: "a"), K.Deployment("api2", labels: "app: api"), Svc("api", "{app: api}", "b"))));
        mixed.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
    }

    [Fact]
    public void Odd_selectors_do_not_crash()
    {
        var r = Scan.Files(("app.yaml", K.Docs(
            K.Deployment("web", labels: "app: web"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector: [app, web]\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  selector:\n    app: {nested: true}\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: c\nspec: null\n")));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        r.Of(Id).Should().BeEmpty();
    }

    private static string SvcTo(string targetPort) =>
        $"apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {{app: api}}\n  ports:\n    - port: 80\n      targetPort: {targetPort}\n";

    [Fact]
    public void A_numeric_targetPort_no_selected_container_declares_is_a_warning_at_the_port()
    {
        var r = Scan.Files(("app.yaml", K.Docs(SvcTo("9377"), K.Deployment("api", "ports: [{containerPort: 8080, name: http}]", labels: "app: api"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Message.Should().Contain("targetPort 9377").And.Contain("declare only containerPort 8080");
        f.Span.StartLine.Should().Be(9, "the finding points at the targetPort line");
    }

    [Fact]
    public void A_named_targetPort_no_container_names_gets_no_endpoints()
    {
        var r = Scan.Files(("app.yaml", K.Docs(K.Deployment("api", "ports: [{containerPort: 8080, name: web}]", labels: "app: api"), SvcTo("http"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("named port \"http\"").And.Contain("they name web");
    }

    [Theory]
    [InlineData("ports: [{containerPort: 9377}]", "9377")]        // declared
    [InlineData("ports: [{containerPort: 8080, name: http}]", "http")] // named and found
    [InlineData("", "9377")]                                           // no ports declared: unknown, silent
    public void Ports_the_pods_serve_or_may_serve_are_silent(string container, string target) =>
        Scan.Files(("app.yaml", K.Docs(K.Deployment("api", container, labels: "app: api"), SvcTo(target)))).Of(Id).Should().BeEmpty();

    [Fact]
    public void A_sidecar_without_declared_ports_may_listen_on_the_number()
    {
        var deployment = K.Deployment("api", "ports: [{containerPort: 8080}]", labels: "app: api")
            .Replace("      containers:\n", "      containers:\n        - name: proxy\n          image: example.com/proxy:1.0.0\n");
        Scan.Files(("app.yaml", K.Docs(deployment, SvcTo("15001")))).Of(Id).Should().BeEmpty();
    }

    private static string Api(string container, string podExtra = "") =>
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n"
        + "      containers:\n        - name: app\n          image: example.com/api:1.0.0\n          ports: [{containerPort: 8080}]\n" + container + podExtra;

    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  server.conf: |\n    server {\n      bind_port = \"8081\"\n      bundle_endpoint { port = 9377 }\n    }\n";

    // Corpus shapes (Istio's echo app, the OpenTelemetry collector, SPIRE): the port is configured, not declared.
    [Theory]
    [InlineData("          args: [--port, \"9377\"]\n", "")]
    [InlineData("          args: [--listen=:9377]\n", "")]
    [InlineData("          command: [\"/app --port 9377\"]\n", "")]
    [InlineData("          env: [{name: PORT, value: \"9377\"}]\n", "")]
    [InlineData("          envFrom: [{configMapRef: {name: conf}}]\n", "")]
    [InlineData("", "      volumes: [{name: c, configMap: {name: conf}}]\n")]
    [InlineData("", "      volumes: [{name: c, projected: {sources: [{configMap: {name: conf}}]}}]\n")]
    public void A_port_set_in_args_env_or_mounted_config_is_served_although_undeclared(string container, string podExtra) =>
        Scan.Files(("app.yaml", K.Docs(ConfigMap, Api(container, podExtra), SvcTo("9377")))).Of(Id).Should().BeEmpty();

    [Theory]
    [InlineData("          args: [--version=1.9377]\n", "")]                // part of a version, not a port
    [InlineData("          env: [{name: RETRIES, value: \"19377\"}]\n", "")] // part of a longer number
    [InlineData("", "")]                                                        // the ConfigMap names it, but the pod does not mount it
    public void A_number_that_is_not_the_port_still_warns(string container, string podExtra) =>
        Scan.Files(("app.yaml", K.Docs(ConfigMap, Api(container, podExtra), SvcTo("9377")))).Of(Id).Should().ContainSingle()
            .Which.Severity.Should().Be(Severity.Warning);

    [Fact]
    public void Every_copy_of_a_mounted_configmap_is_read()
    {
        // Two sample folders hold a ConfigMap of the same name; the one that configures the port is not the one kept first.
        var other = ConfigMap.Replace("port = 9377", "port = 7000");
        Scan.Files(("a/conf.yaml", other), ("b/app.yaml", K.Docs(ConfigMap, Api("", "      volumes: [{name: c, configMap: {name: conf}}]\n"), SvcTo("9377"))))
            .Of(Id).Should().BeEmpty();
    }
}
