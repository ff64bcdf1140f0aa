using System.Text;

namespace Groundcrew.Core;

/// <summary>
/// The positioned value tree shared by every structured format (YAML, JSON, later HCL):
/// maps, sequences and scalars, each with its span. Loaders build it; rules read it and never touch a parser.
/// </summary>
public abstract class Node
{
    // A node keeps its span in 8 bytes (see PackedSpan) and no file: the file is its parent's, and a node without a parent
    // holds its file in _up. On a 50,000-object scan this took 16 bytes off each of 1.7 million spans (nodes and keys),
    // about 27 MB of the trees. A span that does not pack, or whose file is not its parent's (Terraform values and
    // rendered output mapped back to their sources), is kept whole beside the parent in an OwnSpan.
    private object? _up; // the parent Node | string: the file of a node without a parent | OwnSpan
    private ulong _span = PackedSpan.NoSpan;

    private sealed class OwnSpan(Node? parent, SourceSpan span)
    {
        public readonly Node? Parent = parent;
        public readonly SourceSpan Span = span;
    }

    public SourceSpan Span
    {
        get => _up is OwnSpan own ? own.Span : PackedSpan.Unpack(_span, File);
        set
        {
            // The children that take their file from this node keep theirs when it changes.
            if (File != value.File) KeepChildSpans();
            Place(Parent, value);
        }
    }

    public Node? Parent
    {
        get => _up as Node ?? (_up as OwnSpan)?.Parent;
        internal set
        {
            // Moved under a new parent with its span unchanged; most nodes come from the parent's file, so nothing to allocate.
            if (_up is string file && value != null && file == value.File)
            {
                _up = value;
                return;
            }
            Place(value, Span);
        }
    }

    /// <summary>The file of this node's span, from the nearest node that holds one.</summary>
    private protected string File
    {
        get
        {
            for (var n = this; ;)
            {
                switch (n._up)
                {
                    case Node parent: n = parent; continue;
                    case OwnSpan own: return own.Span.File;
                    case string file: return file;
                    default: return "";
                }
            }
        }
    }

    private void Place(Node? parent, SourceSpan span)
    {
        if (PackedSpan.TryPack(span, out var packed) && (parent == null || parent.File == span.File))
        {
            _span = packed;
            _up = parent ?? (object)span.File;
        }
        else _up = new OwnSpan(parent, span);
    }

    /// <summary>Keep this node's span as it is now even if its parent's file changes (see <see cref="Span"/>).</summary>
    internal void KeepSpan()
    {
        if (_up is Node parent) _up = new OwnSpan(parent, Span);
    }

    private protected virtual void KeepChildSpans() { }

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
/// kind and packed span inline): a scan holds millions of entries, and an object per entry (and another per key node) was
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
    /// <summary>An entry as a reader hands it to <see cref="SetEntries"/>.</summary>
    internal struct EntrySlot
    {
        public string Name;
        public ScalarKind KeyKind;
        public SourceSpan KeySpan;
        public Node Value;
    }

    /// <summary>
    /// An entry as the map keeps it: 32 bytes. The key's span is packed and in the map's file; a key span that is not
    /// (see <see cref="Node.Span"/>) is kept by a key node instead, which then always exists (<see cref="KeySpanAt"/>).
    /// </summary>
    internal struct StoredEntry
    {
        public string Name;
        public Node Value;
        public ulong KeySpan;
        public ScalarKind KeyKind;
    }

    // The entries are _slots[_start .. _start + _count). Maps the fast reader builds share 80 KB chunks (see SlotArena):
    // no array per map, so far fewer objects for the garbage collector to mark and promote.
    private StoredEntry[] _slots = [];
    private int _start;
    private int _count;
    private bool _sharedSlots; // _slots is a chunk other maps use too: copied out before this map grows
    private Extras? _extras;

    // What few maps need, in one object made on first use, so that every other map is 8 bytes smaller.
    private sealed class Extras
    {
        public ScalarNode?[]? KeyNodes; // made when some code asks for a key as a node
        public Dictionary<string, int>? Index; // made on the first lookup in a map of more than 8 entries
    }

    // Rules read trees from several threads: the first object published wins.
    private Extras MadeExtras() => _extras ?? Interlocked.CompareExchange(ref _extras, new Extras(), null) ?? _extras;

    private ScalarNode?[]? MadeKeyNodes => _extras?.KeyNodes;

    /// <summary>The entries in document order (a duplicated key appears twice; lookups see the last).</summary>
    public EntryList Entries => new(this, _count);

    internal ref readonly StoredEntry SlotAt(int slot) => ref _slots[_start + slot];

    public void Add(ScalarNode key, Node value)
    {
        var slot = _count;
        Append(key.Value ?? "", key.Kind, key.Span, value);
        SetKeyNode(slot, key);
    }

    /// <summary>Add an entry whose key has no node of its own (the loaders' path: no object per key).</summary>
    public void Add(string key, ScalarKind keyKind, SourceSpan keySpan, Node value)
    {
        var slot = _count;
        if (!Append(key, keyKind, keySpan, value))
            SetKeyNode(slot, new ScalarNode { Value = key, Kind = keyKind, Span = keySpan });
    }

    private void SetKeyNode(int slot, ScalarNode key)
    {
        key.Parent = this;
        key.Slot = slot;
        KeyNodes()[slot] = key;
    }

    /// <summary>False when the key's span could not be packed into the entry (the caller then gives the key a node).</summary>
    private bool Append(string name, ScalarKind keyKind, SourceSpan keySpan, Node value)
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
        if (_extras is { KeyNodes: { } keyNodes } extras && keyNodes.Length <= _count) Array.Resize(ref extras.KeyNodes, _slots.Length);
        var packs = PackKey(keySpan, out var packed);
        _slots[_count] = new StoredEntry { Name = name, KeyKind = keyKind, KeySpan = packed, Value = value };
        _extras?.Index?.Remove(name);
        _extras?.Index?.Add(name, _count);
        _count++;
        return packs;
    }

    private bool PackKey(SourceSpan keySpan, out ulong packed) => PackedSpan.TryPack(keySpan, out packed) && keySpan.File == File;

    private ScalarNode?[] KeyNodes()
    {
        var nodes = MadeKeyNodes;
        if (nodes != null && nodes.Length >= _count) return nodes;
        var made = new ScalarNode?[Math.Max(_count, 1)];
        if (nodes != null) Array.Copy(nodes, made, nodes.Length);
        // Rules read trees from several threads: the first array published wins.
        var extras = MadeExtras();
        return Interlocked.CompareExchange(ref extras.KeyNodes, made, nodes) == nodes ? made : extras.KeyNodes!;
    }

    internal ScalarNode KeyNodeAt(int slot)
    {
        var nodes = KeyNodes();
        if (nodes[slot] is { } made) return made;
        ref readonly var s = ref SlotAt(slot);
        var key = new ScalarNode { Value = s.Name, Kind = s.KeyKind, Span = PackedSpan.Unpack(s.KeySpan, File), Parent = this };
        key.Slot = slot;
        return Interlocked.CompareExchange(ref nodes[slot], key, null) ?? key;
    }

    internal SourceSpan KeySpanAt(int slot) => MadeKeyNodes?[slot]?.Span ?? PackedSpan.Unpack(SlotAt(slot).KeySpan, File);

    internal void MoveKey(int slot, SourceSpan span)
    {
        if (MadeKeyNodes?[slot] is { } key) key.Span = span;
        else if (PackKey(span, out var packed)) _slots[_start + slot].KeySpan = packed;
        else KeyNodeAt(slot).Span = span;
    }

    private protected override void KeepChildSpans()
    {
        for (var i = 0; i < _count; i++)
        {
            SlotAt(i).Value.KeepSpan();
            KeyNodeAt(i).KeepSpan(); // a key's span in the entry is in the map's file: its node keeps it instead
        }
    }

    /// <summary>All the entries of a map built elsewhere (one exact-size array; the map must be empty).</summary>
    internal void SetEntries(ReadOnlySpan<EntrySlot> slots)
    {
        if (_count != 0) throw new InvalidOperationException("SetEntries on a map that has entries");
        (_slots, _start) = SlotArena.Place(slots.Length);
        _sharedSlots = _slots.Length != slots.Length;
        _count = slots.Length;
        var file = File;
        for (var i = 0; i < slots.Length; i++)
        {
            ref readonly var entry = ref slots[i];
            var packs = PackedSpan.TryPack(entry.KeySpan, out var packed) && entry.KeySpan.File == file;
            _slots[_start + i] = new StoredEntry { Name = entry.Name, KeyKind = entry.KeyKind, KeySpan = packed, Value = entry.Value };
            entry.Value.Parent = this;
            entry.Value.Slot = i;
            if (!packs) SetKeyNode(i, new ScalarNode { Value = entry.Name, Kind = entry.KeyKind, Span = entry.KeySpan });
        }
    }

    /// <summary>Drop unused capacity once the map is complete.</summary>
    internal void Trim()
    {
        if (!_sharedSlots && _slots.Length != _count) _slots = _slots[.._count];
        if (_extras is { KeyNodes: { } keyNodes } extras && keyNodes.Length != _count) extras.KeyNodes = keyNodes[.._count];
    }

    internal string? KeyAt(int slot, Node child)
    {
        if ((uint)slot >= (uint)_count) return null;
        ref readonly var s = ref SlotAt(slot);
        return ReferenceEquals(s.Value, child) || child is ScalarNode && ReferenceEquals(MadeKeyNodes?[slot], child) ? s.Name : null;
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
        var index = _extras?.Index;
        if (index == null)
        {
            // Built completely before it is published: rules on other threads never see a half-filled index.
            index = new Dictionary<string, int>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++) index[slots[i].Name] = i;
            MadeExtras().Index = index;
        }
        return index.GetValueOrDefault(key, -1);
    }

    public string? GetString(string key) => (this[key] as ScalarNode)?.Value;
    public MapNode? GetMap(string key) => this[key] as MapNode;
    public SeqNode? GetSeq(string key) => this[key] as SeqNode;

    /// <summary>
    /// Hands out room for the entries of maps from per-thread chunks of 2,650 slots: on a 50,000-object scan this
    /// removed 350,000 arrays (a quarter of the objects the garbage collector promoted). Chunks stay under the
    /// large-object threshold on purpose: on the large-object heap every young value written into an old chunk marks
    /// a card that each young collection scans, which measured slower. A chunk lives as long as any map placed in it.
    /// </summary>
    internal static class SlotArena
    {
        private const int ChunkSlots = 2_650; // 2,650 x 32 bytes: just under the 85,000-byte large-object threshold
        private const int OwnArrayAbove = 1_024; // big maps get an array of their own (no chunk space wasted)

        [ThreadStatic] private static StoredEntry[]? _chunk;
        [ThreadStatic] private static int _used;

        /// <summary>Room for <paramref name="count"/> entries: the array and where they start in it.</summary>
        public static (StoredEntry[] Array, int Start) Place(int count)
        {
            if (count == 0) return ([], 0);
            if (count > OwnArrayAbove) return (new StoredEntry[count], 0);
            if (_chunk == null || _used + count > ChunkSlots)
            {
                _chunk = new StoredEntry[ChunkSlots];
                _used = 0;
            }
            var start = _used;
            _used += count;
            return (_chunk, start);
        }

        /// <summary>Where the next map would go: a reader that gives up on a file rolls back to it (see <see cref="Release"/>).</summary>
        public static (StoredEntry[]? Chunk, int Used) Mark() => (_chunk, _used);

        /// <summary>Forget the maps placed since <paramref name="mark"/> (their tree was dropped), so the chunk keeps nothing alive for them.</summary>
        public static void Release((StoredEntry[]? Chunk, int Used) mark)
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

    private protected override void KeepChildSpans()
    {
        for (var i = 0; i < _count; i++) _items[i].KeepSpan();
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

/// <summary>
/// A span's lines and columns in 8 bytes: start line (24 bits), start column (16), end line as 1 + its distance from the
/// start line (8; 0 for an end line of 0, "not known") and end column (16). Spans outside that range are kept whole
/// (see <see cref="Node.Span"/>): a line past 16 million, a column past 65,535 (minified JSON), a scalar over 254 lines.
/// </summary>
internal static class PackedSpan
{
    /// <summary>Line 1, column 1, no end: <see cref="SourceSpan.OfFile"/>.</summary>
    public const ulong NoSpan = 1UL << 40 | 1UL << 24;

    public static bool TryPack(in SourceSpan s, out ulong packed)
    {
        packed = 0;
        if ((uint)s.StartLine >= 1u << 24 || (uint)s.StartColumn >= 1u << 16 || (uint)s.EndColumn >= 1u << 16) return false;
        var endLine = 0L;
        if (s.EndLine != 0)
        {
            endLine = (long)s.EndLine - s.StartLine + 1;
            if (endLine is < 1 or > 255) return false;
        }
        packed = (ulong)s.StartLine << 40 | (ulong)s.StartColumn << 24 | (ulong)endLine << 16 | (uint)s.EndColumn;
        return true;
    }

    public static SourceSpan Unpack(ulong packed, string file)
    {
        var startLine = (int)(packed >> 40);
        var endLine = (int)(packed >> 16) & 0xFF;
        return new SourceSpan(file, startLine, (int)(packed >> 24) & 0xFFFF, endLine == 0 ? 0 : startLine + endLine - 1, (int)(packed & 0xFFFF));
    }
}
