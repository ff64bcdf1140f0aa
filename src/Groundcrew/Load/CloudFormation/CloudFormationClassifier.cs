using System.Text;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;

namespace Groundcrew.Load.CloudFormation;

/// <summary>
/// Reads a CloudFormation template (YAML or JSON; CDK's synthesized <c>*.template.json</c> included) into model
/// resources:
/// <list type="bullet">
/// <item><c>AWS::ECS::TaskDefinition</c> becomes an ECS task definition in the RegisterTaskDefinition shape (keys
/// camelCased), so every ECS rule applies to it as to JSON, Terraform and Pulumi task definitions.</item>
/// <item>Every other resource is a <see cref="ResourceFamily.CloudFormation"/> resource: Kind = type
/// (<c>AWS::IAM::Role</c>), Name and Address = logical id, Body = its Properties.</item>
/// </list>
/// Intrinsic functions are not evaluated: <c>Ref</c> and <c>Fn::GetAtt</c> of a resource become an
/// <see cref="UnknownNode"/> whose <see cref="UnknownNode.Ref"/> names it (<c>ExecRole</c>, <c>ExecRole.Arn</c>),
/// resolved with <see cref="DeploymentModel.ResolveRef"/>; a <c>Fn::Sub</c> without variables is its text, and one
/// around a single resource reference keeps the text around it; everything else (parameters, pseudo parameters,
/// other functions) is unknown: never a match, never a violation.
/// </summary>
public static class CloudFormationClassifier
{
    public const string TaskDefinitionType = "AWS::ECS::TaskDefinition";

    /// <summary>Maps whose keys are user data (labels, driver options), not CloudFormation property names.</summary>
    private static readonly HashSet<string> FreeFormKeys = new(StringComparer.Ordinal) { "DockerLabels", "Options", "Labels", "DriverOpts" };

    /// <summary>True for a template: a Resources map whose entries each have a Type such as AWS::S3::Bucket.</summary>
    public static bool IsTemplate(MapNode root)
    {
        if (root.GetMap("Resources") is not { Entries.Count: > 0 } resources) return false;
        var typed = 0;
        foreach (var e in resources.Entries)
        {
            if (e.Value is not MapNode m || m.GetString("Type") is not { } type || !type.Contains("::", StringComparison.Ordinal)) return false;
            if (type.StartsWith("AWS::", StringComparison.Ordinal)) typed++;
        }
        return typed > 0 || root["AWSTemplateFormatVersion"] != null;
    }

    public static IEnumerable<Resource> Classify(MapNode root, string file)
    {
        var resources = root.GetMap("Resources")!;
        var logicalIds = resources.Entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var e in resources.Entries)
        {
            var id = e.Name;
            var definition = (MapNode)e.Value;
            var type = definition.GetString("Type")!;
            // Converted once: task definitions camelCased to the API's names. Properties written as an intrinsic (!If,
            // !Ref) convert to an unknown: a task definition is then skipped, another resource has no known properties.
            var isTaskDefinition = type == TaskDefinitionType;
            var converted = definition.GetMap("Properties") is { } p ? Convert(p, logicalIds, camel: isTaskDefinition) : null;
            var properties = converted as MapNode ?? new MapNode { Span = definition.Span };
            if (isTaskDefinition)
            {
                if (converted is not (null or MapNode)) continue;
                yield return new Resource
                {
                    Family = ResourceFamily.EcsTaskDefinition, Kind = "TaskDefinition",
                    Name = properties.GetString("family") ?? id, Body = properties, File = file, Address = id, Scope = file,
                };
                continue;
            }
            yield return new Resource { Family = ResourceFamily.CloudFormation, Kind = type, Name = id, Body = properties, File = file, Address = id, Scope = file };
        }
    }

    private static Node Convert(Node node, HashSet<string> ids, bool camel, bool freeForm = false)
    {
        switch (node)
        {
            case MapNode map:
            {
                if (map.Entries.Count == 1 && map.Entries[0].Name is { } k && (k == "Ref" || k.StartsWith("Fn::", StringComparison.Ordinal)))
                    return ResolveIntrinsic(k, map.Entries[0].Value, ids, map.Span);
                var copy = new MapNode { Span = map.Span };
                foreach (var e in map.Entries)
                {
                    var key = e.Name;
                    var name = camel && !freeForm ? Camel(key) : key;
                    copy.Add(new ScalarNode { Value = name, Kind = e.KeyKind, Span = e.KeySpan },
                        Convert(e.Value, ids, camel, freeForm: FreeFormKeys.Contains(key)));
                }
                return copy;
            }
            case SeqNode seq:
            {
                var copy = new SeqNode { Span = seq.Span };
                foreach (var i in seq.Items) copy.Add(Convert(i, ids, camel));
                return copy;
            }
            case ScalarNode s:
                return new ScalarNode { Value = s.Value, Kind = s.Kind, Span = s.Span };
            default:
                return node;
        }
    }

    private static Node ResolveIntrinsic(string function, Node argument, HashSet<string> ids, SourceSpan span)
    {
        switch (function)
        {
            case "Ref" when argument is ScalarNode { Value: { } target }:
                return ids.Contains(target)
                    ? new UnknownNode { Reason = $"Ref {target}: known once the stack creates it", Ref = target, Scope = ScopeOf(span), Span = span }
                    : new UnknownNode { Reason = target.StartsWith("AWS::", StringComparison.Ordinal) ? $"pseudo parameter {target}" : $"parameter {target}: given when the stack is deployed", Span = span };
            case "Fn::GetAtt" when GetAttTarget(argument) is { } getAtt:
                return ids.Contains(getAtt[..getAtt.IndexOf('.')])
                    ? new UnknownNode { Reason = $"Fn::GetAtt {getAtt}: known once the stack creates it", Ref = getAtt, Scope = ScopeOf(span), Span = span }
                    : new UnknownNode { Reason = $"Fn::GetAtt {getAtt}", Span = span };
            case "Fn::Sub":
                return Sub(argument, ids, span);
            default:
                return new UnknownNode { Reason = $"CloudFormation {function} is not evaluated", Span = span };
        }
    }

    /// <summary>"X.Arn" or ["X", "Arn"] as "X.Arn".</summary>
    private static string? GetAttTarget(Node argument) => argument switch
    {
        ScalarNode { Value: { } v } when v.Contains('.') => v,
        SeqNode { Items: [ScalarNode { Value: { } a }, ScalarNode { Value: { } b }] } => $"{a}.{b}",
        _ => null,
    };

    /// <summary>
    /// Fn::Sub: its text when it has no variables (<c>${!Literal}</c> is a literal <c>${Literal}</c>); an unknown
    /// that keeps the text around a single resource reference; otherwise unknown.
    /// </summary>
    private static Node Sub(Node argument, HashSet<string> ids, SourceSpan span)
    {
        if (argument is not ScalarNode { Value: { } text })
            return new UnknownNode { Reason = "Fn::Sub with a variable map is not evaluated", Span = span };
        var before = new StringBuilder();
        var after = new StringBuilder();
        string? reference = null;
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0) { (reference == null ? before : after).Append(text, i, text.Length - i); break; }
            (reference == null ? before : after).Append(text, i, start - i);
            var end = text.IndexOf('}', start + 2);
            if (end < 0) { (reference == null ? before : after).Append(text, start, text.Length - start); break; }
            var name = text[(start + 2)..end];
            if (name.StartsWith('!')) (reference == null ? before : after).Append("${").Append(name[1..]).Append('}');
            else
            {
                var target = name.Contains('.') ? name[..name.IndexOf('.')] : name;
                if (reference != null || !ids.Contains(target))
                    return new UnknownNode { Reason = $"Fn::Sub uses ${{{name}}}, known when the stack is deployed", Span = span };
                reference = name;
            }
            i = end + 1;
        }
        return reference == null
            ? new ScalarNode { Value = before.ToString(), Kind = ScalarKind.Quoted, Span = argument.Span }
            : new UnknownNode { Reason = $"Fn::Sub around {reference}", Ref = reference, Scope = ScopeOf(span), RefPrefix = before.ToString(), RefSuffix = after.ToString(), Span = span };
    }

    /// <summary>Logical ids are unique per template: the template file is the scope.</summary>
    private static string ScopeOf(SourceSpan span) => span.File;

    /// <summary>PascalCase CloudFormation property names to the API's camelCase (ExecutionRoleArn -> executionRoleArn).</summary>
    private static string Camel(string key) =>
        key.Length > 0 && char.IsUpper(key[0]) ? char.ToLowerInvariant(key[0]) + key[1..] : key;
}
