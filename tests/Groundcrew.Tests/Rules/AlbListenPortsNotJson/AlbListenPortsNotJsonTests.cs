using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.AlbListenPortsNotJson;

public class AlbListenPortsNotJsonTests
{
    private const string Id = "alb-listen-ports-not-json";

    private static string Ingress(string listenPorts, string spec = "ingressClassName: alb") => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          annotations:
            alb.ingress.kubernetes.io/listen-ports: {listenPorts}
        spec:
          {spec}
          defaultBackend:
            service:
              name: web
              port:
                number: 80
        """;

    private static List<Finding> Run(params string[] docs) => Scan.Files(("all.yaml", string.Join("\n---\n", docs))).Of(Id).ToList();

    [Theory]
    [InlineData("'[{\"HTTPS\": 443}'", "not valid JSON")]
    [InlineData("'[{HTTP: 80}]'", "not valid JSON")]           // keys without quotes: the wording of the controller's own error
    [InlineData("\"[{'HTTP': 80}]\"", "not valid JSON")]       // single quotes inside
    [InlineData("'[]'", "empty")]
    [InlineData("'[{\"https\": 443}]'", "case-sensitively")]
    [InlineData("'[{\"HTTPS\": \"443\"}]'", "not a JSON number")]
    [InlineData("'[{\"HTTP\": 70000}]'", "outside 1-65535")]
    [InlineData("'{\"HTTP\": 80}'", "not a JSON list")]
    [InlineData("'80'", "not a JSON list")]
    public void Listen_ports_is_parsed_like_the_controller_does(string value, string expected)
    {
        var f = Run(Ingress(value)).Should().ContainSingle().Subject;
        f.Message.Should().Contain(expected).And.Contain("Ingress/web");
        f.Severity.Should().Be(Severity.Error);
        f.Span.StartLine.Should().Be(6, "reported at the annotation, the value to edit");
    }

    [Fact]
    public void An_unquoted_yaml_list_is_not_a_string_and_the_api_rejects_it()
    {
        Run(Ingress("[{\"HTTP\": 80}, {\"HTTPS\": 443}]")).Should().ContainSingle()
            .Which.Message.Should().Contain("unquoted YAML list").And.Contain("annotation values are strings");
        Run(Ingress("80")).Should().ContainSingle().Which.Message.Should().Contain("YAML reads it as a number");
    }

    [Fact]
    public void Valid_lists_placeholders_and_empty_values_are_silent()
    {
        Run(Ingress("'[{\"HTTP\": 80}, {\"HTTPS\": 443}]'")).Should().BeEmpty();
        Run(Ingress("'[{\"HTTP\": 80, \"HTTPS\": 443}]'")).Should().BeEmpty("one object may hold both entries: it is a map[string]int64");
        Run(Ingress("'${LISTEN_PORTS}'")).Should().BeEmpty();
        Run(Ingress("")).Should().BeEmpty("no value: the controller's default listener (HTTP 80)");
    }

    [Fact]
    public void Only_ingresses_another_controller_serves_are_skipped()
    {
        const string nginx = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}";
        Run(nginx, Ingress("'[{HTTP: 80}]'", "ingressClassName: nginx")).Should().BeEmpty();
        Run(Ingress("'[{HTTP: 80}]'", "rules: []")).Should().ContainSingle("no class known: the alb.ingress.kubernetes.io annotation says who reads it");
    }
}
