using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Model;
using Groundcrew.Report;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>
/// The JSON and SARIF reports are written as they go (Utf8JsonWriter, in chunks) instead of through a JsonNode DOM. The
/// bytes must stay what the DOM wrote: the same document re-serialised through a DOM, indented with the same relaxed
/// escaping, gives back the very same text, even with more than one chunk of output, multi-byte characters everywhere,
/// quotes, control characters and redacted values.
/// </summary>
public class StreamedJsonReportTests
{
    private static CheckResult ManyFindings(string root, Redactor redactor)
    {
        var findings = new List<Finding>();
        for (var i = 0; i < 700; i++)
        {
            var span = new SourceSpan($"deploy/ünïcode-{i}.yaml", i + 1, 3, i + 1, 9 + i % 5);
            findings.Add(new Finding(i % 3 == 0 ? "placeholder-value" : "test-rule", i % 2 == 0 ? Severity.Error : Severity.Warning,
                $"message {i}: \"quoted\" <tag> & 日本語 😀 \t tab, secret hunter2-{i % 4} in it", span,
                Fix: i % 4 == 0 ? $"fix with \\ backslash and \u0001 control {i}" : null,
                Related: i % 5 == 0 ? [new RelatedLocation(span with { File = "other.tf" }, "related 'ünïcode' hunter2-1")] : null,
                Evidence: i % 7 == 0 ? new Dictionary<string, string> { ["value"] = "hunter2-2", ["line"] = "ü 😀" } : null));
        }
        return new CheckResult { Root = root, Findings = findings, Model = new DeploymentModel(root, [], [], complete: false), Redactor = redactor };
    }

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Streamed_output_is_the_bytes_a_dom_writes(string format)
    {
        var root = Directory.CreateTempSubdirectory("groundcrew-stream-").FullName;
        try
        {
            var redactor = new Redactor();
            for (var i = 0; i < 4; i++) redactor.Add($"hunter2-{i}");
            var output = new StringWriter();
            Reporters.Find(format)!.Write(ManyFindings(root, redactor), output, new ReportSettings(Severity.Warning, false, "0.0.0-test"));
            var text = output.ToString();

            text.Length.Should().BeGreaterThan(3 * 64 * 1024, "the test must span several chunks");
            text.Should().NotContain("hunter2-", "every string written goes through the redactor");
            var dom = JsonNode.Parse(text)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            text.Should().Be(dom + Environment.NewLine);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
