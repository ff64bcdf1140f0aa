using FluentAssertions;
using Groundcrew.Verify.Flows;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>
/// Flow errors name the line to edit (kept from the YAML parser through the System.Text.Json tree), including for a
/// key whose value is null, which has no node of its own.
/// </summary>
public class FlowErrorLineTests
{
    [Theory]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    expect:\n      json:\n        \"$.a\": { exists: maybe }\n", 5, "'exists' takes true or false")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    capture:\n      id:\n", 4, "capture.id: use a JSONPath")]
    [InlineData("steps:\n  - request:\n      url: http://x/\n      headers:\n        X-A:\n", 5, "headers.X-A must be text")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    expect:\n      json:\n        \"$.items[\": 1\n", 5, "invalid JSONPath '$.items[': Path ended with open indexer.")]
    [InlineData("steps:\n  - request: { url: http://x/ }\n    expect:\n      status: 200\n      rowCount: 1\n", 5, "'rowCount' does not apply to a request step")]
    [InlineData("steps:\n  - name: a\n    exec:\n", 3, "steps[0].exec must be a mapping (command or shell)")]
    [InlineData("steps:\n  - exec:\n      command: [echo, hi]\n      shel: x\n", 4, "unknown key 'shel'")]
    public void An_error_names_the_line_of_the_value_or_key_at_fault(string yaml, int line, string message)
    {
        var dir = Directory.CreateTempSubdirectory("groundcrew-flowline-").FullName;
        var path = Path.Combine(dir, "flow.yaml");
        File.WriteAllText(path, yaml);
        var error = FluentActions.Invoking(() => FlowLoader.Load(path)).Should().Throw<FlowFileException>().Which;
        error.Message.Should().Contain(message);
        error.Line.Should().Be(line);
    }
}
