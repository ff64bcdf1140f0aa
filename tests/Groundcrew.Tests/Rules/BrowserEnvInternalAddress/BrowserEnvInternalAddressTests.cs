using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.BrowserEnvInternalAddress;

public class BrowserEnvInternalAddressTests
{
    private const string Id = "browser-env-internal-address";

    private static (string, string) Env(string name, string value) => ("d.yaml", $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: web
              image: ghcr.io/acme/web:1.0.0
              env:
                - name: {{name}}
                  value: "{{value}}"
        """);

    [Theory]
    [InlineData("VITE_API_BASE_URL", "http://cloudmart-backend:5000/api", "single-label")]
    [InlineData("NEXT_PUBLIC_API", "https://api.shop.svc.cluster.local/v1", ".svc.cluster.local")]
    [InlineData("REACT_APP_API", "backend:8080", "single-label")]
    [InlineData("NUXT_PUBLIC_API_BASE", "http://api.prod.svc:80", ".svc")]
    [InlineData("PUBLIC_API_URL", "ws://events:9000/ws", "single-label")]
    [InlineData("VUE_APP_API", "http://ip-10-0-1-5.ec2.internal:8080", ".ec2.internal")]
    public void Internal_addresses_in_browser_env_are_errors(string name, string value, string why)
    {
        var f = Scan.Files(Env(name, value)).Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain(why);
    }

    [Fact]
    public void Localhost_is_a_warning_because_it_works_only_on_the_developer_machine()
    {
        var f = Scan.Files(Env("VITE_API_URL", "http://localhost:3000")).Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Message.Should().Contain("user's own machine");
    }

    [Theory]
    [InlineData("VITE_API_URL", "https://api.example.com")]
    [InlineData("VITE_API_URL", "/api")]
    [InlineData("VITE_MODE", "production")]
    [InlineData("VITE_FLAG", "true")]
    [InlineData("BACKEND_URL", "http://backend:5000")]
    [InlineData("VITE_DB", "postgres://db:5432/app")]
    [InlineData("VITE_API_URL", "http://10.0.0.12:8080")]
    [InlineData("PUBLIC_", "http://backend:5000")]
    public void Public_addresses_non_browser_names_and_non_addresses_are_not_reported(string name, string value)
    {
        Scan.Files(Env(name, value)).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Config_globs_add_browser_exposed_names()
    {
        var config = new GroundcrewConfig();
        config.BrowserEnvPatterns.Add("WEB_*_URL");
        Scan.Files(config, Env("WEB_API_URL", "http://backend:5000")).Of(Id).Should().ContainSingle();
        Scan.Files(Env("WEB_API_URL", "http://backend:5000")).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Ecs_environment_is_checked()
    {
        var result = Scan.Files(("td.json", """
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.25",
              "environment": [{"name": "VITE_API_BASE_URL", "value": "http://cloudmart-backend:5000/api"}]}]}
            """));
        result.Of(Id).Should().ContainSingle().Which.Span.File.Should().Be("td.json");
    }
}
