using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load;
using Xunit;

namespace Groundcrew.Tests.Load;

public class LoaderTests
{
    [Fact]
    public void Json_values_and_keys_point_at_their_first_character()
    {
        var doc = JsonTreeLoader.Load("{\n  \"family\": \"abc\",\n  \"n\": 12,\n  \"b\": true\n}\n", "t.json").Documents.Single().Root.AsMap!;
        doc["family"]!.Span.Should().Match<SourceSpan>(s => s.StartLine == 2 && s.StartColumn == 13);
        doc.Entry("family")!.Value.Key.Span.StartColumn.Should().Be(3);
        doc["n"]!.Span.Should().Match<SourceSpan>(s => s.StartLine == 3 && s.StartColumn == 8);
        doc["b"]!.Span.Should().Match<SourceSpan>(s => s.StartLine == 4 && s.StartColumn == 8);
    }

    [Fact]
    public void Yaml_multi_document_streams_keep_each_documents_lines()
    {
        var loaded = YamlTreeLoader.Load("a: 1\n---\nb: 2\n---\n# only a comment\n", "m.yaml");
        loaded.Error.Should().BeNull();
        loaded.Documents.Should().HaveCount(2);
        loaded.Documents[1].Root.AsMap!["b"]!.Span.StartLine.Should().Be(3);
    }

    [Fact]
    public void Yaml_merge_keys_and_aliases_are_expanded()
    {
        var root = YamlTreeLoader.Load("base: &b\n  image: nginx\n  port: 80\nsvc:\n  <<: *b\n  port: 8080\n", "m.yaml").Documents.Single().Root.AsMap!;
        root.At("svc.image")!.AsScalar!.Value.Should().Be("nginx");
        root.At("svc.port")!.AsScalar!.Value.Should().Be("8080", "keys written beside a merge win");
    }

    [Fact]
    public void Scalars_keep_whether_they_were_quoted()
    {
        var root = YamlTreeLoader.Load("a: 123\nb: \"123\"\nc: |\n  text\n", "q.yaml").Documents.Single().Root.AsMap!;
        root["a"]!.AsScalar!.IsString.Should().BeFalse();
        root["b"]!.AsScalar!.IsString.Should().BeTrue();
        root["c"]!.AsScalar!.Kind.Should().Be(ScalarKind.Block);
    }

    [Fact]
    public void Paths_name_map_keys_and_sequence_indexes()
    {
        var root = YamlTreeLoader.Load("spec:\n  containers:\n    - name: a\n      image: x\n", "p.yaml").Documents.Single().Root.AsMap!;
        root.At("spec.containers")!.AsSeq!.Items[0].AsMap!["image"]!.Path.Should().Be("spec.containers[0].image");
    }
}

public class YamlLeniencyTests
{
    [Fact]
    public void Block_scalar_with_a_leading_line_of_extra_spaces_loads_as_kubectl_does()
    {
        var text = "data:\n  config.yaml: |\n    \n    auth_enabled: false\n  other: x\n";
        var loaded = YamlTreeLoader.Load(text, "loki.yaml");
        loaded.Error.Should().BeNull();
        loaded.Documents.Single().Root.At("data.config.yaml").Should().BeNull("keys with dots are not paths");
        var data = loaded.Documents.Single().Root.AsMap!.GetMap("data")!;
        data.GetString("config.yaml").Should().Contain("auth_enabled: false");
        data["other"]!.Span.StartLine.Should().Be(5, "the repair keeps line numbers");
    }

    [Fact]
    public void Multi_line_quoted_scalar_indented_under_its_parent_loads_as_kubectl_does()
    {
        var text = "command:\n  - sh\n  - \"exec server \\\n --a=1 \\\n --b=2\"\nnext: y\n";
        var loaded = YamlTreeLoader.Load(text, "kafka.yaml");
        loaded.Error.Should().BeNull();
        var root = loaded.Documents.Single().Root.AsMap!;
        root.GetSeq("command")!.Items[1].AsScalar!.Value.Should().Be("exec server --a=1 --b=2");
        root["next"]!.Span.StartLine.Should().Be(6);
    }

    [Fact]
    public void Really_broken_yaml_is_still_an_error()
    {
        YamlTreeLoader.Load("a: [\n", "x.yaml").Error.Should().NotBeNull();
        YamlTreeLoader.Load("a: \"open\n  b: c\n", "x.yaml").Error.Should().NotBeNull();
    }
}

public class MergeKeyAndJsonErrorTests
{
    [Fact]
    public void Explicit_key_after_a_merge_appears_once()
    {
        var root = YamlTreeLoader.Load("base: &b\n  port: 80\n  image: x\nsvc:\n  <<: *b\n  port: 8080\n", "m.yaml").Documents.Single().Root.AsMap!;
        root.GetMap("svc")!.Entries.Count(e => e.Key.Value == "port").Should().Be(1);
        root.At("svc.port")!.AsScalar!.Value.Should().Be("8080");
    }

    [Fact]
    public void Json_structure_errors_carry_their_line()
    {
        var loaded = JsonTreeLoader.Load("{\n  \"a\": 1,\n  \"b\": [1, 2\n", "x.json");
        loaded.Error.Should().NotBeNull();
        loaded.Error!.Line.Should().BeGreaterThan(1);
    }

    [Theory]
    [InlineData("[{ \"name\": \"${name}\", \"cpu\": ${cpu} }]")]          // Terraform templatefile()
    [InlineData("{ \"replicas\": {{ .Values.replicas }} }")]                   // Helm / Go template
    [InlineData("{ \"cpu\": <%= cpu %> }")]                                     // ERB
    [InlineData("{ \"command\": %COMMAND_JSON_ARRAY%, \"image\": \"%IMAGE%\" }")] // sed placeholders
    [InlineData("{ \"memory\": $MEMORY }")]                                     // envsubst
    [InlineData("[ %{ for c in cs ~} \"${c}\", %{ endfor ~} ]")]                // Terraform directive
    public void A_json_template_is_neither_read_nor_an_error(string text)
    {
        var loaded = JsonTreeLoader.Load(text, "t.json");
        loaded.Error.Should().BeNull();
        loaded.Documents.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{ \"image\": \"${image}\", \"cpu\": 256, }x")]                         // inside a string
    [InlineData("{\n // set $IMAGE in CI\n \"family\": \"api\",\n \"cpu\": 256\n \"memory\": 512\n}")]   // inside a comment
    [InlineData("{ /* {{ see docs }} */ \"a\": 1 \"b\": 2 }")]                          // inside a block comment
    [InlineData("{ 'cmd': '$HOME', \"a\": 1 \"b\": 2 }")]                              // inside a single-quoted string
    [InlineData("{\n \"a\": 1\n \"b\": 2,\n \"c\": \"x\"\n}\n$TRAILER")]                   // after the line that failed
    public void Template_markers_that_did_not_break_the_json_do_not_excuse_it(string text)
    {
        var loaded = JsonTreeLoader.Load(text, "t.json");
        loaded.Error.Should().NotBeNull();
    }
}
