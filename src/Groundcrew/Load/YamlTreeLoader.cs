using Groundcrew.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Groundcrew.Load;

/// <summary>
/// Reads YAML (all documents of a stream) into the positioned tree, straight from the parser's events.
/// Aliases are expanded by copying, with a cap on the copied nodes so that an alias bomb
/// ("billion laughs") is an error for that file instead of an out-of-memory crash.
/// </summary>
public static class YamlTreeLoader
{
    /// <summary>The most nodes alias expansion may copy in one file. Real manifests copy a few hundred at most.</summary>
    public const int MaxAliasExpansionNodes = 100_000;

    // GROUNDCREW_YAML=general turns the fast reader off (to rule it out when a tree looks wrong).
    private static readonly bool FastReaderEnabled = Environment.GetEnvironmentVariable("GROUNDCREW_YAML") != "general";

    public static LoadResult Load(string text, string file)
    {
        // Most manifests are plain block YAML: the fast reader builds their tree directly and declines everything else.
        if (FastReaderEnabled && FastYamlReader.TryRead(text, file) is { } documents)
            return new LoadResult(documents, null);
        return LoadGeneral(text, file);
    }

    /// <summary>The general path: YamlDotNet, with the leniency repairs. Every file the fast reader declines comes here.</summary>
    internal static LoadResult LoadGeneral(string text, string file)
    {
        var original = text;
        var result = LoadStrict(text, file);
        // Up to three repairs for shapes kubectl accepts but YamlDotNet rejects (see YamlLeniency).
        for (var attempt = 0; attempt < 3 && result.Error is { } error; attempt++)
        {
            var repaired = YamlLeniency.TryRepair(text, error.Message, error.Line);
            if (repaired == null || repaired == text) break;
            var retry = LoadStrict(repaired, file, ColumnMap.Between(original, repaired));
            if (retry.Error != null && retry.Error.Line <= error.Line && retry.Error.Message == error.Message) break;
            text = repaired;
            result = retry;
        }
        return result;
    }

    private static LoadResult LoadStrict(string text, string file, ColumnMap? repairs = null)
    {
        var documents = new List<LoadedDocument>();
        var end = repairs is null ? TextEnd.Of(text) : new TextEnd(repairs, TextEnd.Of(repairs.Original));
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            var index = 0;
            while (parser.Accept<DocumentStart>(out _))
            {
                parser.Consume<DocumentStart>();
                var state = new State(file, end);
                Node? root = null;
                if (!parser.Accept<DocumentEnd>(out _))
                    root = ReadNode(parser, state);
                parser.Consume<DocumentEnd>();
                if (root != null && !(root is ScalarNode { IsNull: true }))
                    documents.Add(new LoadedDocument(root, index));
                index++;
            }
            return new LoadResult(documents, null);
        }
        catch (LoadException ex)
        {
            var (line, column) = end.Clamp(ex.Line, ex.Column);
            return new LoadResult(documents, line == ex.Line && column == ex.Column ? ex : new LoadException(ex.Message, line, column));
        }
        catch (YamlException ex)
        {
            var (line, column) = end.Clamp((int)ex.Start.Line, (int)ex.Start.Column);
            return new LoadResult(documents, new LoadException($"invalid YAML: {Clean(ex.Message)}", line, column));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or InvalidCastException)
        {
            // YamlDotNet throws these for some malformed streams; they are input errors, not crashes.
            return new LoadResult(documents, new LoadException($"invalid YAML: {Clean(ex.Message)}"));
        }
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): " which we report separately.
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(i + 3)..] : message;
    }

    private sealed class State(string file, TextEnd end)
    {
        public string File { get; } = file;
        public TextEnd End { get; } = end;
        public Dictionary<string, Node> Anchors { get; } = new();
        public int CopiedNodes;
        public int Depth;
    }

    private static SourceSpan Span(State s, Mark start, Mark end)
    {
        var (startLine, startColumn) = s.End.Clamp((int)start.Line, (int)start.Column);
        var (endLine, endColumn) = s.End.Clamp((int)end.Line, (int)end.Column);
        return new(s.File, startLine, startColumn, endLine, endColumn);
    }

    /// <summary>
    /// Where the text ends, counted the way YamlDotNet counts lines. At the end of a stream YamlDotNet moves its mark
    /// to a line after the last one (it acts as if a line break followed), so an error or an empty node there would
    /// point past the file; such positions are pulled back to the end of the last line (found by fuzzing).
    /// </summary>
    private readonly record struct TextEnd(int LastLine, int EndColumn, ColumnMap? Repairs = null)
    {
        public TextEnd(ColumnMap repairs, TextEnd original) : this(original.LastLine, original.EndColumn, repairs) { }

        public static TextEnd Of(string text)
        {
            int line = 1, column = 1;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) || c is '\u0085' or '\u2028' or '\u2029')
                {
                    line++;
                    column = 1;
                }
                else if (c != '\r') column++;
            }
            return new TextEnd(line, column);
        }

        public (int Line, int Column) Clamp(int line, int column)
        {
            if (Repairs is { } map) column = map.ToOriginal(line, column);
            return line > LastLine || (line == LastLine && column > EndColumn) ? (LastLine, EndColumn) : (line, column);
        }
    }

    /// <summary>
    /// The leniency repairs keep every line where it was but change the leading white space of some lines (quoted
    /// continuation lines are indented further), so a column YamlDotNet reports on the repaired text can lie past the
    /// end of the user's line. This maps it back: the same column minus what the repair added, inside the original
    /// line (found by the cfn fuzz target: a multi-line `!Sub "..."` pointed past its line).
    /// </summary>
    private sealed class ColumnMap
    {
        private readonly Dictionary<int, (int Shift, int Length)> _changed = new();

        public string Original { get; }

        private ColumnMap(string original) => Original = original;

        public static ColumnMap Between(string original, string repaired)
        {
            var map = new ColumnMap(original);
            var before = original.Split('\n');
            var after = repaired.Split('\n');
            for (var i = 0; i < Math.Min(before.Length, after.Length); i++)
                if (before[i] != after[i])
                    map._changed[i + 1] = (Leading(after[i]) - Leading(before[i]), before[i].TrimEnd('\r').Length);
            return map;
        }

        public int ToOriginal(int line, int column) =>
            _changed.TryGetValue(line, out var c) ? Math.Clamp(column - c.Shift, 1, c.Length + 1) : column;

        private static int Leading(string line) => line.Length - line.TrimStart(' ', '\t').Length;
    }

    private static Node ReadNode(IParser parser, State state)
    {
        if (++state.Depth > 512)
            throw new LoadException("YAML nested deeper than 512 levels", (int)parser.Current!.Start.Line, (int)parser.Current.Start.Column);
        try
        {
            var ev = parser.Consume<ParsingEvent>();
            switch (ev)
            {
                case Scalar sc:
                {
                    var node = new ScalarNode
                    {
                        Value = sc.Value is { } v ? StringPool.Share(v) : null,
                        Kind = sc.Style switch
                        {
                            ScalarStyle.Plain or ScalarStyle.Any => ScalarKind.Plain,
                            ScalarStyle.Literal or ScalarStyle.Folded => ScalarKind.Block,
                            _ => ScalarKind.Quoted,
                        },
                        Span = Span(state, sc.Start, sc.End),
                    };
                    Remember(state, sc.Anchor, node);
                    return CloudFormation.CloudFormationTags.Desugar(sc.Tag.IsEmpty ? null : sc.Tag.Value, node);
                }
                case SequenceStart ss:
                {
                    var seq = new SeqNode { Span = Span(state, ss.Start, ss.End) };
                    while (!parser.TryConsume<SequenceEnd>(out var end))
                    {
                        seq.Add(ReadNode(parser, state));
                        _ = end;
                    }
                    seq.Trim();
                    Remember(state, ss.Anchor, seq);
                    return CloudFormation.CloudFormationTags.Desugar(ss.Tag.IsEmpty ? null : ss.Tag.Value, seq);
                }
                case MappingStart ms:
                {
                    var map = new MapNode { Span = Span(state, ms.Start, ms.End) };
                    // Merge keys apply after the explicit keys, wherever they stand, so explicit keys win once.
                    List<Node>? merges = null;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyNode = ReadNode(parser, state);
                        var value = ReadNode(parser, state);
                        var key = keyNode as ScalarNode ?? new ScalarNode { Value = "<complex key>", Span = keyNode.Span };
                        if (key.Value == "<<" && key.Kind == ScalarKind.Plain)
                        {
                            (merges ??= new List<Node>()).Add(value);
                            continue;
                        }
                        if (keyNode is ScalarNode) map.Add(StringPool.MapKey(key.Value ?? ""), key.Kind, key.Span, value);
                        else map.Add(key, value);
                    }
                    foreach (var m in merges ?? []) Merge(map, m);
                    map.Trim();
                    Remember(state, ms.Anchor, map);
                    return CloudFormation.CloudFormationTags.Desugar(ms.Tag.IsEmpty ? null : ms.Tag.Value, map);
                }
                case AnchorAlias alias:
                {
                    if (!state.Anchors.TryGetValue(alias.Value.Value, out var target))
                        throw new LoadException($"alias *{alias.Value.Value} refers to an unknown anchor", (int)alias.Start.Line, (int)alias.Start.Column);
                    return Copy(target, state, Span(state, alias.Start, alias.End));
                }
                default:
                    throw new LoadException($"unexpected YAML event {ev.GetType().Name}", (int)ev.Start.Line, (int)ev.Start.Column);
            }
        }
        finally
        {
            state.Depth--;
        }
    }

    private static void Remember(State state, AnchorName anchor, Node node)
    {
        if (!anchor.IsEmpty) state.Anchors[anchor.Value] = node;
    }

    // `<<: *base` or `<<: [*a, *b]`: keys already present win, as YAML 1.1 merge keys specify.
    private static void Merge(MapNode into, Node source)
    {
        var sources = source is SeqNode s ? s.Items : [source];
        foreach (var m in sources.OfType<MapNode>())
            foreach (var e in m.Entries)
                if (into.Entry(e.Name) == null)
                    into.Add(e.Name, e.KeyKind, e.KeySpan, e.Value);
    }

    private static Node Copy(Node node, State state, SourceSpan aliasSpan)
    {
        if (++state.CopiedNodes > MaxAliasExpansionNodes)
            throw new LoadException($"YAML aliases expand to more than {MaxAliasExpansionNodes:N0} nodes (an alias bomb?); file not loaded",
                aliasSpan.StartLine, aliasSpan.StartColumn);
        switch (node)
        {
            case ScalarNode sc:
                return new ScalarNode { Value = sc.Value is { } v ? StringPool.Share(v) : null, Kind = sc.Kind, Span = sc.Span };
            case SeqNode seq:
            {
                var copy = new SeqNode { Span = seq.Span };
                foreach (var item in seq.Items) copy.Add(Copy(item, state, aliasSpan));
                return copy;
            }
            case MapNode map:
            {
                var copy = new MapNode { Span = map.Span };
                foreach (var e in map.Entries)
                    copy.Add(e.Name, e.KeyKind, e.KeySpan, Copy(e.Value, state, aliasSpan));
                return copy;
            }
            default:
                throw new InvalidOperationException("unknown node type");
        }
    }
}
