using System.Text.Json.Nodes;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Graph;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>
/// `graph --format json` ids name nodes and edge ends: they must be unique, and they must not print a secret. Scrubbing
/// made every external secret's id the same `aws-secret:****` (and two resources named after secret values the same
/// `ConfigMap/default/****`), so edges could not tell their ends apart; a masked id now carries its node's index.
/// </summary>
public class GraphNodeIdTests
{
    private const string SecretA = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/a-AbCdEf";
    private const string SecretB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/b-GhIjKl";
    // Two resources named after the repository's own secret values: their ids must be masked, and still unique.
    private const string ValueOne = "Named4fterSecret-One9";
    private const string ValueTwo = "Named4fterSecret-Two7";

    [Fact]
    public void Ids_are_unique_and_mask_secret_values()
    {
        using var dir = new TempDir();
        dir.Write("taskdef.json", $$"""
            {"family":"api","executionRoleArn":"arn:aws:iam::123456789012:role/exec","containerDefinitions":[{"name":"api","image":"nginx:1.27","memory":256,
              "secrets":[{"name":"A","valueFrom":"{{SecretA}}"},{"name":"B","valueFrom":"{{SecretB}}:password::"}]}]}
            """);
        dir.Write("secret.yaml", $"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData: {{one: {ValueOne}, two: {ValueTwo}}}\n");
        dir.Write("cm.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {ValueOne}}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {ValueTwo}}}\n");

        var result = new CheckRunner(new CheckOptions { Paths = [dir.Path], Config = GroundcrewConfig.Default }).Run();
        var graph = GraphBuilder.Build(result.Model, result.Findings, result.Config);
        using var text = new StringWriter();
        GraphWriters.Json(graph, text, result.Redactor.Scrub);
        var json = JsonNode.Parse(text.ToString())!;
        var ids = json["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();

        ids.Should().OnlyHaveUniqueItems();
        text.ToString().Should().NotContain(ValueOne).And.NotContain(ValueTwo);
        ids.Where(i => i.StartsWith("ConfigMap/", StringComparison.Ordinal)).Should().HaveCount(2).And.OnlyContain(i => i.Contains(Redactor.Mask));
        var edgeEnds = json["edges"]!.AsArray().SelectMany(e => new[] { e!["from"]!.GetValue<string>(), e["to"]!.GetValue<string>() });
        edgeEnds.Should().OnlyContain(end => ids.Contains(end), "every edge names a node that is there");
        ids.Count(i => i.StartsWith("aws-secret:", StringComparison.Ordinal)).Should().Be(2, "two secrets, two nodes, each its own id");
        edgeEnds.Count(end => end.StartsWith("aws-secret:", StringComparison.Ordinal)).Should().Be(2);
        edgeEnds.Where(end => end.StartsWith("aws-secret:", StringComparison.Ordinal)).Should().OnlyHaveUniqueItems("each container secret points at its own node");
    }

    [Fact]
    public void A_secret_node_id_keeps_the_secret_arn_but_not_a_secret_value()
    {
        using var dir = new TempDir();
        dir.Write("taskdef.json", $$"""
            {"family":"api","executionRoleArn":"arn:aws:iam::123456789012:role/exec","containerDefinitions":[{"name":"api","image":"nginx:1.27","memory":256,
              "secrets":[{"name":"A","valueFrom":"{{SecretA}}"},{"name":"B","valueFrom":"{{SecretB}}:password::"},{"name":"C","valueFrom":"{{ValueOne}}"}]}]}
            """);
        dir.Write("secret.yaml", $"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData: {{one: {ValueOne}}}\n");

        var result = new CheckRunner(new CheckOptions { Paths = [dir.Path], Config = GroundcrewConfig.Default }).Run();
        var graph = GraphBuilder.Build(result.Model, result.Findings, result.Config);
        using var text = new StringWriter();
        GraphWriters.Json(graph, text, result.Redactor.Scrub);
        var ids = JsonNode.Parse(text.ToString())!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();

        // A secret's name is not its value: `aws-secret:` read as a credential key masked it (`aws-secret:****#7`).
        ids.Should().Contain("aws-secret:shop/a-AbCdEf").And.Contain("aws-secret:shop/b-GhIjKl");
        text.ToString().Should().NotContain(ValueOne, "a value of the repository's Secret stays masked inside an id");
        ids.Should().Contain(i => i.Contains(Redactor.Mask), "the node of secret C is named by that value");
    }
}
