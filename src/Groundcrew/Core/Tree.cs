using System.Text;

namespace Groundcrew.Core;

/// <summary>
/// The positioned value tree shared by every structured format (YAML, JSON, later HCL):
/// maps, sequences and scalars, each with its span. Loaders build it; rules read it and never touch a parser.
/// </summary>
public abstract class Node
{
    public SourceSpan Span { get; set; } = SourceSpan.OfFile("");
    public Node? Parent { get; internal set; }
    /// <summary>The key (for a map entry) or index (for a sequence item) under which this node sits in its parent.</summary>
    public string? KeyInParent { get; internal set; }
    public int IndexInParent { get; internal set; } = -1;

    /// <summary>A dotted path such as spec.template.spec.containers[0].image, for messages and position mapping.</summary>
    public string Path
    {
        get
        {
            var chain = new List<Node>();
            for (var n = this; n.Parent != null; n = n.Parent) chain.Add(n);
            var sb = new StringBuilder();
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                var n = chain[i];
                if (n.IndexInParent >= 0) sb.Append('[').Append(n.IndexInParent).Append(']');
                else { if (sb.Length > 0) sb.Append('.'); sb.Append(n.KeyInParent); }
            }
            return sb.ToString();
        }
    }

    public MapNode? AsMap => this as MapNode;
    public SeqNode? AsSeq => this as SeqNode;
    public ScalarNode? AsScalar => this as ScalarNode;

    /// <summary>Walk the tree depth-first, this node included.</summary>
    public IEnumerable<Node> Descendants()
    {
        var stack = new Stack<Node>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            switch (n)
            {
                case MapNode m:
                    for (var i = m.Entries.Count - 1; i >= 0; i--) stack.Push(m.Entries[i].Value);
                    break;
                case SeqNode s:
                    for (var i = s.Items.Count - 1; i >= 0; i--) stack.Push(s.Items[i]);
                    break;
            }
        }
    }

    /// <summary>Follow a dotted path of map keys ("spec.template.spec").</summary>
    public Node? At(string dottedPath)
    {
        Node? n = this;
        foreach (var key in dottedPath.Split('.'))
        {
            n = n is MapNode m ? m[key] : null;
            if (n == null) return null;
        }
        return n;
    }

    public string? StringAt(string dottedPath) => (At(dottedPath) as ScalarNode)?.Value;
}

public sealed class MapEntry(ScalarNode key, Node value)
{
    public ScalarNode Key { get; } = key;
    public Node Value { get; } = value;
}

public sealed class MapNode : Node
{
    private readonly List<MapEntry> _entries = new();
    private Dictionary<string, MapEntry>? _index;

    public IReadOnlyList<MapEntry> Entries => _entries;

    public void Add(ScalarNode key, Node value)
    {
        value.Parent = this;
        value.KeyInParent = key.Value ?? "";
        key.Parent = this;
        key.KeyInParent = key.Value ?? "";
        _entries.Add(new MapEntry(key, value));
        if (_index != null) _index[key.Value ?? ""] = _entries[^1];
    }

    public Node? this[string key] => Entry(key)?.Value;

    public MapEntry? Entry(string key)
    {
        if (_entries.Count <= 8)
        {
            // Small maps are the common case: a linear scan beats building a dictionary.
            for (var i = _entries.Count - 1; i >= 0; i--)
                if (_entries[i].Key.Value == key) return _entries[i];
            return null;
        }
        if (_index == null)
        {
            _index = new Dictionary<string, MapEntry>(_entries.Count);
            foreach (var e in _entries) _index[e.Key.Value ?? ""] = e;
        }
        return _index.GetValueOrDefault(key);
    }

    public string? GetString(string key) => (this[key] as ScalarNode)?.Value;
    public MapNode? GetMap(string key) => this[key] as MapNode;
    public SeqNode? GetSeq(string key) => this[key] as SeqNode;
}

public sealed class SeqNode : Node
{
    private readonly List<Node> _items = new();
    public IReadOnlyList<Node> Items => _items;

    public void Add(Node item)
    {
        item.Parent = this;
        item.IndexInParent = _items.Count;
        _items.Add(item);
    }

    public IEnumerable<MapNode> Maps => _items.OfType<MapNode>();
}

public enum ScalarKind
{
    /// <summary>A plain (unquoted) YAML scalar or a JSON literal: may be a number, bool or null.</summary>
    Plain,
    /// <summary>A quoted YAML scalar or a JSON string: always text.</summary>
    Quoted,
    /// <summary>A YAML block scalar (| or >).</summary>
    Block,
}

public sealed class ScalarNode : Node
{
    public string? Value { get; init; }
    public ScalarKind Kind { get; init; }

    public bool IsNull => Kind == ScalarKind.Plain && (Value is null or "" or "~" or "null" or "Null" or "NULL");

    public bool IsString => Kind != ScalarKind.Plain || (!IsNull && !IsBool && !long.TryParse(Value, out _) && !double.TryParse(Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));

    public bool IsBool => Kind == ScalarKind.Plain && Value is "true" or "false" or "True" or "False" or "TRUE" or "FALSE";

    public long? AsLong => Kind == ScalarKind.Plain && long.TryParse(Value, out var l) ? l : null;

    public override string ToString() => Value ?? "";
}
