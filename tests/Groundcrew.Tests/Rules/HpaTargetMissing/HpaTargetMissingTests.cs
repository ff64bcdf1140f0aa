using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.HpaTargetMissing;

public class HpaTargetMissingTests
{
    private const string Hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 3
        """;

    private const string OtherDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          template:
            spec:
              containers: [{name: c, image: registry.example.com/api:1.0.0}]
        """;

    [Fact]
    public void A_lone_hpa_whose_target_is_not_scanned_is_only_a_note()
    {
        Scan.Files(("hpa.yaml", Hpa), ("api.yaml", OtherDeployment)).Of("hpa-target-missing").Should().ContainSingle()
            .Which.Severity.Should().Be(Severity.Note);
    }

    [Fact]
    public void It_is_an_error_when_the_hpa_file_defines_workloads()
    {
        Scan.Files(("all.yaml", OtherDeployment + "\n---\n" + Hpa)).Of("hpa-target-missing").Should().ContainSingle()
            .Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void It_is_an_error_when_the_config_says_the_scan_is_complete()
    {
        var config = new GroundcrewConfig { Complete = true };
        Scan.Files(config, ("hpa.yaml", Hpa)).Of("hpa-target-missing").Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void A_near_miss_name_in_the_namespace_is_an_error_with_the_real_name()
    {
        // microservices-demo: the HPA targets Deployment/cart, the Deployment is called carts.
        var carts = OtherDeployment.Replace("name: api", "name: webs");
        var f = Scan.Files(("hpa.yaml", Hpa), ("carts.yaml", carts)).Of("hpa-target-missing").Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Fix.Should().Contain("name: webs");

        // Versioned siblings are not typos: web-v2 may be deployed from elsewhere.
        var v1 = OtherDeployment.Replace("name: api", "name: web-v1");
        Scan.Files(("hpa.yaml", Hpa.Replace("name: web}", "name: web-v2}")), ("v1.yaml", v1)).Of("hpa-target-missing").Should().ContainSingle()
            .Which.Severity.Should().Be(Severity.Note);
    }

    [Fact]
    public void A_target_of_another_kind_is_named()
    {
        var sts = OtherDeployment.Replace("kind: Deployment", "kind: StatefulSet").Replace("name: api", "name: web");
        Scan.Files(("hpa.yaml", Hpa), ("sts.yaml", sts)).Of("hpa-target-missing").Should().ContainSingle()
            .Which.Message.Should().Contain("is a StatefulSet");
    }

    [Fact]
    public void Present_targets_and_malformed_hpas_are_silent()
    {
        var web = OtherDeployment.Replace("name: api", "name: web");
        Scan.Files(("hpa.yaml", Hpa), ("web.yaml", web)).Of("hpa-target-missing").Should().BeEmpty();
        var broken = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\nspec: {scaleTargetRef: [a]}\n---\n" +
                     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: y}\nspec: 7";
        var result = Scan.Files(("b.yaml", broken));
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        result.Of("hpa-target-missing").Should().BeEmpty();
    }
}
