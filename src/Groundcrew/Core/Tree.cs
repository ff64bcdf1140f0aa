using System.Text;

namespace Groundcrew.Core;

/// <summary>
/// The positioned value tree shared by every structured format (YAML, JSON, later HCL):
/// maps, sequences and scalars, each with its span. Loaders build it; rules read it and never touch a parser.
/// </summary>
public abstract class Node
{
    private static readonly SourceSpan NoSpan = SourceSpan.OfFile("");

    public SourceSpan Span { get; set; } = NoSpan;
    public Node? Parent { get; internal set; }

    // Where this node sits in its parent: the entry index in a map, the item index in a sequence.
    // One int instead of a key reference and an index keeps the millions of nodes of a large scan small.
    internal int Slot = -1;

    /// <summary>The key (for a map entry or a map key) under which this node sits in its parent map; null otherwise.</summary>
    public string? KeyInParent => Parent is MapNode m ? m.KeyAt(Slot, this) : null;

    /// <summary>The index of this node in its parent sequence; -1 when its parent is not a sequence.</summary>
    public int IndexInParent => Parent is SeqNode ? Slot : -1;

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
                {
                    var entries = m.Entries;
                    for (var i = entries.Count - 1; i >= 0; i--) stack.Push(entries[i].Value);
                    break;
                }
                case SeqNode s:
                {
                    var items = s.Items;
                    for (var i = items.Count - 1; i >= 0; i--) stack.Push(items[i]);
                    break;
                }
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

/// <summary>
/// One key and its value. The key's text, kind and span are kept inline (a scan holds millions of entries, and a node
/// per key doubled the objects the garbage collector had to promote); <see cref="Key"/> makes the key node on first use.
/// </summary>
public sealed class MapEntry
{
    private ScalarNode? _key;

    internal MapEntry(ScalarNode key, Node value)
    {
        _key = key;
        Name = key.Value ?? "";
        KeyKind = key.Kind;
        _keySpan = key.Span;
        Value = value;
    }

    internal MapEntry(string name, ScalarKind keyKind, SourceSpan keySpan, Node value)
    {
        Name = name;
        KeyKind = keyKind;
        _keySpan = keySpan;
        Value = value;
    }

    /// <summary>The key's text ("" for an empty key). Reading it never allocates, unlike <c>Key.Value</c> on first use.</summary>
    public string Name { get; }

    public ScalarKind KeyKind { get; }

    /// <summary>A plain empty, ~ or null key (YAML's null), which no schema field can match.</summary>
    public bool KeyIsNull => KeyKind == ScalarKind.Plain && Name is "" or "~" or "null" or "Null" or "NULL";

    private SourceSpan _keySpan;

    /// <summary>Where the key sits (loaders that map rendered output back to its source move it).</summary>
    public SourceSpan KeySpan
    {
        get => _key?.Span ?? _keySpan;
        set
        {
            _keySpan = value;
            if (_key != null) _key.Span = value;
        }
    }

    public Node Value { get; }

    /// <summary>The key as a node (for code that reports at the key or walks from it); made once, on first use.</summary>
    public ScalarNode Key
    {
        get
        {
            if (_key is { } key) return key;
            // Racing readers may each make one; the loser's copy is equal and simply dropped.
            key = new ScalarNode { Value = Name, Kind = KeyKind, Span = _keySpan };
            key.Parent = Value.Parent;
            key.Slot = Value.Slot;
            _key = key;
            return key;
        }
    }
}

public sealed class MapNode : Node
{
    // A plain array (not a List): one object less per map. Trimmed to its exact length once the map is
    // built, so that Entries hands the array itself out without copying or boxing.
    private MapEntry[] _entries = [];
    private int _count;
    private Dictionary<string, MapEntry>? _index;

    public IReadOnlyList<MapEntry> Entries
    {
        get
        {
            var entries = _entries;
            if (entries.Length != _count)
            {
                // Rules read trees from several threads: a racing trim makes an equal copy, which is harmless.
                entries = entries[.._count];
                _entries = entries;
            }
            return entries;
        }
    }

    public void Add(ScalarNode key, Node value)
    {
        key.Parent = this;
        key.Slot = _count;
        Append(new MapEntry(key, value));
    }

    /// <summary>Add an entry whose key has no node of its own yet (the fast loaders' path: one object per entry).</summary>
    public void Add(string key, ScalarKind keyKind, SourceSpan keySpan, Node value) => Append(new MapEntry(key, keyKind, keySpan, value));

    private void Append(MapEntry entry)
    {
        var value = entry.Value;
        value.Parent = this;
        value.Slot = _count;
        if (_count == _entries.Length) Array.Resize(ref _entries, Math.Max(4, _count * 2));
        _entries[_count++] = entry;
        if (_index != null) _index[entry.Name] = entry;
    }

    /// <summary>Drop unused capacity once the map is complete (loaders call it; Entries does it on first use anyway).</summary>
    internal void Trim()
    {
        if (_entries.Length != _count) _entries = _entries[.._count];
    }

    internal string? KeyAt(int slot, Node child)
    {
        if ((uint)slot >= (uint)_count) return null;
        var e = _entries[slot];
        return ReferenceEquals(e.Value, child) || child is ScalarNode && ReferenceEquals(e.Key, child) ? e.Name : null;
    }

    public Node? this[string key] => Entry(key)?.Value;

    public MapEntry? Entry(string key)
    {
        var entries = _entries;
        var count = Math.Min(_count, entries.Length);
        if (count <= 8)
        {
            // Small maps are the common case: a linear scan beats building a dictionary.
            for (var i = count - 1; i >= 0; i--)
                if (entries[i].Name == key) return entries[i];
            return null;
        }
        var index = _index;
        if (index == null)
        {
            // Built completely before it is published: rules on other threads never see a half-filled index.
            index = new Dictionary<string, MapEntry>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++) index[entries[i].Name] = entries[i];
            _index = index;
        }
        return index.GetValueOrDefault(key);
    }

    public string? GetString(string key) => (this[key] as ScalarNode)?.Value;
    public MapNode? GetMap(string key) => this[key] as MapNode;
    public SeqNode? GetSeq(string key) => this[key] as SeqNode;
}

public sealed class SeqNode : Node
{
    private Node[] _items = [];
    private int _count;

    public IReadOnlyList<Node> Items
    {
        get
        {
            var items = _items;
            if (items.Length != _count)
            {
                items = items[.._count];
                _items = items;
            }
            return items;
        }
    }

    public void Add(Node item)
    {
        item.Parent = this;
        item.Slot = _count;
        if (_count == _items.Length) Array.Resize(ref _items, Math.Max(4, _count * 2));
        _items[_count++] = item;
    }

    /// <summary>Drop unused capacity once the sequence is complete.</summary>
    internal void Trim()
    {
        if (_items.Length != _count) _items = _items[.._count];
    }

    public IEnumerable<MapNode> Maps => Items.OfType<MapNode>();
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
