using Groundcrew.Core;

namespace Groundcrew.Load.Terraform;

/// <summary>
/// Terraform's JSON syntax (<c>.tf.json</c>, <c>.tfvars.json</c>) converted into the same <see cref="HclBody"/> tree
/// the native parser builds, so the module index and the evaluator run unchanged
/// (https://developer.hashicorp.com/terraform/language/syntax/json).
/// <list type="bullet">
/// <item>Top-level keys are block types; their labels are nested object keys (<c>resource.TYPE.NAME</c>,
/// <c>module.NAME</c>, <c>variable.NAME</c>...), and a body may be an array of bodies (several blocks).</item>
/// <item>Strings are templates: <c>"${var.x}"</c> is parsed as HCL (and is <c>var.x</c> itself, whatever its type).
/// Numbers, bools, null, arrays and objects are the matching expressions.</item>
/// <item>Without provider schemas, a key holding an array of objects, or an object under a known nested block name
/// (<c>lifecycle</c>, <c>statement</c>, <c>dynamic</c>...), is read as nested blocks; any other value is an attribute. Both
/// evaluate to the same list of objects where it matters.</item>
/// <item>Values that are not templates in Terraform stay literal: a variable's <c>default</c>, a module's
/// <c>source</c>/<c>version</c>, every value of a <c>.tfvars.json</c> file; <c>type</c>, <c>depends_on</c>,
/// <c>provider</c>, <c>ignore_changes</c> hold expressions written as strings.</item>
/// <item>The <c>"//"</c> key is a comment in a block body.</item>
/// </list>
/// Every node's span is the JSON token's line (templates: the position inside the string).
/// </summary>
public static class HclJsonSyntax
{
    private static readonly Dictionary<string, int> TopLabels = new(StringComparer.Ordinal)
    {
        ["resource"] = 2, ["data"] = 2, ["ephemeral"] = 2, ["module"] = 1, ["variable"] = 1, ["output"] = 1, ["provider"] = 1,
        ["check"] = 1, ["terraform"] = 0, ["moved"] = 0, ["import"] = 0, ["removed"] = 0,
    };

    /// <summary>Nested block types that are often written as one object (not an array): read as blocks.</summary>
    private static readonly Dictionary<string, int> NestedBlocks = new(StringComparer.Ordinal)
    {
        ["lifecycle"] = 0, ["connection"] = 0, ["provisioner"] = 1, ["dynamic"] = 1, ["content"] = 0, ["statement"] = 0,
        ["principals"] = 0, ["not_principals"] = 0, ["condition"] = 0, ["validation"] = 0, ["precondition"] = 0,
        ["postcondition"] = 0, ["timeouts"] = 0, ["backend"] = 1, ["cloud"] = 0, ["assert"] = 0,
    };

    /// <summary>Parse a .tf.json (or, with <paramref name="varFile"/>, a .tfvars.json) file; the error has a line and column.</summary>
    public static (HclBody? Body, HclParseException? Error) TryParseFile(string text, string file, bool varFile = false)
    {
        var loaded = JsonTreeLoader.Load(text, file);
        if (loaded.Error is { } e) return (null, new HclParseException(e.Message, file, e.Line, e.Column));
        if (loaded.Documents.Count != 1 || loaded.Documents[0].Root is not MapNode root)
            return (null, new HclParseException("a Terraform JSON file must hold a single JSON object", file, 1, 1));
        try
        {
            return (varFile ? VarFile(root) : TopBody(root), null);
        }
        catch (HclParseException ex) { return (null, ex); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Like the native parser: a syntax error with a position, never anything else.
            return (null, new HclParseException($"cannot read: {ex.Message}", file, 1, 1));
        }
    }

    /// <summary>The file name is Terraform's JSON syntax (.tf.json, .tfvars.json).</summary>
    public static bool IsJsonFile(string path) =>
        path.EndsWith(".tf.json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tfvars.json", StringComparison.OrdinalIgnoreCase);

    private static HclBody VarFile(MapNode root)
    {
        var body = new HclBody { Span = root.Span };
        foreach (var (key, value) in Entries(root))
            body.Attributes.Add(new HclAttribute { Name = key.Value!, NameSpan = key.Span, Expression = Literal(value), Span = Join(key.Span, value.Span) });
        return body;
    }

    private static HclBody TopBody(MapNode root)
    {
        var body = new HclBody { Span = root.Span };
        foreach (var (key, value) in Entries(root))
        {
            var type = key.Value!;
            if (type == "//") continue;
            if (type == "locals")
            {
                foreach (var local in Bodies(value, type))
                {
                    var block = new HclBlock { Type = "locals", Labels = [], Body = new HclBody { Span = local.Span }, Span = Join(key.Span, local.Span) };
                    foreach (var (name, expr) in Entries(local))
                        if (name.Value != "//")
                            block.Body.Attributes.Add(new HclAttribute { Name = name.Value!, NameSpan = name.Span, Expression = Expr(expr), Span = Join(name.Span, expr.Span) });
                    body.Blocks.Add(block);
                }
                continue;
            }
            if (!TopLabels.TryGetValue(type, out var labels)) continue; // not a Terraform block type: Terraform itself would reject it
            AddBlocks(body, type, key.Span, labels, value, [], []);
        }
        return body;
    }

    private static void AddBlocks(HclBody target, string type, SourceSpan typeSpan, int labelsLeft, Node value, List<string> labels, List<SourceSpan> labelSpans)
    {
        if (labelsLeft > 0)
        {
            foreach (var level in Bodies(value, type))
                foreach (var (label, inner) in Entries(level))
                {
                    if (label.Value == "//") continue;
                    AddBlocks(target, type, typeSpan, labelsLeft - 1, inner, [.. labels, label.Value!], [.. labelSpans, label.Span]);
                }
            return;
        }
        foreach (var b in Bodies(value, type))
            target.Blocks.Add(new HclBlock
            {
                Type = type, Labels = labels, LabelSpans = labelSpans, Body = Body(b, type),
                Span = labelSpans.Count > 0 ? Join(labelSpans[^1], b.Span) : Join(typeSpan, b.Span),
            });
    }

    /// <summary>A block body: one object, or an array of objects for several blocks of the same type.</summary>
    private static IEnumerable<MapNode> Bodies(Node value, string type)
    {
        if (value is MapNode m) return [m];
        if (value is SeqNode s && s.Items.All(i => i is MapNode)) return s.Items.Cast<MapNode>();
        throw new HclParseException($"a {type} block must be a JSON object (or an array of objects)", value.Span.File, value.Span.StartLine, value.Span.StartColumn);
    }

    private static HclBody Body(MapNode map, string blockType)
    {
        var body = new HclBody { Span = map.Span };
        foreach (var (key, value) in Entries(map))
        {
            var name = key.Value!;
            if (name == "//") continue;
            HclExpr? expr = null;
            switch (blockType, name)
            {
                case ("variable", "default"):
                case ("module", "source" or "version"):
                    expr = Literal(value);
                    break;
                case ("variable", "type"):
                case (_, "provider"):
                    if (value is ScalarNode { Kind: ScalarKind.Quoted, Value: { } t }) expr = Parse(t, value.Span);
                    break;
                case (_, "depends_on" or "ignore_changes" or "replace_triggered_by"):
                    if (value is SeqNode refs) expr = new HclTuple { Items = refs.Items.Select(ReferenceOrExpr).ToList(), Span = value.Span };
                    else if (value is ScalarNode { Kind: ScalarKind.Quoted, Value: { } all }) expr = Parse(all, value.Span); // ignore_changes = "all"
                    break;
                case ("module", "providers"):
                    if (value is MapNode providers)
                        expr = new HclObject
                        {
                            Items = Entries(providers).Select(p => new HclObjectItem
                            {
                                Key = new HclVariable { Name = p.Key.Value!, Span = p.Key.Span }, KeyIsIdentifier = true, Value = ReferenceOrExpr(p.Value),
                            }).ToList(),
                            Span = value.Span,
                        };
                    break;
                case ("dynamic", "iterator"):
                    if (value is ScalarNode { Value: { } it }) expr = new HclVariable { Name = it, Span = value.Span };
                    break;
            }
            if (expr == null && blockType is not ("module" or "variable" or "output") && IsBlock(name, value, out var labels))
            {
                AddBlocks(body, name, key.Span, labels, value, [], []);
                continue;
            }
            expr ??= Expr(value);
            body.Attributes.Add(new HclAttribute { Name = name, NameSpan = key.Span, Expression = expr, Span = Join(key.Span, value.Span) });
        }
        return body;
    }

    private static bool IsBlock(string name, Node value, out int labels)
    {
        if (NestedBlocks.TryGetValue(name, out labels)) return value is MapNode || value is SeqNode { Items.Count: > 0 } s && s.Items.All(i => i is MapNode);
        labels = 0;
        return value is SeqNode { Items.Count: > 0 } seq && seq.Items.All(i => i is MapNode);
    }

    private static HclExpr ReferenceOrExpr(Node n) => n is ScalarNode { Kind: ScalarKind.Quoted, Value: { } s } && !s.Contains("${", StringComparison.Ordinal) ? Parse(s, n.Span) : Expr(n);

    private static HclExpr Parse(string text, SourceSpan at) => HclParser.ParseExpression(text, at.File, at.StartLine, at.StartColumn + 1);

    /// <summary>A JSON value as an expression: strings are templates.</summary>
    private static HclExpr Expr(Node node) => node switch
    {
        ScalarNode { Kind: ScalarKind.Quoted } s => Template(s.Value ?? "", s.Span),
        ScalarNode s => Scalar(s),
        SeqNode seq => new HclTuple { Items = seq.Items.Select(Expr).ToList(), Span = seq.Span },
        MapNode map => new HclObject
        {
            Items = Entries(map).Select(e => e.Key.Value!.Contains("${", StringComparison.Ordinal) || e.Key.Value.Contains("%{", StringComparison.Ordinal)
                ? new HclObjectItem { Key = Template(e.Key.Value, e.Key.Span), Value = Expr(e.Value) }
                : new HclObjectItem { Key = new HclTemplate { Parts = [new HclTemplateLiteral { Text = e.Key.Value, Span = e.Key.Span }], Span = e.Key.Span }, Value = Expr(e.Value) }).ToList(),
            Span = map.Span,
        },
        _ => new HclLiteral { Kind = HclLiteralKind.Null, Span = node.Span },
    };

    /// <summary>A JSON value taken as it is (strings are not templates).</summary>
    private static HclExpr Literal(Node node) => node switch
    {
        ScalarNode { Kind: ScalarKind.Quoted } s => LiteralString(s.Value ?? "", s.Span),
        ScalarNode s => Scalar(s),
        SeqNode seq => new HclTuple { Items = seq.Items.Select(Literal).ToList(), Span = seq.Span },
        MapNode map => new HclObject
        {
            Items = Entries(map).Select(e => new HclObjectItem { Key = LiteralString(e.Key.Value!, e.Key.Span), Value = Literal(e.Value) }).ToList(),
            Span = map.Span,
        },
        _ => new HclLiteral { Kind = HclLiteralKind.Null, Span = node.Span },
    };

    private static HclTemplate LiteralString(string text, SourceSpan span) =>
        new() { Parts = text.Length == 0 ? [] : [new HclTemplateLiteral { Text = text, Span = span }], Span = span };

    private static HclExpr Scalar(ScalarNode s) => s.Value switch
    {
        null => new HclLiteral { Kind = HclLiteralKind.Null, Span = s.Span },
        "true" or "false" => new HclLiteral { Kind = HclLiteralKind.Bool, Text = s.Value, Span = s.Span },
        _ => new HclLiteral { Kind = HclLiteralKind.Number, Text = s.Value, Span = s.Span },
    };

    private static HclTemplate Template(string text, SourceSpan span)
    {
        if (!text.Contains("${", StringComparison.Ordinal) && !text.Contains("%{", StringComparison.Ordinal)) return LiteralString(text, span);
        // The text starts after the opening quote. JSON escapes inside the string can shift columns, never lines.
        var parsed = HclParser.ParseTemplate(text, span.File, span.StartLine, span.StartColumn + 1);
        return new HclTemplate { Parts = parsed.Parts, Span = span };
    }

    private static IEnumerable<(ScalarNode Key, Node Value)> Entries(MapNode map) => map.Entries.Select(e => (e.Key, e.Value));

    private static SourceSpan Join(SourceSpan start, SourceSpan end) => start with { EndLine = Math.Max(end.EndLine, end.StartLine), EndColumn = end.EndColumn };
}
