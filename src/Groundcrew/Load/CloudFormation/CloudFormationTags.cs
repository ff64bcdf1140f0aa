using Groundcrew.Core;

namespace Groundcrew.Load.CloudFormation;

/// <summary>
/// CloudFormation's YAML short forms (<c>!Ref X</c>, <c>!GetAtt X.Arn</c>, <c>!Sub "..."</c>) are sugar for the
/// long forms (<c>{"Ref": "X"}</c>, <c>{"Fn::GetAtt": ...}</c>, <c>{"Fn::Sub": ...}</c>) that JSON templates use
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html). The YAML
/// loader rewrites a tagged node into its long form, so one reader handles both, and a <c>!Sub</c> string is never
/// mistaken for a plain value with an unsubstituted <c>${VAR}</c>. Other tags are left alone.
/// </summary>
public static class CloudFormationTags
{
    private static readonly Dictionary<string, string> LongForms = new(StringComparer.Ordinal)
    {
        ["!Ref"] = "Ref",
        ["!Condition"] = "Condition",
        ["!GetAtt"] = "Fn::GetAtt",
        ["!Sub"] = "Fn::Sub",
        ["!Join"] = "Fn::Join",
        ["!Select"] = "Fn::Select",
        ["!Split"] = "Fn::Split",
        ["!If"] = "Fn::If",
        ["!Equals"] = "Fn::Equals",
        ["!Not"] = "Fn::Not",
        ["!And"] = "Fn::And",
        ["!Or"] = "Fn::Or",
        ["!FindInMap"] = "Fn::FindInMap",
        ["!ImportValue"] = "Fn::ImportValue",
        ["!GetAZs"] = "Fn::GetAZs",
        ["!Base64"] = "Fn::Base64",
        ["!Cidr"] = "Fn::Cidr",
        ["!Length"] = "Fn::Length",
        ["!ToJsonString"] = "Fn::ToJsonString",
        ["!Transform"] = "Fn::Transform",
    };

    /// <summary>The node itself, or for a CloudFormation short-form tag, the long-form map holding it.</summary>
    public static Node Desugar(string? tag, Node node)
    {
        if (string.IsNullOrEmpty(tag) || !LongForms.TryGetValue(tag, out var name)) return node;
        var map = new MapNode { Span = node.Span };
        map.Add(new ScalarNode { Value = name, Kind = ScalarKind.Plain, Span = node.Span }, node);
        return map;
    }
}
