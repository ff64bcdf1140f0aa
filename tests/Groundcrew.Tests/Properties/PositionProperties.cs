using CsCheck;
using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Properties;

/// <summary>
/// Position mapping: a finding's line and column lie inside its file and point at the value the finding names,
/// however the manifest is laid out (indentation, comments, blank lines, key order, quoting, flow or block style,
/// several documents, CRLF line ends).
/// </summary>
public class PositionProperties
{
    private static readonly Gen<string> BadImage = Gen.OneOf("ghcr.io/acme/API:1.0", "acme/web:1.2.0:latest", "registry.example.com/Shop/Web:2", "web@sha256:12ab");

    private sealed record Layout(int Indent, string Quote, bool Flow, int CommentsBefore, int BlanksBefore, bool ExtraKey, bool LeadingDocument, bool Crlf, string Image);

    private static readonly Gen<Layout> Layouts = Gen.Select(Gen.OneOf(2, 4), Gen.OneOf("", "\"", "'"), Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 3],
        Gen.Bool, Gen.Bool, Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))), BadImage,
        (i, q, f, c, b, e, d, crlf, img) => new Layout(i, q, f, c, b, e, d, crlf, img));

    private static string Manifest(Layout l)
    {
        string Ind(int level) => new(' ', l.Indent * level);
        var lines = new List<string>();
        if (l.LeadingDocument) lines.AddRange(["apiVersion: v1", "kind: ConfigMap", "metadata:", Ind(1) + "name: other", "---"]);
        lines.AddRange(["apiVersion: apps/v1", "kind: Deployment", "metadata:", Ind(1) + "name: shop", "spec:", Ind(1) + "template:", Ind(2) + "spec:"]);
        for (var i = 0; i < l.CommentsBefore; i++) lines.Add(Ind(3) + "# image: not/this:one");
        for (var i = 0; i < l.BlanksBefore; i++) lines.Add("");
        var image = l.Quote + l.Image + l.Quote;
        if (l.Flow)
            lines.Add(Ind(2) + $"  containers: [{{name: api, {(l.ExtraKey ? "imagePullPolicy: Always, " : "")}image: {image}}}]");
        else
        {
            lines.Add(Ind(2) + "  containers:");
            lines.Add(Ind(3) + "- name: api");
            if (l.ExtraKey) lines.Add(Ind(3) + "  imagePullPolicy: Always  # a comment");
            lines.Add(Ind(3) + $"  image: {image}");
        }
        return string.Join(l.Crlf ? "\r\n" : "\n", lines) + "\n";
    }

    [Fact]
    public void An_invalid_image_finding_points_at_the_image_value() =>
        Layouts.Sample(layout =>
        {
            var text = Manifest(layout);
            var result = Scan.Files(("deploy.yaml", text));
            var finding = result.Of("invalid-image-reference").Should().ContainSingle($"one bad image in\n{text}").Subject;
            var lines = text.Replace("\r\n", "\n").Split('\n');
            finding.Span.File.Should().Be("deploy.yaml");
            finding.Span.StartLine.Should().BeInRange(1, lines.Length);
            var line = lines[finding.Span.StartLine - 1];
            finding.Span.StartColumn.Should().BeInRange(1, line.Length);
            line[(finding.Span.StartColumn - 1)..].TrimStart('"', '\'').Should().StartWith(layout.Image, $"the finding points at {finding.Span.StartLine}:{finding.Span.StartColumn} in\n{text}");
        }, iter: 60, threads: 1);

    [Fact]
    public void Every_finding_on_the_examples_lies_inside_its_file()
    {
        var root = Path.Combine(Repo.Root, "examples");
        var result = Scan.Folder(root);
        result.Findings.Should().NotBeEmpty();
        var checkedSpans = 0;
        foreach (var f in result.Findings)
            foreach (var span in new[] { f.Span }.Concat((f.Related ?? []).Select(r => r.Span)))
            {
                var path = Path.Combine(root, span.File);
                if (span.File.Length == 0 || !File.Exists(path)) continue; // a folder, or a resource without a file
                var lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
                span.StartLine.Should().BeInRange(1, lines.Length, $"{f.RuleId} at {span}");
                span.StartColumn.Should().BeInRange(1, lines[span.StartLine - 1].Length + 1, $"{f.RuleId} at {span}");
                checkedSpans++;
            }
        checkedSpans.Should().BeGreaterThan(50);
    }
}
