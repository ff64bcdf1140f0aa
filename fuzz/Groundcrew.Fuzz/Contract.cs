using System.Collections;
using System.Diagnostics;
using System.Reflection;
using Groundcrew.Core;

namespace Groundcrew.Fuzz;

/// <summary>A reader broke its contract on an input: the fuzzer reports it as a crash.</summary>
public sealed class ContractViolation(string message) : Exception(message);

/// <summary>
/// What every reader promises on any input (fuzz/README.md): no exception but its documented input error (checked by
/// each target), a bounded time, and positions that lie inside the input it was given.
/// </summary>
public static class Contract
{
    /// <summary>Per-input time bound. Generous because the machine is shared; a real hang is minutes, not seconds.</summary>
    public static TimeSpan TimeBound = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Fails when one input cost more than <see cref="TimeBound"/> of CPU time. Wall time alone is not the measure: on
    /// the shared 2-core machine (load average above 30 while five sessions build) a one-byte input sometimes waited
    /// over 3 s for a core, and AFL saved it as a crash that no replay could reproduce. CPU time is what a slow reader
    /// spends; a reader stuck waiting (none of them does I/O but the flow loader) is still caught by AFL's own
    /// wall-clock hang limit (fuzz/run.sh, -t 10 s).
    /// </summary>
    public static void InTime(Stopwatch clock, TimeSpan cpuAtStart, string target)
    {
        if (clock.Elapsed <= TimeBound) return;
        var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
        if (cpu > TimeBound)
            throw new ContractViolation($"{target} took {cpu.TotalMilliseconds:0} ms of CPU ({clock.Elapsed.TotalMilliseconds:0} ms wall) on one input (bound {TimeBound.TotalMilliseconds:0} ms)");
    }

    /// <summary>The shape of a text, for checking positions against it.</summary>
    public sealed class Shape
    {
        public int Lines { get; }
        public int LongestLine { get; }

        public Shape(string text)
        {
            // Readers count lines on "\n" (and some, like YamlDotNet, also on a lone "\r" or Unicode breaks): a position
            // is inside the text when it is inside it under the more generous of the two countings.
            var byNewline = 1;
            var any = 1;
            var run = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\n') { byNewline++; LongestLine = Math.Max(LongestLine, run); run = 0; }
                else run++;
                if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) || c is '\u0085' or '\u2028' or '\u2029') any++;
            }
            LongestLine = Math.Max(LongestLine, run);
            Lines = Math.Max(byNewline, any);
        }
    }

    public static void Position(Shape shape, int line, int column, string what)
    {
        if (line < 1 || line > shape.Lines)
            throw new ContractViolation($"{what}: line {line} is outside the input (1..{shape.Lines})");
        if (column < 1 || column > shape.LongestLine + 1)
            throw new ContractViolation($"{what}: column {column} is outside the input (1..{shape.LongestLine + 1})");
    }

    /// <summary>A span that names <paramref name="file"/> lies inside it, and ends no earlier than it starts.</summary>
    public static void Span(Shape shape, SourceSpan span, string file, string what)
    {
        if (span.File != file) return; // another file's span (a module, a default): not this input's to judge
        Position(shape, span.StartLine, span.StartColumn, what);
        if (span.EndLine == 0) return;
        // EndColumn 0 is "to the end of the line" (a Dockerfile instruction's span, for one).
        Position(shape, span.EndLine, Math.Max(1, span.EndColumn - 1), what + " (end)");
        if (span.EndLine < span.StartLine || (span.EndLine == span.StartLine && span.EndColumn != 0 && span.EndColumn < span.StartColumn))
            throw new ContractViolation($"{what}: span ends ({span.EndLine}:{span.EndColumn}) before it starts ({span.StartLine}:{span.StartColumn})");
    }

    public static void Tree(Shape shape, Node root, string file)
    {
        foreach (var n in root.Descendants())
        {
            Span(shape, n.Span, file, $"node {n.GetType().Name} at {n.Path}");
            if (n is MapNode m)
                foreach (var e in m.Entries) Span(shape, e.KeySpan, file, $"key {e.Name} at {n.Path}");
        }
    }

    /// <summary>
    /// Every <see cref="SourceSpan"/> and tree reachable from a reader's result (records, lists, dictionaries), found by
    /// reflection so that a new field with a position is checked without touching the harness.
    /// </summary>
    public static void Spans(Shape shape, object? result, string file)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(shape, result, file, seen, 0, "result");
    }

    private static void Walk(Shape shape, object? o, string file, HashSet<object> seen, int depth, string path)
    {
        if (o == null || depth > 12) return;
        switch (o)
        {
            case SourceSpan s: Span(shape, s, file, path); return;
            case string or ValueType when o is not System.Runtime.CompilerServices.ITuple: return;
            case Node n: if (seen.Add(n)) Tree(shape, n, file); return;
        }
        if (!o.GetType().IsValueType && !seen.Add(o)) return;
        if (o is IDictionary dict)
        {
            foreach (DictionaryEntry e in dict) Walk(shape, e.Value, file, seen, depth + 1, $"{path}[{e.Key}]");
            return;
        }
        if (o is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) Walk(shape, item, file, seen, depth + 1, $"{path}[{i++}]");
            return;
        }
        var type = o.GetType();
        if (type.Namespace?.StartsWith("Groundcrew", StringComparison.Ordinal) != true && o is not System.Runtime.CompilerServices.ITuple) return;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.PropertyType == typeof(string) || (p.PropertyType.IsPrimitive)) continue;
            object? value;
            try { value = p.GetValue(o); }
            catch (TargetInvocationException ex) { throw new ContractViolation($"{path}.{p.Name} threw {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}"); }
            Walk(shape, value, file, seen, depth + 1, $"{path}.{p.Name}");
        }
        foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            Walk(shape, f.GetValue(o), file, seen, depth + 1, $"{path}.{f.Name}");
    }
}
