using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.UnknownField;

public class UnknownFieldTests
{
    private static List<Groundcrew.Core.Finding> Run(string yaml) => Scan.Files(("x.yaml", yaml)).Of("unknown-field").ToList();

    private static string Deployment(string podSpec, string container = "", string api = "apps/v1", string kind = "Deployment") => $"""
        apiVersion: {api}
        kind: {kind}
        metadata:
          name: web
        spec:
          template:
            spec:
              {podSpec}
              containers:
                - name: web
                  image: registry.example.com/web:1.0.0
                  {container}
        """;

    [Theory]
    [InlineData("contaners: []", "", "containers")]
    [InlineData("", "imagePullPolicty: Always", "imagePullPolicy")]
    [InlineData("", "resource: {}", "resources")]
    [InlineData("nodeselector: {a: b}", "", "nodeSelector")]
    public void Typos_get_the_nearest_field(string podSpec, string container, string suggestion) =>
        Run(Deployment(podSpec, container)).Should().ContainSingle().Which.Fix.Should().Contain($"`{suggestion}`");

    [Fact]
    public void A_field_at_the_wrong_level_names_where_it_belongs()
    {
        var f = Run(Deployment("securityContext: {allowPrivilegeEscalation: false}")).Should().ContainSingle().Subject;
        f.Message.Should().Contain("spec.template.spec.securityContext.allowPrivilegeEscalation");
        f.Fix.Should().Contain("SecurityContext");
    }

    [Fact]
    public void Metadata_is_checked_too()
    {
        Run("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  lables: {a: b}\ndata: {x: y}").Should().ContainSingle()
            .Which.Fix.Should().Contain("`labels`");
    }

    [Fact]
    public void Free_form_maps_status_custom_resources_and_other_api_versions_are_skipped()
    {
        Run(Deployment("nodeSelector: {anything: goes}", "resources: {limits: {example.com/gpu: 1}}")).Should().BeEmpty();
        Run(Deployment("bogus: 1", api: "apps/v1beta1")).Should().BeEmpty();
        Run(Deployment("bogus: 1", api: "argoproj.io/v1alpha1", kind: "Rollout")).Should().BeEmpty();
        Run("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {any: thing}\ntype: Opaque").Should().BeEmpty();
        Run("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\nstatus: {loadBalancer: {}, whatever: 1}").Should().BeEmpty();
    }

    [Fact]
    public void Merge_keys_and_wrong_shapes_are_not_reported_as_unknown_fields()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            x-defaults: &defaults
              image: registry.example.com/p:1.0.0
            spec:
              containers:
                - <<: *defaults
                  name: p
              volumes: {not: a list}
              $setElementOrder/containers: [{name: p}]
              affinity: [also, wrong]
            """;
        var result = Scan.Files(("p.yaml", yaml));
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        result.Of("unknown-field").Should().ContainSingle("only the top-level x-defaults key is unknown")
            .Which.Message.Should().Contain("x-defaults");
    }

    [Fact]
    public void The_data_file_names_its_source_version()
    {
        var schema = Groundcrew.Rules.Kubernetes.UnknownField.Known.Value;
        schema.Version.Should().StartWith("release-1.");
        schema.Roots.Keys.Should().Contain(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "Service", "Ingress", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount"]);
        schema.Types["V1Container"].Keys.Should().Contain(["image", "imagePullPolicy", "resources", "securityContext"]);
    }

    [Fact]
    public void A_field_written_twice_is_reported_at_the_copy_the_API_drops()
    {
        var ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec:\n  selector: {matchLabels: {app: ds}}\n  template:\n    metadata: {labels: {app: ds}}\n    spec:\n      containers:\n      - {name: envoy, image: envoy:1}\n      containers:\n      - {name: nginx, image: nginx:1}\n";
        var f = Scan.Files(("ds.yaml", ds)).Of("unknown-field").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(10);
        f.Message.Should().Contain("duplicate field").And.Contain("line 12");
    }

    [Fact]
    public void A_batch_v1beta1_CronJob_is_checked_with_the_batch_v1_fields()
    {
        var cj = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n  startingDeadlineSeconds: 5\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          RestartPolicy: OnFailure\n          containers: [{name: c, image: busybox:1.36}]\n";
        Scan.Files(("cj.yaml", cj)).Of("unknown-field").Should().ContainSingle().Which.Message.Should().Contain("RestartPolicy");
    }

    [Fact]
    public void Two_objects_without_a_separator_are_reported_once_with_the_missing_separator()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {x: '1'}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";
        var f = Scan.Files(("two.yaml", yaml)).Of("unknown-field").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(1);
        f.Message.Should().Contain("separator is missing");
        f.Fix.Should().Contain("before line 6");
    }
}
