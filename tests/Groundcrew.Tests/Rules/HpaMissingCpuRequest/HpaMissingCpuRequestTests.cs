using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.HpaMissingCpuRequest;

public class HpaMissingCpuRequestTests
{
    private const string Id = "hpa-missing-cpu-request";

    private static string Workload(string kind, string containers, string ns = "apps") => $"""
        apiVersion: apps/v1
        kind: {kind}
        metadata:
          name: web
          namespace: {ns}
        spec:
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
        {containers}
        """;

    private const string NoRequest = "      containers:\n        - name: app\n          image: nginx:1.27";
    private const string CpuRequest = "      containers:\n        - name: app\n          image: nginx:1.27\n          resources:\n            requests: {cpu: 100m}";

    private static string Hpa(string apiVersion, string body, string kind = "Deployment", string targetApi = "apps/v1", string ns = "apps") => $"""
        apiVersion: {apiVersion}
        kind: HorizontalPodAutoscaler
        metadata:
          name: web-hpa
          namespace: {ns}
        spec:
          scaleTargetRef:
            apiVersion: {targetApi}
            kind: {kind}
            name: web
          maxReplicas: 5
        {body}
        """;

    private static List<Finding> Run(params string[] docs) => Scan.Files(("all.yaml", string.Join("\n---\n", docs))).Of(Id).ToList();

    [Theory]
    [InlineData("autoscaling/v1", "  targetCPUUtilizationPercentage: 50", "targetCPUUtilizationPercentage: 50")]
    [InlineData("autoscaling/v1", "", "default target is 80% CPU")]
    [InlineData("autoscaling/v2", "", "API fills in 80% CPU utilization")]
    [InlineData("autoscaling/v2", "  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 60}", "Resource cpu at 60% utilization")]
    [InlineData("autoscaling/v2beta2", "  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 60}", "autoscaling/v2beta2")]
    [InlineData("autoscaling/v2beta1", "  metrics:\n    - type: Resource\n      resource: {name: cpu, targetAverageUtilization: 40}", "at 40% utilization")]
    public void Every_apiVersion_shape_of_a_cpu_utilization_target_is_read(string api, string body, string evidence)
    {
        var f = Run(Workload("Deployment", NoRequest), Hpa(api, body)).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain(evidence).And.Contain("container 'app'").And.Contain("no cpu request");
        f.Message.Should().Contain("Tied by scaleTargetRef (apiVersion apps/v1, kind Deployment, name web) in namespace apps");
        f.Evidence!["tie"].Should().Contain("kind Deployment");
        Run(Workload("Deployment", CpuRequest), Hpa(api, body)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("StatefulSet")]
    [InlineData("ReplicaSet")]
    public void The_tie_follows_scaleTargetRef_to_every_scalable_kind(string kind)
    {
        Run(Workload(kind, NoRequest), Hpa("autoscaling/v2", "", kind)).Should().ContainSingle()
            .Which.Message.Should().Contain($"scales {kind}/web").And.Contain($"kind {kind}");
        Run(Workload(kind, NoRequest), Hpa("autoscaling/v2", "", kind == "StatefulSet" ? "Deployment" : "StatefulSet")).Should().BeEmpty("the kind must match too");
        Run(Workload(kind, NoRequest, ns: "other"), Hpa("autoscaling/v2", "", kind)).Should().BeEmpty("another namespace is another workload");
    }

    [Fact]
    public void Memory_utilization_needs_memory_requests()
    {
        const string memory = "  metrics:\n    - type: Resource\n      resource:\n        name: memory\n        target: {type: Utilization, averageUtilization: 75}";
        Run(Workload("Deployment", CpuRequest), Hpa("autoscaling/v2", memory)).Should().ContainSingle()
            .Which.Message.Should().Contain("no memory request");
    }

    [Fact]
    public void Sidecars_count_unless_the_metric_names_one_container()
    {
        const string withSidecar = CpuRequest + "\n        - name: proxy\n          image: envoyproxy/envoy:v1.31";
        Run(Workload("Deployment", withSidecar), Hpa("autoscaling/v2", "")).Should().ContainSingle().Which.Message.Should().Contain("'proxy'");
        const string onlyApp = "  metrics:\n    - type: ContainerResource\n      containerResource:\n        name: cpu\n        container: app\n        target: {type: Utilization, averageUtilization: 60}";
        Run(Workload("Deployment", withSidecar), Hpa("autoscaling/v2", onlyApp)).Should().BeEmpty();
        const string onlyProxy = "  metrics:\n    - type: ContainerResource\n      containerResource:\n        name: cpu\n        container: proxy\n        target: {type: Utilization, averageUtilization: 60}";
        Run(Workload("Deployment", withSidecar), Hpa("autoscaling/v2", onlyProxy)).Should().ContainSingle();
        const string nativeSidecar = "      initContainers:\n        - name: proxy\n          image: envoyproxy/envoy:v1.31\n          restartPolicy: Always\n" + CpuRequest;
        Run(Workload("Deployment", nativeSidecar), Hpa("autoscaling/v2", "")).Should().ContainSingle("a restartable init container is counted");
        const string plainInit = "      initContainers:\n        - name: migrate\n          image: migrate:1\n" + CpuRequest;
        Run(Workload("Deployment", plainInit), Hpa("autoscaling/v2", "")).Should().BeEmpty("a run-once init container is not");
    }

    [Fact]
    public void A_limit_a_limitrange_default_or_an_average_value_target_is_enough()
    {
        const string limitOnly = "      containers:\n        - name: app\n          image: nginx:1.27\n          resources:\n            limits: {cpu: 500m}";
        Run(Workload("Deployment", limitOnly), Hpa("autoscaling/v2", "")).Should().BeEmpty("the API copies the limit into the request");
        const string limitRange = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: d, namespace: apps}\nspec:\n  limits:\n    - type: Container\n      default: {cpu: 200m}";
        Run(limitRange, Workload("Deployment", NoRequest), Hpa("autoscaling/v2", "")).Should().BeEmpty();
        const string average = "  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: AverageValue, averageValue: 300m}";
        Run(Workload("Deployment", NoRequest), Hpa("autoscaling/v2", average)).Should().BeEmpty();
        const string external = "  metrics:\n    - type: External\n      external:\n        metric: {name: sqs_messages}\n        target: {type: AverageValue, averageValue: \"30\"}";
        Run(Workload("Deployment", NoRequest), Hpa("autoscaling/v2", external)).Should().BeEmpty();
    }

    [Fact]
    public void Template_values_are_unknown_not_missing()
    {
        const string templated = "      containers:\n        - name: app\n          image: nginx:1.27\n          resources: ${RESOURCES}";
        Run(Workload("Deployment", templated), Hpa("autoscaling/v2", "")).Should().BeEmpty();
    }

    [Fact]
    public void A_keda_cpu_trigger_on_utilization_is_an_hpa_too()
    {
        const string keda = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web, namespace: apps}\nspec:\n  scaleTargetRef: {name: web}\n  triggers:\n    - type: cpu\n      metricType: Utilization\n      metadata: {value: \"60\"}";
        Run(Workload("Deployment", NoRequest), keda).Should().ContainSingle()
            .Which.Message.Should().Contain("ScaledObject/web").And.Contain("KEDA's default");
    }

    [Fact]
    public void Copies_of_one_identity_in_several_files_tie_within_their_own_file()
    {
        // A folder of examples (or one copy per environment) repeats Deployment/web and its HPA: each copy is judged once,
        // with the HPA beside it, not once per HPA of that name anywhere in the scan.
        var result = Scan.Files(
            ("v1/app.yaml", Workload("Deployment", NoRequest) + "\n---\n" + Hpa("autoscaling/v1", "  targetCPUUtilizationPercentage: 50")),
            ("v2/app.yaml", Workload("Deployment", NoRequest) + "\n---\n" + Hpa("autoscaling/v2", "")));
        var findings = result.Of(Id).ToList();
        findings.Should().HaveCount(2);
        findings.Single(f => f.Span.File == "v1/app.yaml").Message.Should().Contain("targetCPUUtilizationPercentage: 50");
        findings.Single(f => f.Span.File == "v2/app.yaml").Message.Should().Contain("autoscaling/v2 without metrics");
    }
}
