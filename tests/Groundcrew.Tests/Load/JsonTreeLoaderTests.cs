using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>
/// The JSON loader (System.Text.Json's reader since the Newtonsoft removal): what real files need (comments, trailing
/// commas, JSON Lines) and the exact positions the rules report at.
/// </summary>
public class JsonTreeLoaderTests
{
    [Fact]
    public void Comments_and_trailing_commas_are_read_as_tsconfig_and_vscode_write_them()
    {
        var text = "// tsconfig\n{\n  /* block\n     comment */\n  \"compilerOptions\": { \"strict\": true, },\n  \"include\": [\"src\", ], // done\n}\n";
        var loaded = JsonTreeLoader.Load(text, "tsconfig.json");
        loaded.Error.Should().BeNull();
        var root = loaded.Documents.Single().Root.AsMap!;
        root["compilerOptions"]!.AsMap!["strict"]!.Span.Should().Match<SourceSpan>(s => s.StartLine == 5 && s.StartColumn == 34);
        root["include"]!.AsSeq!.Items.Should().ContainSingle();
        root.Entry("include")!.Value.Key.Span.Should().Match<SourceSpan>(s => s.StartLine == 6 && s.StartColumn == 3 && s.EndColumn == 12);
    }

    [Fact]
    public void Columns_count_characters_not_utf8_bytes()
    {
        // "é" is two bytes and "😀" four (two UTF-16 units): the value after them starts where an editor shows it.
        var loaded = JsonTreeLoader.Load("{ \"é😀\": \"x\", \"b\": 1 }", "u.json");
        var root = loaded.Documents.Single().Root.AsMap!;
        root["é😀"]!.Span.StartColumn.Should().Be(10);
        root["b"]!.Span.StartColumn.Should().Be(20);
    }

    [Fact]
    public void Json_lines_become_one_document_each_with_their_own_line()
    {
        var loaded = JsonTreeLoader.Load("{\"a\": 1}\n{\"a\": 2}\n\n[3]\n", "l.jsonl");
        loaded.Error.Should().BeNull();
        loaded.Documents.Should().HaveCount(3);
        loaded.Documents[1].Root.AsMap!["a"]!.Span.StartLine.Should().Be(2);
        loaded.Documents[2].Index.Should().Be(2);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("  \n", 0)]
    [InlineData("// only a comment\n", 0)]
    public void Empty_text_is_no_document_and_no_error(string text, int count)
    {
        var loaded = JsonTreeLoader.Load(text, "e.json");
        loaded.Error.Should().BeNull();
        loaded.Documents.Should().HaveCount(count);
    }

    [Theory]
    [InlineData("12", "12")]
    [InlineData("-7", "-7")]
    [InlineData("2.50", "2.50")]
    [InlineData("1e3", "1000")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    public void Numbers_keep_the_text_the_rules_always_saw(string json, string expected) =>
        ((ScalarNode)JsonTreeLoader.Load("[" + json + "]", "n.json").Documents.Single().Root.AsSeq!.Items[0]).Value.Should().Be(expected);

    [Fact]
    public void An_error_names_its_line_and_column_and_a_readable_message()
    {
        var loaded = JsonTreeLoader.Load("{\n  \"a\": 1,\n  \"b\": x\n}\n", "x.json");
        loaded.Error.Should().NotBeNull();
        loaded.Error!.Line.Should().Be(3);
        loaded.Error.Column.Should().Be(8);
        loaded.Error.Message.Should().StartWith("invalid JSON: ").And.NotContain("LineNumber");
    }

    [Fact]
    public void A_finding_in_a_json_task_definition_is_reported_at_the_line_and_column_to_edit()
    {
        // Comments and a multi-byte character before the finding must not shift it.
        var result = Scan.Files(("taskdef.json", """
            {
              // the run worker (café)
              "family": "run",
              "containerDefinitions": [
                {
                  "name": "run", "image": "example/run:1",
                  "secrets": [
                    { "name": "APP_ENV", "valueFrom": "/run/app-env" },
                    /* v2 */ { "name": "APP_ENV", "valueFrom": "/run/app-env-v2" },
                  ]
                }
              ]
            }
            """));
        var finding = result.Of("ecs-duplicate-env-name").Should().ContainSingle().Subject;
        finding.Span.File.Should().Be("taskdef.json");
        finding.Span.StartLine.Should().Be(9);
        finding.Span.StartColumn.Should().Be(28);
        finding.Related.Should().ContainSingle().Which.Span.StartLine.Should().Be(8);
    }
}
