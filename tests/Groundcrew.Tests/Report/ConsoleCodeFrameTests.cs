using System.Text;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Model;
using Groundcrew.Report;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>
/// The console report shows each finding's source line under it, decoding only the lines findings name (FileLines, as
/// the SARIF fingerprints do); the lines it shows must be the ones File.ReadAllLines numbers, whatever the line breaks.
/// </summary>
public class ConsoleCodeFrameTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Frames(string file, byte[] content, params int[] lines)
    {
        var full = Path.Combine(_dir.Path, file);
        File.WriteAllBytes(full, content);
        var findings = lines.Select(n => new Finding("test-rule", Severity.Error, $"finding on line {n}", new SourceSpan(file, n, 1))).ToList();
        var result = new CheckResult { Root = _dir.Path, Findings = findings, Model = new DeploymentModel(_dir.Path, [], [], complete: false), Redactor = new Redactor() };
        var o = new StringWriter();
        new ConsoleReporter().Write(result, o, new ReportSettings(Severity.Error, false, "0", false));
        return o.ToString();
    }

    private static string Frame(int line, string text) => $"    {line,5} | {text}";

    [Theory]
    [InlineData("lf", "one\ntwo\nthree\n")]
    [InlineData("crlf", "one\r\ntwo\r\nthree\r\n")]
    [InlineData("cr", "one\rtwo\rthree\r")]
    [InlineData("mixed, no final break", "one\r\ntwo\nthree")]
    public void The_frame_is_the_line_the_finding_names(string _, string text)
    {
        var shown = Frames("a.yaml", Encoding.UTF8.GetBytes(text), 3, 1);
        shown.Should().Contain(Frame(1, "one")).And.Contain(Frame(3, "three")).And.NotContain(Frame(2, "two"));
    }

    [Fact]
    public void A_line_past_the_end_of_the_file_gets_no_frame_and_the_others_still_do()
    {
        var shown = Frames("a.yaml", Encoding.UTF8.GetBytes("one\ntwo\n"), 2, 3, 9);
        shown.Should().Contain(Frame(2, "two"));
        shown.Should().Contain("finding on line 3").And.Contain("finding on line 9");
        shown.Should().NotContain(Frame(3, "")).And.NotContain(Frame(9, ""));
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_line()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("kind: ConfigMap\n")).ToArray();
        Frames("a.yaml", bytes, 1).Should().Contain(Frame(1, "kind: ConfigMap"));
    }

    [Fact]
    public void Long_lines_and_many_lines_read_as_File_ReadAllLines_reads_them()
    {
        var text = new StringBuilder();
        for (var i = 1; i <= 5000; i++) text.Append(i % 1000 == 0 ? new string('x', 20_000) + "é" + i : "line ü " + i).Append(i % 3 == 0 ? "\r\n" : i % 7 == 0 ? "\r" : "\n");
        var full = Path.Combine(_dir.Path, "big.yaml");
        File.WriteAllText(full, text.ToString());
        var expected = File.ReadAllLines(full);

        var lines = FileLines.Read(_dir.Path, "big.yaml")!;

        foreach (var n in new[] { 1, 7, 999, 1000, 2500, 4000, expected.Length })
            lines.Line(n).Should().Be(expected[n - 1], $"line {n}");
        lines.Line(expected.Length + 1).Should().BeNull();
    }
}
