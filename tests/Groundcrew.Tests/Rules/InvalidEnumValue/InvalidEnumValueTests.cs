using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.InvalidEnumValue;

public class InvalidEnumValueTests
{
    private static List<Groundcrew.Core.Finding> Run(string yaml) => Scan.Files(("x.yaml", yaml)).Of("invalid-enum-value").ToList();

    private static string Pod(string kind, string api, string podSpecExtra, string containerExtra = "") => $"""
        apiVersion: {api}
        kind: {kind}
        metadata:
          name: w
        spec:
          template:
            spec:
              {podSpecExtra}
              containers:
                - name: c
                  image: registry.example.com/w:1.0.0
                  {containerExtra}
        """;

    [Fact]
    public void The_e1_typo_suggests_pods()
    {
        var f = Run("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  maxReplicas: 2\n  metrics:\n    - type: Pod\n").Should().ContainSingle().Subject;
        f.Message.Should().Contain("Unsupported value: \"Pod\"");
        f.Fix.Should().Contain("\"Pods\"");
    }

    [Theory]
    [InlineData("imagePullPolicy: always", "\"Always\"")]
    [InlineData("imagePullPolicy: IfNotPresnt", "\"IfNotPresent\"")]
    [InlineData("ports: [{containerPort: 80, protocol: tcp}]", "\"TCP\"")]
    public void Case_and_spelling_mistakes_get_the_nearest_value(string containerExtra, string suggestion) =>
        Run(Pod("Deployment", "apps/v1", "dnsPolicy: ClusterFirst", containerExtra)).Should().ContainSingle().Which.Fix.Should().Contain(suggestion);

    [Theory]
    [InlineData("Deployment", "apps/v1", "OnFailure", 1)]
    [InlineData("Deployment", "apps/v1", "Always", 0)]
    [InlineData("Job", "batch/v1", "Always", 1)]
    [InlineData("Job", "batch/v1", "Never", 0)]
    [InlineData("StatefulSet", "apps/v1", "Never", 1)]
    [InlineData("Rollout", "argoproj.io/v1alpha1", "Never", 0)]   // a CRD: not ours
    [InlineData("Deployment", "apps/v1beta2", "OnFailure", 0)]   // an old apiVersion: not in the data
    public void Restart_policy_depends_on_the_owning_kind(string kind, string api, string policy, int expected) =>
        Run(Pod(kind, api, $"restartPolicy: {policy}")).Should().HaveCount(expected);

    [Theory]
    [InlineData("type: ${SERVICE_TYPE}")]
    [InlineData("type: \"{{ .Values.type }}\"")]
    [InlineData("type: ~")]
    [InlineData("type: [LoadBalancer]")]
    [InlineData("type: {a: b}")]
    public void Placeholders_nulls_and_odd_shapes_are_skipped(string field)
    {
        var result = Scan.Files(("s.yaml", $"apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n  {field}\n  ports: [{{port: 80}}]"));
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        result.Of("invalid-enum-value").Should().BeEmpty();
    }

    [Fact]
    public void Every_data_row_has_a_source_and_values() =>
        Groundcrew.Rules.Kubernetes.InvalidEnumValue.Fields.Value.Should().OnlyContain(f => f.Source.Length > 0 && f.Values.Length > 0);

    [Theory]
    [InlineData("Job", "batch/v1", 1)]
    [InlineData("Pod", "v1", 0)]            // a bare Pod defaults to Always, which a Pod supports
    [InlineData("Deployment", "apps/v1", 0)]
    public void A_job_pod_without_restartPolicy_gets_Always_which_a_Job_rejects(string kind, string api, int expected)
    {
        var findings = Run(Pod(kind, api, "dnsPolicy: ClusterFirst"));
        findings.Should().HaveCount(expected);
        if (expected == 1) findings[0].Message.Should().Contain("restartPolicy is not set").And.Contain("\"Always\"");
    }

    [Fact]
    public void A_cronjob_of_the_older_batch_v1beta1_is_judged_too() =>
        Run("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Always\n          containers: [{name: c, image: busybox:1.36}]\n")
            .Should().ContainSingle().Which.Message.Should().Contain("Always");

    [Fact]
    public void A_whenUnsatisfiable_typo_gets_the_nearest_value() =>
        Run(Pod("Deployment", "apps/v1", "topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSCHEDULE}]"))
            .Should().ContainSingle().Which.Fix.Should().Contain("\"DoNotSchedule\"");
}
