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
/// One key and its value: a view of one slot of its map. The map keeps its entries in one array of structs (key text,
/// kind and span inline): a scan holds millions of entries, and an object per entry (and another per key node) was
/// most of what the garbage collector had to promote. <see cref="Key"/> makes the key node on first use.
/// </summary>
public readonly struct MapEntry
{
    private readonly MapNode _map;
    private readonly int _slot;

    internal MapEntry(MapNode map, int slot)
    {
        _map = map;
        _slot = slot;
    }

    /// <summary>The key's text ("" for an empty key). Reading it never allocates, unlike <c>Key.Value</c> on first use.</summary>
    public string Name => _map.SlotAt(_slot).Name;

    public ScalarKind KeyKind => _map.SlotAt(_slot).KeyKind;

    /// <summary>A plain empty, ~ or null key (YAML's null), which no schema field can match.</summary>
    public bool KeyIsNull => KeyKind == ScalarKind.Plain && Name is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Where the key sits.</summary>
    public SourceSpan KeySpan => _map.KeySpanAt(_slot);

    public Node Value => _map.SlotAt(_slot).Value;

    /// <summary>The key as a node (for code that reports at the key or walks from it); made once, on first use.</summary>
    public ScalarNode Key => _map.KeyNodeAt(_slot);

    /// <summary>Move the key (loaders that map rendered output back to its source do).</summary>
    public void MoveKey(SourceSpan span) => _map.MoveKey(_slot, span);

    public override string ToString() => $"{Name}: {Value}";
}

public sealed class MapNode : Node
{
    internal struct EntrySlot
    {
        public string Name;
        public ScalarKind KeyKind;
        public SourceSpan KeySpan;
        public Node Value;
    }

    // The entries are _slots[_start .. _start + _count). Maps the fast reader builds share 80 KB chunks (see SlotArena):
    // no array per map, so far fewer objects for the garbage collector to mark and promote.
    private EntrySlot[] _slots = [];
    private int _start;
    private int _count;
    private bool _sharedSlots; // _slots is a chunk other maps use too: copied out before this map grows
    private ScalarNode?[]? _keyNodes; // made when some code asks for a key as a node
    private Dictionary<string, int>? _index;

    /// <summary>The entries in document order (a duplicated key appears twice; lookups see the last).</summary>
    public EntryList Entries => new(this, _count);

    internal ref readonly EntrySlot SlotAt(int slot) => ref _slots[_start + slot];

    public void Add(ScalarNode key, Node value)
    {
        var slot = _count;
        Append(key.Value ?? "", key.Kind, key.Span, value);
        key.Parent = this;
        key.Slot = slot;
        KeyNodes()[slot] = key;
    }

    /// <summary>Add an entry whose key has no node of its own (the loaders' path: no object per key).</summary>
    public void Add(string key, ScalarKind keyKind, SourceSpan keySpan, Node value) => Append(key, keyKind, keySpan, value);

    private void Append(string name, ScalarKind keyKind, SourceSpan keySpan, Node value)
    {
        value.Parent = this;
        value.Slot = _count;
        if (_sharedSlots)
        {
            _slots = _slots.AsSpan(_start, _count).ToArray();
            _start = 0;
            _sharedSlots = false;
        }
        if (_count == _slots.Length) Array.Resize(ref _slots, Math.Max(2, _count * 2));
        if (_keyNodes != null && _keyNodes.Length <= _count) Array.Resize(ref _keyNodes, _slots.Length);
        _slots[_count] = new EntrySlot { Name = name, KeyKind = keyKind, KeySpan = keySpan, Value = value };
        _index?.Remove(name);
        _index?.Add(name, _count);
        _count++;
    }

    private ScalarNode?[] KeyNodes()
    {
        var nodes = _keyNodes;
        if (nodes != null && nodes.Length >= _count) return nodes;
        var made = new ScalarNode?[Math.Max(_count, 1)];
        if (nodes != null) Array.Copy(nodes, made, nodes.Length);
        // Rules read trees from several threads: the first array published wins.
        return Interlocked.CompareExchange(ref _keyNodes, made, nodes) == nodes ? made : _keyNodes!;
    }

    internal ScalarNode KeyNodeAt(int slot)
    {
        var nodes = KeyNodes();
        if (nodes[slot] is { } made) return made;
        ref readonly var s = ref SlotAt(slot);
        var key = new ScalarNode { Value = s.Name, Kind = s.KeyKind, Span = s.KeySpan, Parent = this };
        key.Slot = slot;
        return Interlocked.CompareExchange(ref nodes[slot], key, null) ?? key;
    }

    internal SourceSpan KeySpanAt(int slot) => _keyNodes?[slot]?.Span ?? SlotAt(slot).KeySpan;

    internal void MoveKey(int slot, SourceSpan span)
    {
        _slots[_start + slot].KeySpan = span;
        if (_keyNodes?[slot] is { } key) key.Span = span;
    }

    /// <summary>All the entries of a map built elsewhere (one exact-size array; the map must be empty).</summary>
    internal void SetEntries(ReadOnlySpan<EntrySlot> slots)
    {
        if (_count != 0) throw new InvalidOperationException("SetEntries on a map that has entries");
        (_slots, _start) = SlotArena.Place(slots);
        _sharedSlots = _slots.Length != slots.Length;
        _count = slots.Length;
        for (var i = 0; i < slots.Length; i++)
        {
            var value = slots[i].Value;
            value.Parent = this;
            value.Slot = i;
        }
    }

    /// <summary>Drop unused capacity once the map is complete.</summary>
    internal void Trim()
    {
        if (!_sharedSlots && _slots.Length != _count) _slots = _slots[.._count];
        if (_keyNodes != null && _keyNodes.Length != _count) _keyNodes = _keyNodes[.._count];
    }

    internal string? KeyAt(int slot, Node child)
    {
        if ((uint)slot >= (uint)_count) return null;
        ref readonly var s = ref SlotAt(slot);
        return ReferenceEquals(s.Value, child) || child is ScalarNode && ReferenceEquals(_keyNodes?[slot], child) ? s.Name : null;
    }

    public Node? this[string key] => Find(key) is var slot and >= 0 ? SlotAt(slot).Value : null;

    public MapEntry? Entry(string key) => Find(key) is var slot and >= 0 ? new MapEntry(this, slot) : null;

    /// <summary>The slot of the last entry with this key, or -1.</summary>
    private int Find(string key)
    {
        var slots = _slots.AsSpan(_start, _count);
        var count = slots.Length;
        if (count <= 8)
        {
            // Small maps are the common case: a linear scan beats building a dictionary.
            for (var i = count - 1; i >= 0; i--)
                if (slots[i].Name == key) return i;
            return -1;
        }
        var index = _index;
        if (index == null)
        {
            // Built completely before it is published: rules on other threads never see a half-filled index.
            index = new Dictionary<string, int>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++) index[slots[i].Name] = i;
            _index = index;
        }
        return index.GetValueOrDefault(key, -1);
    }

    public string? GetString(string key) => (this[key] as ScalarNode)?.Value;
    public MapNode? GetMap(string key) => this[key] as MapNode;
    public SeqNode? GetSeq(string key) => this[key] as SeqNode;

    /// <summary>
    /// Hands out room for the entries of maps from per-thread chunks of 1,700 slots: on a 50,000-object scan this
    /// removed 350,000 arrays (a quarter of the objects the garbage collector promoted). Chunks stay under the
    /// large-object threshold on purpose: on the large-object heap every young value written into an old chunk marks
    /// a card that each young collection scans, which measured slower. A chunk lives as long as any map placed in it.
    /// </summary>
    internal static class SlotArena
    {
        private const int ChunkSlots = 1_700; // 1,700 x 48 bytes: just under the 85,000-byte large-object threshold
        private const int OwnArrayAbove = 1_024; // big maps get an array of their own (no chunk space wasted)

        [ThreadStatic] private static EntrySlot[]? _chunk;
        [ThreadStatic] private static int _used;

        public static (EntrySlot[] Array, int Start) Place(ReadOnlySpan<EntrySlot> slots)
        {
            if (slots.Length == 0) return ([], 0);
            if (slots.Length > OwnArrayAbove) return (slots.ToArray(), 0);
            if (_chunk == null || _used + slots.Length > ChunkSlots)
            {
                _chunk = new EntrySlot[ChunkSlots];
                _used = 0;
            }
            var start = _used;
            slots.CopyTo(_chunk.AsSpan(start));
            _used += slots.Length;
            return (_chunk, start);
        }

        /// <summary>Where the next map would go: a reader that gives up on a file rolls back to it (see <see cref="Release"/>).</summary>
        public static (EntrySlot[]? Chunk, int Used) Mark() => (_chunk, _used);

        /// <summary>Forget the maps placed since <paramref name="mark"/> (their tree was dropped), so the chunk keeps nothing alive for them.</summary>
        public static void Release((EntrySlot[]? Chunk, int Used) mark)
        {
            if (ReferenceEquals(_chunk, mark.Chunk))
            {
                _chunk?.AsSpan(mark.Used, _used - mark.Used).Clear();
            }
            else
            {
                // New chunks were started since the mark: they hold only the dropped maps and go with them; the old
                // chunk's tail after the mark held only the dropped maps too.
                mark.Chunk?.AsSpan(mark.Used).Clear();
                _chunk = mark.Chunk;
            }
            _used = mark.Used;
        }
    }

    /// <summary>The entries of a map: a list that makes no copy, enumerated without allocating.</summary>
    public readonly struct EntryList(MapNode map, int count) : IReadOnlyList<MapEntry>
    {
        public int Count => count;

        public MapEntry this[int index] => (uint)index < (uint)count ? new MapEntry(map, index) : throw new ArgumentOutOfRangeException(nameof(index));

        public Enumerator GetEnumerator() => new(map, count);

        IEnumerator<MapEntry> IEnumerable<MapEntry>.GetEnumerator() => GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public struct Enumerator(MapNode map, int count) : IEnumerator<MapEntry>
        {
            private int _i = -1;

            public readonly MapEntry Current => new(map, _i);

            readonly object System.Collections.IEnumerator.Current => Current;

            public bool MoveNext() => ++_i < count;

            public void Reset() => _i = -1;

            public readonly void Dispose() { }
        }
    }
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

    /// <summary>All the items of a sequence built elsewhere (one exact-size array; the sequence must be empty).</summary>
    internal void SetItems(ReadOnlySpan<Node> items)
    {
        if (_count != 0) throw new InvalidOperationException("SetItems on a sequence that has items");
        _items = items.ToArray();
        _count = _items.Length;
        for (var i = 0; i < _items.Length; i++)
        {
            _items[i].Parent = this;
            _items[i].Slot = i;
        }
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
