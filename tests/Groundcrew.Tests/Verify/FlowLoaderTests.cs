using FluentAssertions;
using Groundcrew.Verify.Flows;
using Xunit;

namespace Groundcrew.Tests.Verify;

public class FlowLoaderTests
{
    private static string Write(string dir, string name, string yaml)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_A13_example_loads_with_its_included_login_first()
    {
        var flow = FlowLoader.Load(Harness.Example("order-to-execution.yaml"));
        flow.Name.Should().Be("order-to-execution");
        flow.Steps.Should().HaveCount(14);
        flow.Steps[0].Name.Should().Be("login / log in");
        flow.Steps[0].Request!.Headers.Should().NotContainKey("Authorization", "defaults apply to the file's own steps, not the login");
        flow.Steps[1].Request!.Headers["Authorization"].Should().Be("Bearer {{token}}");
        flow.Secrets.Should().Contain(["token", "password", "webhookSecret"]);
        flow.Steps.Single(s => s.Name.StartsWith("4 ")).Poll!.FailWhen!.Json.Should().ContainKey("$.state");
    }

    [Fact]
    public void Plain_scalars_are_typed_and_quoted_ones_stay_text()
    {
        var token = YamlToJson.Parse("a: 201\nb: '201'\nc: true\nd: OPEN\ne: 1.5\nf: ~\n")!;
        Matcher.TypeName(token["a"]).Should().Be("integer");
        Matcher.TypeName(token["b"]).Should().Be("string");
        Matcher.TypeName(token["c"]).Should().Be("boolean");
        Matcher.TypeName(token["d"]).Should().Be("string");
        Matcher.TypeName(token["e"]).Should().Be("number");
        token.AsObject().ContainsKey("f").Should().BeTrue();
        Matcher.TypeName(token["f"]).Should().Be("null");
    }

    // Found by fuzzing (fuzz/regressions/flow): YamlDotNet throws InvalidOperationException, not a YamlException, on an
    // unclosed flow mapping after an empty key; it escaped the flow loader and crashed verify instead of exit code 2.
    [Theory]
    [InlineData(": {\ns")]
    [InlineData("steps:\n  - request: { url: \"x\" }\n    expect: {\n: {\ns")]
    public void Yaml_that_YamlDotNet_cannot_scan_is_a_flow_error(string yaml)
    {
        var dir = Harness.TempDir();
        FluentActions.Invoking(() => FlowLoader.Load(Write(dir, "flow.yaml", yaml))).Should()
            .Throw<FlowFileException>().WithMessage("invalid YAML*");
    }

    [Fact]
    public void Include_cycles_are_reported_with_the_chain()
    {
        var dir = Harness.TempDir();
        Write(dir, "a.yaml", "include: [b.yaml]\nsteps: [ { request: { url: http://x/ } } ]\n");
        Write(dir, "b.yaml", "include: [a.yaml]\nsteps: [ { request: { url: http://x/ } } ]\n");
        FluentActions.Invoking(() => FlowLoader.Load(Path.Combine(dir, "a.yaml"))).Should()
            .Throw<FlowFileException>().WithMessage("include cycle: a.yaml -> b.yaml -> a.yaml");
    }

    [Fact]
    public void A_step_can_include_steps_in_the_middle_of_a_flow()
    {
        var dir = Harness.TempDir();
        Write(dir, "refresh.yaml", "name: refresh\nvars: { realm: shop }\nsteps:\n  - name: refresh token\n    request: { url: \"{{api}}/refresh\" }\n");
        var flow = FlowLoader.Load(Write(dir, "main.yaml", """
            vars: { realm: override }
            steps:
              - name: first
                request: { url: "{{api}}/a" }
              - include: refresh.yaml
              - name: last
                request: { url: "{{api}}/b" }
            """));
        flow.Steps.Select(s => s.Name).Should().Equal("first", "refresh / refresh token", "last");
        ((string)flow.Vars["realm"]!).Should().Be("override", "the including file's vars win");
    }

    [Theory]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    expcet: { status: 200 }\n", "*:3: steps[0]: unknown key 'expcet'*")]
    [InlineData("steps:\n  - name: x\n", "*steps[0]: 'request' is required*")]
    [InlineData("steps:\n  - request: { method: POST }\n", "*'url' is required*")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    poll: { timeout: 5s }\n", "*'until' is required*")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    poll: { until: { status: 200 }, timeout: soon }\n", "*'soon' is not a duration*")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    expect: { json: { status: OPEN } }\n", "*'status' is not a JSONPath*")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    capture: { id: 42 }\n", "*capture.id: use a JSONPath*")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    target: { kube: svc/orders }\n", "*needs a port*")]
    [InlineData("steps:\n  - request: { url: http://x/, json: {}, body: x }\n", "*only one of 'json', 'body' and 'form'*")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    expect: { json: { \"$.items[\": 1 } }\n", "*invalid JSONPath '$.items['*")]
    [InlineData("name: [\n", "*")]
    [InlineData("include: [missing.yaml]\nsteps: []\n", "*missing.yaml: file not found*")]
    public void Mistakes_are_flow_errors_with_a_location(string yaml, string message)
    {
        var path = Write(Harness.TempDir(), "flow.yaml", yaml);
        FluentActions.Invoking(() => FlowLoader.Load(path)).Should().Throw<FlowFileException>()
            .Which.ToString().Should().Match(message);
    }
}
