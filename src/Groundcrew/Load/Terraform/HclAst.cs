using Groundcrew.Core;

namespace Groundcrew.Load.Terraform;

/// <summary>Any node of an HCL2 syntax tree. Every node carries the span of the source text it came from.</summary>
public abstract class HclNode
{
    public required SourceSpan Span { get; init; }
}

/// <summary>A file or a block body: attributes and nested blocks, in source order.</summary>
public sealed class HclBody : HclNode
{
    public List<HclAttribute> Attributes { get; init; } = new();
    public List<HclBlock> Blocks { get; init; } = new();

    public HclAttribute? Attribute(string name)
    {
        foreach (var a in Attributes) if (a.Name == name) return a;
        return null;
    }

    public IEnumerable<HclBlock> BlocksOfType(string type) => Blocks.Where(b => b.Type == type);
}

/// <summary><c>name = expression</c>.</summary>
public sealed class HclAttribute : HclNode
{
    public required string Name { get; init; }
    public required SourceSpan NameSpan { get; init; }
    public required HclExpr Expression { get; init; }
}

/// <summary><c>type "label" ... { body }</c>.</summary>
public sealed class HclBlock : HclNode
{
    public required string Type { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>The span of each label, in the order of <see cref="Labels"/>.</summary>
    public IReadOnlyList<SourceSpan> LabelSpans { get; init; } = [];
    public required HclBody Body { get; init; }
}

public abstract class HclExpr : HclNode;

public enum HclLiteralKind { Null, Bool, Number, String }

/// <summary>A number, bool or null literal (strings are templates).</summary>
public sealed class HclLiteral : HclExpr
{
    public required HclLiteralKind Kind { get; init; }
    /// <summary>The source text for numbers, "true"/"false" for bools.</summary>
    public string Text { get; init; } = "";
    public bool BoolValue => Text == "true";
}

/// <summary>A quoted string or a heredoc, made of literal text, interpolations and directives.</summary>
public sealed class HclTemplate : HclExpr
{
    public required IReadOnlyList<HclTemplatePart> Parts { get; init; }
    public bool IsHeredoc { get; init; }

    /// <summary>The text when the template has no interpolation or directive.</summary>
    /// <remarks>Computed once, on first use (the parser has finished with the parts by then): rules and the evaluator ask often.</remarks>
    public string? LiteralValue
    {
        get
        {
            if (!Volatile.Read(ref _literalKnown))
            {
                _literal = Parts.Count == 0 ? "" : Parts.All(p => p is HclTemplateLiteral) ? string.Concat(Parts.Cast<HclTemplateLiteral>().Select(p => p.Text)) : null;
                Volatile.Write(ref _literalKnown, true);
            }
            return _literal;
        }
    }

    private string? _literal;
    private bool _literalKnown;
}

public abstract class HclTemplatePart : HclNode;

public sealed class HclTemplateLiteral : HclTemplatePart
{
    public required string Text { get; set; }
    /// <summary>For heredocs: the chunk starts at the beginning of a line (used by <c>&lt;&lt;-</c> flushing).</summary>
    internal bool AtLineStart { get; init; }
}

public sealed class HclTemplateInterpolation : HclTemplatePart
{
    public required HclExpr Expression { get; init; }
}

public sealed class HclTemplateIf : HclTemplatePart
{
    public required HclExpr Condition { get; init; }
    public required IReadOnlyList<HclTemplatePart> Then { get; init; }
    public required IReadOnlyList<HclTemplatePart> Else { get; init; }
}

public sealed class HclTemplateFor : HclTemplatePart
{
    public string? KeyVar { get; init; }
    public required string ValueVar { get; init; }
    public required HclExpr Collection { get; init; }
    public required IReadOnlyList<HclTemplatePart> Body { get; init; }
}

public sealed class HclTuple : HclExpr
{
    public required IReadOnlyList<HclExpr> Items { get; init; }
}

public sealed class HclObjectItem
{
    public required HclExpr Key { get; init; }
    /// <summary>The key was a bare identifier (<c>{ name = 1 }</c>): it is the literal string, not a variable.</summary>
    public bool KeyIsIdentifier { get; init; }
    public required HclExpr Value { get; init; }
}

public sealed class HclObject : HclExpr
{
    public required IReadOnlyList<HclObjectItem> Items { get; init; }
}

/// <summary>A root name: <c>var</c>, <c>local</c>, <c>aws_iam_role</c>, <c>each</c>, a for-expression variable...</summary>
public sealed class HclVariable : HclExpr
{
    public required string Name { get; init; }
}

/// <summary><c>source.name</c>.</summary>
public sealed class HclGetAttr : HclExpr
{
    public required HclExpr Source { get; init; }
    public required string Name { get; init; }
}

/// <summary><c>source[key]</c> (and the legacy <c>source.0</c>).</summary>
public sealed class HclIndex : HclExpr
{
    public required HclExpr Source { get; init; }
    public required HclExpr Key { get; init; }
}

/// <summary>The element placeholder inside a splat's <see cref="HclSplat.Each"/>.</summary>
public sealed class HclSplatItem : HclExpr;

/// <summary><c>source.*.a</c> (attribute-only splat) or <c>source[*].a[0]</c> (full splat).</summary>
public sealed class HclSplat : HclExpr
{
    public required HclExpr Source { get; init; }
    /// <summary>The traversal applied to every element, rooted at an <see cref="HclSplatItem"/>.</summary>
    public required HclExpr Each { get; init; }
    public bool Full { get; init; }
}

public sealed class HclFunctionCall : HclExpr
{
    public required string Name { get; init; }
    public required IReadOnlyList<HclExpr> Arguments { get; init; }
    /// <summary>The last argument was followed by <c>...</c>.</summary>
    public bool ExpandFinal { get; init; }
}

public sealed class HclConditional : HclExpr
{
    public required HclExpr Condition { get; init; }
    public required HclExpr True { get; init; }
    public required HclExpr False { get; init; }
}

public sealed class HclUnary : HclExpr
{
    public required string Operator { get; init; }
    public required HclExpr Operand { get; init; }
}

public sealed class HclBinary : HclExpr
{
    public required string Operator { get; init; }
    public required HclExpr Left { get; init; }
    public required HclExpr Right { get; init; }
}

public sealed class HclParens : HclExpr
{
    public required HclExpr Inner { get; init; }
}

/// <summary><c>[for k, v in coll : value if cond]</c> or <c>{for k, v in coll : key => value... if cond}</c>.</summary>
public sealed class HclFor : HclExpr
{
    public string? KeyVar { get; init; }
    public required string ValueVar { get; init; }
    public required HclExpr Collection { get; init; }
    public HclExpr? KeyExpr { get; init; }
    public required HclExpr ValueExpr { get; init; }
    public HclExpr? Condition { get; init; }
    public bool Grouping { get; init; }
    public bool IsObject => KeyExpr != null;
}

/// <summary>A syntax error with its position. The parser never throws anything else.</summary>
public sealed class HclParseException(string message, string file, int line, int column) : Exception(message)
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
