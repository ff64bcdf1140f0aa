using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.AlbHttpsWithoutCertificate;

public class AlbHttpsWithoutCertificateTests
{
    private const string Id = "alb-https-without-certificate";

    private static string Ingress(string name, string annotations, string spec = "ingressClassName: alb") => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
          annotations:
            {annotations}
        spec:
          {spec}
          defaultBackend:
            service:
              name: web
              port:
                number: 80
        """;

    private const string Https = "alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\": 443}]'";

    private static List<Finding> Run(params string[] docs) => Scan.Files(("all.yaml", string.Join("\n---\n", docs))).Of(Id).ToList();

    [Fact]
    public void Https_listener_without_any_certificate_source_is_an_error()
    {
        var f = Run(Ingress("web", Https)).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("HTTPS:443").And.Contain("certificate-arn");
    }

    [Fact]
    public void Tls_hosts_allow_acm_discovery()
    {
        Run(Ingress("web", Https, "ingressClassName: alb\n  tls:\n    - hosts: [shop.example.com]")).Should().BeEmpty();
        Run(Ingress("web", Https, "ingressClassName: alb\n  tls:\n    - secretName: x")).Should().ContainSingle("a tls entry without hosts gives nothing to discover");
    }

    [Fact]
    public void Ssl_redirect_without_https_listener_or_certificate_fires_at_the_redirect()
    {
        Run(Ingress("web", "alb.ingress.kubernetes.io/ssl-redirect: '443'")).Should().ContainSingle()
            .Which.Message.Should().Contain("ssl-redirect");
    }

    [Fact]
    public void Only_ingresses_the_aws_controller_serves_are_checked()
    {
        Run(Ingress("web", Https, "ingressClassName: nginx")).Should().BeEmpty();
        Run(Ingress("web", Https, "rules: []")).Should().BeEmpty("no class and no default IngressClass in the scan: unknown controller");
        Run(Ingress("web", "kubernetes.io/ingress.class: alb\n    " + Https, "rules: []")).Should().ContainSingle();
        const string customClass = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: public}\nspec: {controller: ingress.k8s.aws/alb}";
        Run(customClass, Ingress("web", Https, "ingressClassName: public")).Should().ContainSingle();
        const string albNamedNginx = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: alb}\nspec: {controller: k8s.io/ingress-nginx}";
        Run(albNamedNginx, Ingress("web", Https)).Should().BeEmpty("the class called alb belongs to another controller");
        const string defaultClass = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: aws\n  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\nspec: {controller: ingress.k8s.aws/alb}";
        Run(defaultClass, Ingress("web", Https, "rules: []")).Should().ContainSingle();
    }

    [Fact]
    public void IngressClassParams_certificate_counts_and_unknown_params_keep_it_silent()
    {
        const string cls = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: alb}\nspec:\n  controller: ingress.k8s.aws/alb\n  parameters: {apiGroup: elbv2.k8s.aws, kind: IngressClassParams, name: alb}";
        const string withCert = "apiVersion: elbv2.k8s.aws/v1beta1\nkind: IngressClassParams\nmetadata: {name: alb}\nspec:\n  certificateArn: [arn:aws:acm:eu-west-1:123456789012:certificate/abc]";
        Run(cls, withCert, Ingress("web", Https)).Should().BeEmpty();
        Run(cls, Ingress("web", Https)).Should().BeEmpty("the params are not in the scan: they may hold the certificate");
    }

    [Fact]
    public void A_certificate_from_another_member_of_the_ingress_group_serves_the_group()
    {
        const string group = "alb.ingress.kubernetes.io/group.name: shop\n    ";
        Run(Ingress("a", group + Https), Ingress("b", group + "alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:1:certificate/x\n    " + Https)).Should().BeEmpty();
        Run(Ingress("a", group + Https)).Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning, "another Ingress outside the scan may join the group");
    }

    [Fact]
    public void A_listen_ports_value_that_does_not_parse_is_left_to_alb_listen_ports_not_json()
    {
        // No HTTPS listener can be read from it, so there is nothing to certify; the parse error is the other rule's finding.
        Run(Ingress("web", "alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\": 443}'")).Should().BeEmpty();
    }

    [Fact]
    public void Odd_shapes_do_not_crash()
    {
        var result = Scan.Files(("x.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations: [a]\nspec: {ingressClassName: alb, tls: 5, rules: [1, {host: [x]}]}"));
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
    }
}
