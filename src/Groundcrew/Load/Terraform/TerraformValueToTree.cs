using System.Text;
using Groundcrew.Core;

namespace Groundcrew.Load.Terraform;

/// <summary>
/// A value Terraform only knows at plan or apply time. It sits in the positioned tree where the value would
/// be, so a rule sees the key as present but the value as neither a scalar, a map nor a list: never a match,
/// never a violation.
/// </summary>
public sealed class UnknownNode : Node
{
    public required string Reason { get; init; }
    /// <summary>
    /// The reference the value stands for when it was read from a resource, e.g. <c>aws_iam_role.execution.arn</c>
    /// (module-prefixed); resolve it with <see cref="Model.DeploymentModel.ResolveRef(UnknownNode)"/>.
    /// </summary>
    public string? Ref { get; init; }
    /// <summary>Known text before and after the reference (<c>"${aws_secretsmanager_secret.db.arn}:host::"</c> has suffix <c>:host::</c>).</summary>
    public string? RefPrefix { get; init; }
    public string? RefSuffix { get; init; }
    /// <summary>Where <see cref="Ref"/> is unique: the Terraform root module directory, or the CloudFormation template file.</summary>
    public string? Scope { get; init; }
    public override string ToString() => Ref == null ? $"(unknown: {Reason})" : $"(unknown: {RefPrefix}${{{Ref}}}{RefSuffix})";
}

/// <summary>
/// Converts evaluated Terraform values into the shared positioned tree (<see cref="MapNode"/>,
/// <see cref="SeqNode"/>, <see cref="ScalarNode"/>), each node's span pointing at the HCL expression that
/// produced the value, so rules written for JSON and YAML run unchanged on Terraform.
/// </summary>
public static class TerraformValueToTree
{
    /// <summary>
    /// Attributes that hold an IAM policy as a JSON string (assume_role_policy, policy of aws_iam_policy,
    /// aws_iam_role_policy, inline_policy, queue/bucket/secret/key policies): converted to the policy's structure so
    /// every statement keeps its own line and references inside it (<c>aws_sqs_queue.x.arn</c>) stay visible.
    /// </summary>
    private static readonly HashSet<string> PolicyAttributes = new(StringComparer.Ordinal) { "policy", "assume_role_policy" };

    /// <summary>
    /// Attributes whose jsonencode() structure rules need even when some values are computed: <c>secret_string</c>
    /// of aws_secretsmanager_secret_version (its keys are the secret's keys). A literal string stays a string.
    /// </summary>
    private static readonly HashSet<string> EncodedJsonAttributes = new(StringComparer.Ordinal) { "secret_string" };

    public static Node Convert(TfValue value, SourceSpan fallback) => Convert(value, fallback, new List<MapNode.EntrySlot>());

    /// <param name="entries">
    /// A stack of map entries being built, shared down the recursion: a map's entries are pushed after each child is
    /// converted (the child's own entries are popped by then), so they end up side by side and go into the map in one
    /// exact-size step, without a key node per entry or an array grown by doubling (key nodes are made if a rule asks).
    /// </param>
    private static Node Convert(TfValue value, SourceSpan fallback, List<MapNode.EntrySlot> entries)
    {
        var span = value.Origin ?? fallback;
        switch (value.Kind)
        {
            case TfKind.Map:
            {
                var map = new MapNode { Span = span };
                var start = entries.Count;
                foreach (var (k, v) in value.Map)
                {
                    var child = (PolicyAttributes.Contains(k) && IsPolicyText(v)) || (EncodedJsonAttributes.Contains(k) && v.Encoded != null)
                        ? DecodeJson(v, span, entries) : Convert(v, span, entries);
                    entries.Add(new MapNode.EntrySlot { Name = k, KeyKind = ScalarKind.Quoted, KeySpan = child.Span, Value = child });
                }
                map.SetEntries(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries)[start..]);
                entries.RemoveRange(start, entries.Count - start);
                return map;
            }
            case TfKind.List:
            {
                var seq = new SeqNode { Span = span };
                foreach (var i in value.Items) seq.Add(Convert(i, span, entries));
                return seq;
            }
            case TfKind.String: return new ScalarNode { Value = value.Str, Kind = ScalarKind.Quoted, Span = span };
            case TfKind.Number: return new ScalarNode { Value = value.AsString(), Kind = ScalarKind.Plain, Span = span };
            case TfKind.Bool: return new ScalarNode { Value = value.Bool ? "true" : "false", Kind = ScalarKind.Plain, Span = span };
            case TfKind.Null: return new ScalarNode { Value = "null", Kind = ScalarKind.Plain, Span = span };
            default: return Unknown(value, span);
        }
    }

    private static bool IsPolicyText(TfValue v) =>
        v.Encoded != null || (v.Kind == TfKind.String && v.Str.TrimStart().StartsWith('{'));

    /// <summary>An unknown value as a tree node, keeping the reference it stands for.</summary>
    public static UnknownNode Unknown(TfValue value, SourceSpan span) => new()
    {
        Reason = value.Reason ?? "unknown", Span = span, Ref = value.Ref, Scope = value.Scope, RefPrefix = value.RefPrefix, RefSuffix = value.RefSuffix,
    };

    /// <summary>
    /// The structure inside a JSON string: the value given to jsonencode() (or a rendered policy document)
    /// with its HCL spans; otherwise the JSON text parsed with lines mapped to the heredoc or file it came from.
    /// An <see cref="UnknownNode"/> when the text is unknown or not JSON.
    /// </summary>
    public static Node DecodeJson(TfValue value, SourceSpan fallback) => DecodeJson(value, fallback, new List<MapNode.EntrySlot>());

    private static Node DecodeJson(TfValue value, SourceSpan fallback, List<MapNode.EntrySlot> entries)
    {
        var span = value.Origin ?? fallback;
        if (value.Encoded != null) return Convert(value.Encoded, span, entries);
        if (!value.IsKnown) return Unknown(value, span);
        if (value.Kind != TfKind.String) return Convert(value, span, entries);
        var start = value.TextStart;
        var loaded = JsonTreeLoader.Load(value.Str, start?.File ?? span.File);
        if (loaded.Error != null || loaded.Documents.Count != 1)
            return new UnknownNode { Reason = "the string is not a single JSON value", Span = span };
        var root = loaded.Documents[0].Root;
        foreach (var n in root.Descendants().Concat(root.Descendants().OfType<MapNode>().SelectMany(m => m.Entries.Select(e => (Node)e.Key))).ToList())
        {
            n.Span = start != null
                ? n.Span with { StartLine = n.Span.StartLine + start.Value.StartLine - 1, EndLine = n.Span.EndLine == 0 ? 0 : n.Span.EndLine + start.Value.StartLine - 1 }
                : span; // a quoted string or computed text: every node points at the expression
        }
        return root;
    }

    private static readonly Dictionary<string, string> EcsNames = new(StringComparer.Ordinal)
    {
        ["volume"] = "volumes",
        ["inference_accelerator"] = "inferenceAccelerators",
        ["placement_constraints"] = "placementConstraints",
    };

    /// <summary>Nested blocks the provider allows once: the API models them as an object, not a list.</summary>
    private static readonly HashSet<string> SingleBlocks = new(StringComparer.Ordinal)
    {
        "runtime_platform", "ephemeral_storage", "proxy_configuration", "efs_volume_configuration", "docker_volume_configuration",
        "authorization_config", "fsx_windows_file_server_volume_configuration", "configure_at_launch",
    };

    private static readonly HashSet<string> NotApiFields = new(StringComparer.Ordinal) { "tags", "tags_all", "skip_destroy", "track_latest", "arn", "arn_without_revision", "revision", "id" };

    /// <summary>
    /// An <c>aws_ecs_task_definition</c> instance (its evaluated body) as the RegisterTaskDefinition JSON shape:
    /// camelCase keys, <c>containerDefinitions</c> decoded from the jsonencode()/heredoc/file() string.
    /// </summary>
    public static MapNode EcsTaskDefinition(TfValue instance, SourceSpan blockSpan)
    {
        var map = new MapNode { Span = instance.Origin ?? blockSpan };
        if (instance.Kind != TfKind.Map) return map;
        foreach (var (key, value) in instance.Map)
        {
            if (NotApiFields.Contains(key)) continue;
            Node node = key == "container_definitions" ? DecodeJson(value, map.Span) : CamelTree(value, map.Span, key);
            var name = EcsNames.TryGetValue(key, out var renamed) ? renamed : Camel(key);
            map.Add(new ScalarNode { Value = name, Kind = ScalarKind.Quoted, Span = node.Span }, node);
        }
        return map;
    }

    private static Node CamelTree(TfValue value, SourceSpan fallback, string key)
    {
        if (SingleBlocks.Contains(key) && value.Kind == TfKind.List)
            return value.Items.Count > 0 ? CamelTree(value.Items[0], fallback, "") : new UnknownNode { Reason = "empty block", Span = value.Origin ?? fallback };
        var span = value.Origin ?? fallback;
        switch (value.Kind)
        {
            case TfKind.Map:
            {
                var map = new MapNode { Span = span };
                foreach (var (k, v) in value.Map)
                {
                    var child = CamelTree(v, span, k);
                    map.Add(new ScalarNode { Value = Camel(k), Kind = ScalarKind.Quoted, Span = child.Span }, child);
                }
                return map;
            }
            case TfKind.List:
            {
                var seq = new SeqNode { Span = span };
                foreach (var i in value.Items) seq.Add(CamelTree(i, span, ""));
                return seq;
            }
            default:
                return Convert(value, span);
        }
    }

    /// <summary>snake_case to camelCase (execution_role_arn -> executionRoleArn).</summary>
    public static string Camel(string snake)
    {
        if (!snake.Contains('_')) return snake;
        var sb = new StringBuilder(snake.Length);
        var upper = false;
        foreach (var c in snake)
        {
            if (c == '_') { upper = sb.Length > 0; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }
}
