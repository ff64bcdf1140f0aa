using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load;
using Xunit;

namespace Groundcrew.Tests.Load;

/// <summary>
/// The tree packs each span into 8 bytes and takes its file from the parent (Core/Tree.cs). Findings point at these
/// spans, so the cases that do not pack, and nodes that come from another file than their parent (Terraform values,
/// rendered output mapped back to its source), must come back exactly as they were set.
/// </summary>
public class TreeSpanTests
{
    private static readonly SourceSpan[] Unusual =
    [
        new("a.json", 1, 70_000, 1, 70_012), // minified JSON: a column past 65,535
        new("a.yaml", 20_000_000, 3, 20_000_000, 9), // a line past 16 million
        new("a.yaml", 10, 3, 400, 1), // a block scalar over 254 lines
        new("a.yaml", 10, 3, 4, 1), // an end before the start
        new("a.yaml", 0, 0), // no position at all
        new("a.yaml", 7, 5), // no end (end line and column 0)
    ];

    [Fact]
    public void Spans_that_do_not_pack_come_back_whole_on_values_items_and_keys()
    {
        foreach (var span in Unusual)
        {
            var map = new MapNode { Span = new SourceSpan("a.yaml", 1, 1, 1, 1) };
            var value = new ScalarNode { Value = "v", Span = span };
            map.Add("k", ScalarKind.Plain, span, value);
            var seq = new SeqNode { Span = new SourceSpan("a.yaml", 2, 1, 2, 1) };
            var item = new ScalarNode { Value = "i", Span = span };
            seq.Add(item);

            value.Span.Should().Be(span);
            item.Span.Should().Be(span);
            map.Entries[0].KeySpan.Should().Be(span);
            map.Entries[0].Key.Span.Should().Be(span);
        }
    }

    [Fact]
    public void A_node_from_another_file_keeps_its_file_under_its_parent()
    {
        var map = new MapNode { Span = new SourceSpan("rendered.yaml", 1, 1, 3, 1) };
        var value = new ScalarNode { Value = "nginx", Span = new SourceSpan("templates/deploy.yaml", 12, 14, 12, 19) };
        map.Add("image", ScalarKind.Plain, new SourceSpan("templates/deploy.yaml", 12, 7, 12, 12), value);
        map.Add("name", ScalarKind.Plain, new SourceSpan("rendered.yaml", 2, 1, 2, 5), new ScalarNode { Value = "a", Span = new SourceSpan("rendered.yaml", 2, 7, 2, 8) });

        value.Span.Should().Be(new SourceSpan("templates/deploy.yaml", 12, 14, 12, 19));
        map.Entries[0].KeySpan.Should().Be(new SourceSpan("templates/deploy.yaml", 12, 7, 12, 12));
        map["name"]!.Span.Should().Be(new SourceSpan("rendered.yaml", 2, 7, 2, 8));
        map.Entries[1].KeySpan.Should().Be(new SourceSpan("rendered.yaml", 2, 1, 2, 5));
    }

    [Fact]
    public void Moving_a_parent_to_another_file_leaves_its_children_and_keys_where_they_were()
    {
        var tree = YamlTreeLoader.Load("spec:\n  image: nginx\n  ports: [80]\n", "out.yaml").Documents[0].Root;
        var spec = (MapNode)tree.At("spec")!;
        var image = spec["image"]!;
        var port = ((SeqNode)spec["ports"]!).Items[0];
        var before = (Image: image.Span, Key: spec.Entries[0].KeySpan, Port: port.Span);

        spec.Span = new SourceSpan("chart/values.yaml", 40, 3, 41, 1);
        tree.Span = new SourceSpan("chart/other.yaml", 1, 1, 1, 1);

        spec.Span.Should().Be(new SourceSpan("chart/values.yaml", 40, 3, 41, 1));
        image.Span.Should().Be(before.Image);
        spec.Entries[0].KeySpan.Should().Be(before.Key);
        port.Span.Should().Be(before.Port);
        before.Image.Should().Be(new SourceSpan("out.yaml", 2, 10, 2, 15));

        spec.Entries[0].MoveKey(new SourceSpan("chart/values.yaml", 41, 3, 41, 8));
        spec.Entries[0].KeySpan.Should().Be(new SourceSpan("chart/values.yaml", 41, 3, 41, 8));
        spec.Entries[1].KeySpan.Should().Be(new SourceSpan("out.yaml", 3, 3, 3, 8));
    }

    [Fact]
    public void A_node_moved_under_a_parent_in_another_file_keeps_its_span()
    {
        var a = YamlTreeLoader.Load("x:\n  y: 1\n", "a.yaml").Documents[0].Root;
        var y = a.At("x")!;
        var before = y.Span;
        var b = new MapNode { Span = new SourceSpan("b.yaml", 1, 1, 1, 1) };
        b.Add("moved", ScalarKind.Plain, new SourceSpan("b.yaml", 1, 1, 1, 6), y);

        y.Parent.Should().BeSameAs(b);
        y.Span.Should().Be(before);
        before.File.Should().Be("a.yaml");
        y.At("y")!.Span.File.Should().Be("a.yaml");
        b.Entries[0].KeySpan.File.Should().Be("b.yaml");
    }
}
