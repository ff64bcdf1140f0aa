using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Rules.References;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.IngressBackendMissing;

public class IngressBackendMissingTests
{
    private const string Id = "ingress-backend-missing";

    private const string Api = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n  ports:\n    - {name: http, port: 80, targetPort: 8080}\n";

    private static string Ingress(string backend, string annotations = "") =>
        $"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web{(annotations.Length > 0 ? "\n  annotations:\n    " + annotations : "")}\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              {backend}\n";

    [Fact]
    public void The_targetPort_is_not_a_Service_port()
    {
        var r = Scan.Files(("app.yaml", K.Docs(Api, Ingress("service: {name: api, port: {number: 8080}}"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("it exposes 80 (http)");
        f.Related.Should().ContainSingle();
    }

    [Fact]
    public void Port_numbers_and_names_that_the_Service_exposes_are_fine()
    {
        var r = Scan.Files(("app.yaml", K.Docs(Api, Ingress("service: {name: api, port: {number: 80}}"), Ingress("service: {name: api, port: {name: http}}").Replace("name: web", "name: web2"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_missing_Service_is_a_note_unless_the_files_are_complete()
    {
        var files = ("app.yaml", Ingress("service: {name: frontend, port: {number: 80}}"));
        Scan.Files(files).Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
        Scan.Files(new GroundcrewConfig { Complete = true }, files).Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void AWS_load_balancer_controller_actions_are_not_Services()
    {
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Docs(
            Ingress("service: {name: ssl-redirect, port: {name: use-annotation}}"),
            Ingress("service: {name: forward-canary, port: {number: 80}}", "alb.ingress.kubernetes.io/actions.forward-canary: '{}'").Replace("name: web", "name: web2"))));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void The_v1beta1_shape_is_checked_and_wrong_in_a_v1_Ingress()
    {
        const string legacy = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  backend: {serviceName: api, servicePort: https}\n  rules:\n    - http:\n        paths:\n          - backend: {serviceName: api, servicePort: 80}\n";
        var r = Scan.Files(("app.yaml", K.Docs(Api, legacy)));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("named 'https'");

        var v1 = Scan.Files(("app.yaml", K.Docs(Api, Ingress("serviceName: api\n              servicePort: 80"))));
        v1.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("v1beta1 fields");
    }

    [Fact]
    public void ExternalName_Services_are_not_judged_on_ports()
    {
        const string ext = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: ExternalName\n  externalName: api.example.com\n";
        Scan.Files(("app.yaml", K.Docs(ext, Ingress("service: {name: api, port: {number: 443}}")))).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Services_in_another_namespace_do_not_count()
    {
        var svc = Api.Replace("name: api\n", "name: api\n  namespace: backend\n");
        var ing = Ingress("service: {name: api, port: {number: 80}}").Replace("name: web\n", "name: web\n  namespace: frontend\n");
        var r = Scan.Files(new GroundcrewConfig { Complete = true }, ("app.yaml", K.Docs(svc, ing)));
        r.Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public void Malformed_Ingresses_do_not_crash()
    {
        var r = Scan.Files(("app.yaml", K.Docs(Api,
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: a\nspec:\n  rules: just-text\n",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: b\nspec:\n  rules:\n    - http:\n        paths: {not: a-list}\n",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: c\nspec:\n  rules:\n    - host: redirect-only.example.com\n",
            Ingress("service: {name: api, port: {number: [80]}}"))));
        r.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_v1_service_backend_without_a_port_is_rejected_by_the_API()
    {
        var r = Scan.Files(("app.yaml", K.Docs(Api, Ingress("service: {name: api}"))));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("without a port").And.Contain("port name or number is required");
    }
}
