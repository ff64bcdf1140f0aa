using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Xunit;

namespace Groundcrew.Tests.Terraform;

/// <summary>
/// The quicker paths of the Terraform load (issue 14): the lexer skipping runs of text at once, one folder listing per
/// module, and evaluated values turned into trees without a key node per entry. Each must give what the slower path gave.
/// </summary>
public class TerraformLoadPathTests
{
    [Fact]
    public void Columns_count_characters_not_utf16_units_in_identifiers_strings_comments_and_heredocs()
    {
        // a-b is one identifier; the emoji is two UTF-16 units but one column, as before.
        var tokens = HclLexer.Lex("a-b = \"x\U0001F600y\" # c\U0001F600", "main.tf");
        tokens.Select(t => (t.Kind, t.Column, t.EndColumn)).Should().Equal(
            (HclTokenKind.Ident, 1, 4), (HclTokenKind.Assign, 5, 6), (HclTokenKind.OQuote, 7, 8),
            (HclTokenKind.Literal, 8, 11), (HclTokenKind.CQuote, 11, 12), (HclTokenKind.Eof, 17, 17));
        tokens[0].Text.Should().Be("a-b");
        tokens[3].Text.Should().Be("x\U0001F600y");

        var unicode = HclLexer.Lex("\u00e9t\u00e9_1 = 1", "main.tf");
        unicode[0].Should().Match<HclToken>(t => t.Kind == HclTokenKind.Ident && t.Text == "\u00e9t\u00e9_1" && t.EndColumn == 6);

        var heredoc = HclLexer.Lex("x = <<EOF\n\U0001F600 ${a}b\nEOF\n", "main.tf");
        var interp = heredoc.First(t => t.Kind == HclTokenKind.TemplateInterp);
        (interp.Line, interp.Column).Should().Be((2, 3));
        heredoc.First(t => t.Kind == HclTokenKind.Ident && t.Text == "a").Column.Should().Be(5);
    }

    [Fact]
    public void Quoted_text_stops_at_escapes_interpolations_and_the_closing_quote()
    {
        var tokens = HclLexer.Lex("v = \"a\\\"b$${x}%%{y}${z}c\"\n", "main.tf");
        tokens.Where(t => t.Kind is HclTokenKind.Literal or HclTokenKind.TemplateInterp or HclTokenKind.Ident or HclTokenKind.CQuote)
            .Select(t => (t.Kind, t.Text, t.Column)).Should().Equal(
                (HclTokenKind.Ident, "v", 1), (HclTokenKind.Literal, "a\\\"b$${x}%%{y}", 6), (HclTokenKind.TemplateInterp, "${", 20),
                (HclTokenKind.Ident, "z", 22), (HclTokenKind.Literal, "c", 24), (HclTokenKind.CQuote, "\"", 25));
        HclParser.TryParseFile("v = \"abc\n", "bad.tf").Error!.Message.Should().Contain("unterminated string");
    }

    [Fact]
    public void Bytes_read_count_every_configuration_file_of_each_module_once_read_or_not()
    {
        var dir = Directory.CreateTempSubdirectory("gc-tf-bytes").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "main.tf"), "resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n");
            File.WriteAllText(Path.Combine(dir, "big.tf"), "# " + new string('x', 300) + "\n");        // over the limit: not read
            File.WriteAllText(Path.Combine(dir, "UPPER.TF"), "# not read by Terraform either\n");       // counted, not parsed
            File.WriteAllText(Path.Combine(dir, "terraform.tfvars"), "a = 1\n");                      // a var file: read, not counted
            var expected = new[] { "main.tf", "big.tf", "UPPER.TF" }.Sum(f => new FileInfo(Path.Combine(dir, f)).Length);

            var result = TerraformLoader.Load(Directory.GetFiles(dir), dir, maxFileBytes: 200);

            result.Bytes.Should().Be(expected);
            result.Files.Should().Be(2); // main.tf and terraform.tfvars
            result.Resources.Select(r => r.Name).Should().Equal("aws_sqs_queue.q");
            result.Problems.Should().ContainSingle(p => p.Message.Contains("larger than 200 bytes") && p.Span.File == "big.tf");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Var_files_are_read_in_terraform_order_from_the_one_listing()
    {
        var dir = Directory.CreateTempSubdirectory("gc-tf-vars").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "main.tf"), "variable \"a\" {}\nvariable \"b\" {}\nvariable \"c\" {}\n");
            File.WriteAllText(Path.Combine(dir, "b.auto.tfvars"), "a = \"b-auto\"\nc = \"b-auto\"\n");
            File.WriteAllText(Path.Combine(dir, "a.auto.tfvars.json"), "{\"a\": \"a-auto\", \"b\": \"a-auto\"}");
            File.WriteAllText(Path.Combine(dir, "terraform.tfvars"), "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\n");
            File.WriteAllText(Path.Combine(dir, "prod.tfvars"), "a = \"prod\"\n"); // only read with -var-file

            var module = TerraformModule.Load(dir, dir);
            var ev = new HclEvaluator(module);

            module.VarFiles.Select(f => f.Path).Should().Equal("terraform.tfvars", "a.auto.tfvars.json", "b.auto.tfvars");
            ev.Variable("a").Str.Should().Be("b-auto");
            ev.Variable("b").Str.Should().Be("a-auto");
            ev.Variable("c").Str.Should().Be("b-auto");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Nested_objects_become_maps_with_each_key_where_its_value_is()
    {
        static SourceSpan At(int line) => new("main.tf", line, 3);
        var value = TfValue.Object([
            new("b", TfValue.List([
                TfValue.Object([new("y", TfValue.Num(2, At(3))), new("x", TfValue.String("one", At(2)))], At(2)),
                TfValue.Object([new("z", TfValue.Boolean(true, At(5)))], At(5)),
            ], At(2))),
            new("a", TfValue.Object([new("c", TfValue.String("d", At(7)))], At(7))),
            new("e", TfValue.Object([], At(8))),
        ], At(1));

        var tree = (MapNode)TerraformValueToTree.Convert(value, At(1));

        tree.Entries.Select(e => (e.Name, e.KeySpan.StartLine)).Should().Equal(("a", 7), ("b", 2), ("e", 8));
        var items = ((SeqNode)tree["b"]!).Items.Cast<MapNode>().ToList();
        items[0].Entries.Select(e => (e.Name, ((ScalarNode)e.Value).Value, e.Key.Span.StartLine)).Should().Equal(("x", "one", 2), ("y", "2", 3));
        items[1].Entries.Select(e => e.Name).Should().Equal("z");
        ((MapNode)tree["a"]!).GetString("c").Should().Be("d");
        ((MapNode)tree["e"]!).Entries.Should().BeEmpty();
        items[0].Entries[0].Key.Parent.Should().BeSameAs(items[0]);
        tree["a"]!.Parent.Should().BeSameAs(tree);

        // A map from the tree still takes entries afterwards (a remote module call's tree gets its source added).
        tree.Add(new ScalarNode { Value = "source", Kind = ScalarKind.Quoted, Span = At(9) }, new ScalarNode { Value = "x", Span = At(9) });
        tree.Entries.Select(e => e.Name).Should().Equal("a", "b", "e", "source");
        items[0].Entries.Select(e => e.Name).Should().Equal("x", "y");
    }
}
