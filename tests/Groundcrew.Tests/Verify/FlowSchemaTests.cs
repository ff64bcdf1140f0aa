using FluentAssertions;
using Groundcrew.Verify.Flows;
using NJsonSchema;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>The published JSON Schema must accept every example and catch the typos editors should flag.</summary>
public class FlowSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(Harness.RepoRoot, "docs", "schemas", "flow.schema.json"))).GetAwaiter().GetResult());

    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(Path.Combine(Harness.RepoRoot, "examples", "flows"), "*.yaml").Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_flow_is_valid_against_the_schema_and_loads(string file)
    {
        var json = YamlToJson.Parse(File.ReadAllText(Harness.Example(file)))!.ToString();
        Schema.Value.Validate(json).Should().BeEmpty();
        FluentActions.Invoking(() => FlowLoader.Load(Harness.Example(file))).Should().NotThrow();
    }

    [Theory]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    expcet: { status: 200 }\n")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    poll: { timeout: 5s }\n")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    poll: { until: { status: 200 }, timeout: soon }\n")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    target: { kube: svc/orders }\n")]
    [InlineData("stpes: []\n")]
    public void The_schema_flags_what_the_loader_rejects(string yaml) =>
        Schema.Value.Validate(YamlToJson.Parse(yaml)!.ToString()).Should().NotBeEmpty();
}
