using System.Diagnostics;
using System.Text;
using Groundcrew.Core;
using Groundcrew.Fuzz;
using Groundcrew.Load;
using Groundcrew.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Groundcrew.Tests.Load;

/// <summary>
/// Differential fuzzing of the fast YAML reader against the general loader (YamlDotNet plus leniency repairs): real
/// manifests and small grammar-generated documents, mutated line by line and character by character. Whenever the
/// fast reader returns documents, they must be exactly what the general loader returns (values, kinds, every span,
/// document indexes) and the general loader must not have failed; the fast reader must never throw or hang.
/// Seeds are fixed, so a failure reproduces. GROUNDCREW_FUZZ_SCALE=N runs N times as many variants (exploration).
/// </summary>
[RunsLong]
public class FastYamlReaderFuzzTests(ITestOutputHelper output)
{
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("GROUNDCREW_FUZZ_SCALE"), out var s) && s > 0 ? s : 1;
    // About 30,000 variants by default: 1-3 s in Debug on an idle machine (up to ~10 s on a busy one).
    private static readonly int Generated = 1200 * Scale;
    // Time allowed for one large input: far above the ~0.1-1 s these take, far below what a quadratic reader needs on 5 MB.
    private static readonly TimeSpan RunawayBound = TimeSpan.FromSeconds(60);
    private static readonly int Rounds = 8 * Scale;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("GROUNDCREW_FUZZ_SEED"), out var s) ? s : 0;

    [Fact]
    public void Mutated_manifests_and_generated_documents_are_read_like_YamlDotNet_or_declined()
    {
        var seeds = SeedFiles();
        var variants = 0;
        var read = 0;
        var failures = new List<(string Kind, string Input, string Difference)>();
        var disagreements = 0;
        var current = "";
        var clock = Stopwatch.StartNew();
        var work = Task.Run(() =>
        {
            var random = new Random(20261205 + Seed);
            var generator = new Generator(new Random(7 + Seed));
            // Seeds from real files: several variants each, one to three mutations per variant.
            var generated = Enumerable.Range(0, Generated).Select(_ => generator.Document()).ToList();
            var all = seeds.Concat(generated).ToList();
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var seed in all)
                {
                    var text = seed;
                    var mutations = 1 + random.Next(3);
                    for (var m = 0; m < mutations; m++) text = Mutator.Apply(text, random);
                    // The unmutated generated documents are variants too.
                    foreach (var variant in round == 0 && !seeds.Contains(seed) ? new[] { seed, text } : new[] { text })
                    {
                        current = variant;
                        variants++;
                        var failure = Check(variant, out var fastRead);
                        if (fastRead) read++;
                        if (failure == null) continue;
                        disagreements++;
                        // Up to three shrunk inputs per kind of failure (the shrinking is slow, the kinds are few).
                        var kind = failure.Split('\n')[0];
                        if (failures.Count(f => f.Kind == kind) >= 3) continue;
                        var minimal = Minimize(variant);
                        if (failures.Any(f => f.Input == minimal)) continue;
                        failures.Add((kind, minimal, Check(minimal, out _) ?? failure));
                    }
                }
            }
        });
        // A hang in the fast reader shows here (with the input it hangs on) instead of blocking the test run.
        Assert.True(work.Wait(TimeSpan.FromSeconds(120 * Scale)), "the fast reader did not finish on " + Show(current));
        output.WriteLine($"{variants} variants from {seeds.Count} files and {Generated} generated documents: the fast reader read {read}, " +
                         $"{disagreements} disagreements, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Select(f => $"input: {Show(f.Input)}\n{f.Difference}")));
    }

    /// <summary>Deep nesting is declined (the reader caps depth at 400) without a stack overflow, and large files stay fast.</summary>
    [Theory]
    [InlineData("flow-brackets")]
    [InlineData("flow-maps")]
    [InlineData("block-maps")]
    [InlineData("block-sequences")]
    [InlineData("compact-sequences")]
    [InlineData("sequences-of-maps")]
    public void Deep_nesting_is_declined_quickly_without_overflowing_the_stack(string shape)
    {
        var text = shape switch
        {
            "flow-brackets" => "a: " + new string('[', 20_000) + new string(']', 20_000) + "\n",
            "flow-maps" => "a: " + string.Concat(Enumerable.Repeat("{k: ", 20_000)) + "v" + new string('}', 20_000) + "\n",
            // 3,000 levels (7 times the cap) is 4.5 MB of indentation; 10,000 was 50 MB, whose mere reading took 6 s on a loaded machine.
            "block-maps" => string.Concat(Enumerable.Range(0, 3_000).Select(i => new string(' ', i) + "k:\n")) + new string(' ', 3_000) + "v\n",
            "block-sequences" => string.Concat(Enumerable.Range(0, 3_000).Select(i => new string(' ', i) + "-\n")) + new string(' ', 3_000) + "v\n",
            "compact-sequences" => string.Concat(Enumerable.Repeat("- ", 10_000)) + "v\n",
            // The most stack per level (sequence, compact map, value, sequence...): 1,000 levels, already 1 MB of text.
            _ => string.Concat(Enumerable.Range(0, 1_000).Select(i => new string(' ', 2 * i) + "- k:\n")) + "v\n",
        };
        var clock = Stopwatch.StartNew();
        // Files load on pool threads (1.5 MB of stack on Linux); this runs on 1 MB, so a recursion the depth cap does not
        // stop crashes the test run here. At the cap (400) the deepest shape needs 512-768 KB in Debug.
        List<LoadedDocument>? result = null;
        LoadResult? loaded = null;
        var thread = new Thread(() =>
        {
            result = FastYamlReader.TryRead(text, "f");
            loaded = YamlTreeLoader.Load(text, "f"); // and the general path the file then takes
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        var elapsed = clock.Elapsed;
        Assert.Null(result);
        Assert.Contains("nested deeper than", loaded!.Error?.Message);
        // A bound against runaway (quadratic or worse) work, not a speed test: this takes ~0.1 s quiet, a
        // quadratic reader takes minutes, and a run on a machine loaded 60-fold took 11 s on a 5 s bound.
        Assert.True(elapsed < RunawayBound, $"{shape}: {elapsed}");
        output.WriteLine($"{shape}: {text.Length:N0} chars declined in {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Nesting_within_the_cap_is_read_like_YamlDotNet()
    {
        var maps = string.Concat(Enumerable.Range(0, 150).Select(i => new string(' ', i) + "k:\n")) + new string(' ', 150) + "v\n";
        var flow = "a: " + new string('[', 150) + "x" + new string(']', 150) + "\n";
        foreach (var text in new[] { maps, flow })
        {
            var fast = FastYamlReader.TryRead(text, "f");
            Assert.NotNull(fast);
            Assert.Null(TreeDifference.Between(fast, YamlTreeLoader.LoadGeneral(text, "f")));
        }
    }

    [Fact]
    public void A_five_megabyte_manifest_is_read_quickly_and_like_YamlDotNet()
    {
        var sb = new StringBuilder();
        var random = new Random(3);
        for (var i = 0; sb.Length < 5_000_000; i++)
        {
            sb.Append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-").Append(i).Append("\n  labels: {app: a").Append(i).Append(", tier: web}\n");
            sb.Append("spec:\n  replicas: ").Append(random.Next(1, 9)).Append("\n  template:\n    spec:\n      containers:\n");
            sb.Append("      - name: c\n        image: \"repo/app:1.").Append(i).Append("\"\n        args: [\"--port\", '8080']\n        env:\n");
            for (var e = 0; e < 4; e++) sb.Append("        - name: VAR_").Append(e).Append("\n          value: v").Append(e).Append(" # comment\n");
            sb.Append("        command:\n        - sh\n        - -c\n        - |\n          echo é 中\n          exec app\n");
        }
        var text = sb.ToString();
        var clock = Stopwatch.StartNew();
        var fast = FastYamlReader.TryRead(text, "f");
        var elapsed = clock.Elapsed;
        Assert.NotNull(fast);
        Assert.True(elapsed < RunawayBound, $"5 MB took {elapsed}"); // see RunawayBound: not a speed test
        Assert.Null(TreeDifference.Between(fast, YamlTreeLoader.LoadGeneral(text, "f")));
        output.WriteLine($"{text.Length:N0} chars, {fast.Count} documents in {elapsed.TotalMilliseconds:F0} ms");
    }

    /// <summary>The difference for one input, or null; fastRead tells whether the fast reader read it.</summary>
    private static string? Check(string text, out bool fastRead)
    {
        fastRead = false;
        List<LoadedDocument>? fast;
        var clock = Stopwatch.StartNew();
        try
        {
            fast = FastYamlReader.TryRead(text, "f");
        }
        catch (Exception ex)
        {
            return $"the fast reader threw {ex.GetType().Name}: {ex.Message}";
        }
        if (clock.Elapsed > TimeSpan.FromSeconds(2)) return $"the fast reader took {clock.Elapsed.TotalSeconds:F1} s";
        if (fast == null) return null;
        fastRead = true;
        return TreeDifference.Between(fast, YamlTreeLoader.LoadGeneral(text, "f")) is { } d ? "disagreement: " + Kind(d) + "\n" + d : null;
    }

    // Groups failures by what differs (the first words), so one cause is reported once.
    private static string Kind(string difference)
    {
        var colon = difference.IndexOf(": ", StringComparison.Ordinal);
        var rest = colon >= 0 ? difference[(colon + 2)..] : difference;
        return string.Join(' ', rest.Split(' ').Take(1));
    }

    /// <summary>Shrink a failing input (whole lines, then single characters) while it still fails the same way.</summary>
    private static string Minimize(string text)
    {
        var failure = Check(text, out _)?.Split('\n')[0];
        if (failure == null) return text;
        bool Fails(string t) => Check(t, out _)?.Split('\n')[0] == failure;
        var changed = true;
        while (changed)
        {
            changed = false;
            var lines = text.Split('\n').ToList();
            for (var i = lines.Count - 1; i >= 0 && lines.Count > 1; i--)
            {
                var candidate = string.Join('\n', lines.Take(i).Concat(lines.Skip(i + 1)));
                if (Fails(candidate)) { lines.RemoveAt(i); text = candidate; changed = true; }
            }
            for (var i = text.Length - 1; i >= 0; i--)
            {
                if (i >= text.Length) continue;
                var candidate = text.Remove(i, 1);
                if (Fails(candidate)) { text = candidate; changed = true; }
            }
        }
        return text;
    }

    private static string Show(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    /// <summary>A fixed, sorted sample of the YAML files the project and the shared corpus hold (small ones, for speed).</summary>
    private static List<string> SeedFiles()
    {
        var roots = new List<string> { Path.Combine(Repo.Root, "examples"), Path.Combine(Repo.Root, "tests"), Path.Combine(Repo.Root, "docs") };
        if (Repo.Shared is { } shared) roots.Add(Path.Combine(shared, "corpus"));
        var files = roots.Where(Directory.Exists)
            .SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)) && !f.Contains("/bin/") && !f.Contains("/obj/"))
            .Where(f => new FileInfo(f).Length is > 0 and < 6_000)
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Select(File.ReadAllText).ToList();
    }

    /// <summary>Text mutations that reach the edges of the reader's subset.</summary>
    private static class Mutator
    {
        private static readonly string[] Tokens =
        [
            "\t", "\r", "#", " #", " # c", ":", ": ", " :", "-", "- ", "|", ">", "|-", ">+", "|2", ">1-", "\"", "'", "''", "\\", "\\\"",
            "é", "中", "😀", "\u00a0", "\u2028", "\ufeff", "\u0085", " ", "  ", "---", "...", "[", "]", "{", "}", ",", ", ", "[]", "{}",
            "&a ", "*a", "!t ", "? ", "%", "@", "`", "~", "null", "\\n", "\\u00e9", "\\x4", "\\U0001F600", "\\N",
        ];

        private static readonly string[] Lines =
        [
            "", " ", "  ", "\t", "#", "# comment", "---", "...", "--- # c", "---x", "- ", "-", "key:", "key: value", "  key: value", "- a: b",
            "  - x", "key: |", "key: >-", "key: |+2", "  text", "   more text", "    more indented", "key: [a,", "  b]", "key: {a: 1,", "  b: 2}",
            "key: \"multi", "  line\"", "key: 'it''s", "   fine'", "key: plain", "  continued", "\"quoted key\": v", "'k': 'v'", "k: v # c",
            "%YAML 1.2", "? x", ": y", "<<: {a: 1}", "k: &a v", "k2: *a", "k: !Ref v", "k: é中😀", new string('k', 1030) + ": v",
        ];

        public static string Apply(string text, Random r)
        {
            var lines = text.Split('\n').ToList();
            var i = r.Next(lines.Count);
            switch (r.Next(19))
            {
                case 16: // one character anywhere
                {
                    const string alphabet = " \n-:#|>'\"[]{},\\?&*!%@`~.+0123456789abé中\t\r";
                    var at = r.Next(text.Length + 1);
                    return text.Insert(at, alphabet[r.Next(alphabet.Length)].ToString());
                }
                case 17: // delete a few characters
                {
                    if (text.Length == 0) return text;
                    var at = r.Next(text.Length);
                    return text.Remove(at, Math.Min(text.Length - at, 1 + r.Next(3)));
                }
                case 18: // repeat a stretch of text somewhere else
                {
                    if (text.Length == 0) return text;
                    var at = r.Next(text.Length);
                    var stretch = text.Substring(at, Math.Min(text.Length - at, 1 + r.Next(40)));
                    return text.Insert(r.Next(text.Length + 1), stretch);
                }
                case 0: if (lines.Count > 1) lines.RemoveAt(i); break;
                case 1: lines.Insert(i, lines[i]); break;
                case 2:
                    if (lines.Count > 1)
                    {
                        var j = Math.Min(lines.Count - 1, i + 1);
                        (lines[i], lines[j]) = (lines[j], lines[i]);
                    }
                    break;
                case 3: // indentation +-1/2
                {
                    var delta = r.Next(2) == 0 ? -(1 + r.Next(2)) : 1 + r.Next(2);
                    var line = lines[i];
                    var indent = line.Length - line.TrimStart(' ').Length;
                    lines[i] = new string(' ', Math.Max(0, indent + delta)) + line.TrimStart(' ');
                    break;
                }
                case 4: case 5: case 6: // a token anywhere in the line
                {
                    var line = lines[i];
                    var at = r.Next(line.Length + 1);
                    lines[i] = line.Insert(at, Tokens[r.Next(Tokens.Length)]);
                    break;
                }
                case 7: // a token just after ": " or "- " (where values start)
                {
                    var line = lines[i];
                    var at = line.IndexOf(": ", StringComparison.Ordinal);
                    if (at < 0) at = line.IndexOf("- ", StringComparison.Ordinal);
                    at = at < 0 ? line.Length : at + 2;
                    lines[i] = line.Insert(at, Tokens[r.Next(Tokens.Length)]);
                    break;
                }
                case 8: lines.Insert(i, Indent(lines[i], r) + Lines[r.Next(Lines.Length)]); break;
                case 9: lines[i] += r.Next(2) == 0 ? "  " : " # trailing"; break;
                case 10: // split a line inside its value: a multi-line plain or quoted scalar
                {
                    var line = lines[i];
                    var space = line.LastIndexOf(' ');
                    if (space > 0 && space < line.Length - 1)
                    {
                        lines[i] = line[..space];
                        lines.Insert(i + 1, new string(' ', Math.Max(0, line.Length - line.TrimStart(' ').Length + r.Next(-1, 4))) + line[(space + 1)..]);
                    }
                    break;
                }
                case 11: // a value becomes a block scalar with a random header
                {
                    var line = lines[i];
                    var colon = line.IndexOf(": ", StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        string[] headers = ["|", ">", "|-", ">-", "|+", ">+", "|2", ">1", "|2-", ">-1", "|+3", "| # c", ">9", "|0"];
                        var indent = line.Length - line.TrimStart(' ').Length;
                        var body = new string(' ', indent + 1 + r.Next(3)) + line[(colon + 2)..];
                        lines[i] = line[..(colon + 2)] + headers[r.Next(headers.Length)];
                        lines.Insert(i + 1, body);
                        if (r.Next(2) == 0) lines.Insert(i + 2, r.Next(2) == 0 ? "" : new string(' ', r.Next(6)));
                        if (r.Next(2) == 0) lines.Insert(i + 2, new string(' ', indent + 1 + r.Next(5)) + "more text");
                    }
                    break;
                }
                case 12: // quote a value, maybe across lines
                {
                    var line = lines[i];
                    var colon = line.IndexOf(": ", StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        var q = r.Next(2) == 0 ? '"' : '\'';
                        var value = line[(colon + 2)..];
                        var mid = value.Length / 2;
                        lines[i] = r.Next(2) == 0
                            ? line[..(colon + 2)] + q + value + q
                            : line[..(colon + 2)] + q + value[..mid] + "\n" + new string(' ', r.Next(5)) + value[mid..] + q;
                    }
                    break;
                }
                case 13: // drop a value: a key without a value
                {
                    var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
                    if (colon > 0) lines[i] = lines[i][..(colon + 1)];
                    break;
                }
                case 14: // CRLF for the whole text, or a lone CR
                    return r.Next(2) == 0 ? text.Replace("\n", "\r\n") : text.Insert(r.Next(text.Length + 1), "\r");
                default: // a document marker or an empty line
                    lines.Insert(i, r.Next(3) switch { 0 => "---", 1 => "...", _ => "" });
                    break;
            }
            return string.Join('\n', lines);
        }

        private static string Indent(string line, Random r) =>
            new(' ', Math.Max(0, line.Length - line.TrimStart(' ').Length + r.Next(-2, 3)));
    }

    /// <summary>Small random documents in the YAML that manifests are written in, with its less common corners.</summary>
    private sealed class Generator(Random r)
    {
        private static readonly string[] Words =
        [
            "a", "value", "true", "null", "~", "-1", "0x1F", "1.5", "8080", "http://x:80/p", "a:b", "a#b", "key with space", "é", "中文", "😀",
            "-", "-x", "?x", ":x", "x:", "a,b", "a]b", "a}b", "a[b", "a{b", "...x", "---x", "x---", "a'b", "a\"b", "a\\b", "a  b", "=", "<<",
            "%x", "@x", "`x", "!x", "&x", "*x", "|x", ">x", "--flag=v", "- x", "-- x", "--- x", "-:", "-#",
        ];

        private static readonly string[] Quoted =
        [
            "\"\"", "''", "\"esc \\\" \\\\ \\n \\t\"", "\"\\u00e9 \\x41 \\/ \\0\"", "\"\\U0001F600\"", "\"\\N \\_ \\L\"", "'it''s'", "\"a # b\"", "'a: b'",
            "\"tab\\there\"", "\"bad \\q\"", "\"\\\n  joined\"", "\"two\n  lines\"", "'two\n\n  lines'", "\"trail  \n  end\"",
        ];

        private int _step;
        private StringBuilder _sb = new();

        public string Document()
        {
            _sb = new StringBuilder();
            _step = r.Next(5) switch { 0 => 1, 1 => 4, 2 => 3, _ => 2 };
            var documents = 1 + (r.Next(4) == 0 ? r.Next(3) : 0);
            for (var d = 0; d < documents; d++)
            {
                if (d > 0 || r.Next(3) == 0) _sb.Append(r.Next(6) == 0 ? "--- # doc\n" : "---\n");
                if (r.Next(8) == 0) _sb.Append("# comment\n\n");
                switch (r.Next(10))
                {
                    case 0: Sequence(0, 0); break;
                    case 1: _sb.Append(Scalar()).Append('\n'); break;
                    case 2: _sb.Append(Flow(0, 0)).Append('\n'); break;
                    default: Map(0, 0); break;
                }
            }
            if (r.Next(10) == 0) _sb.Append("...\n");
            var text = _sb.ToString();
            return r.Next(5) == 0 ? text.TrimEnd('\n') : text;
        }

        private string Pad(int n) => new(' ', n);

        private void Map(int indent, int depth, bool firstInline = false)
        {
            var n = 1 + r.Next(4);
            for (var i = 0; i < n; i++)
            {
                if (!(firstInline && i == 0)) _sb.Append(Pad(indent));
                _sb.Append(Key()).Append(r.Next(12) == 0 ? " :" : ":");
                Value(indent, depth);
                if (r.Next(12) == 0) _sb.Append(r.Next(2) == 0 ? "\n" : Pad(Math.Max(0, indent + r.Next(-2, 3))) + "# between\n");
            }
        }

        private void Sequence(int indent, int depth)
        {
            var n = 1 + r.Next(4);
            for (var i = 0; i < n; i++)
            {
                _sb.Append(Pad(indent)).Append('-');
                switch (depth > 3 ? 0 : r.Next(6))
                {
                    case 0: case 1: _sb.Append(' ').Append(Scalar()).Append(Comment()).Append('\n'); break;
                    case 2: _sb.Append(' '); Map(indent + 2, depth + 1, firstInline: true); break; // "- k: v" compact map
                    case 3: _sb.Append(r.Next(4) == 0 ? "   " : " "); Sequence2(indent + 2, depth + 1); break; // "- - x"
                    case 4: _sb.Append('\n'); Block(indent + _step, depth + 1); break;
                    default: _sb.Append(' ').Append(Flow(indent, depth)).Append('\n'); break;
                }
            }
        }

        private void Sequence2(int indent, int depth)
        {
            _sb.Append("- ").Append(Scalar()).Append('\n');
            if (r.Next(2) == 0) _sb.Append(Pad(indent)).Append("- ").Append(Scalar()).Append('\n');
        }

        private void Block(int indent, int depth)
        {
            if (r.Next(2) == 0) Map(indent, depth);
            else Sequence(indent, depth);
        }

        private void Value(int indent, int depth)
        {
            switch (depth > 3 ? r.Next(3) : r.Next(11))
            {
                case 0: _sb.Append(' ').Append(Scalar()).Append(Comment()).Append('\n'); break;
                case 1: _sb.Append(Comment()).Append('\n'); break; // no value
                case 2: _sb.Append(' ').Append(Flow(indent, depth)).Append('\n'); break;
                case 3: case 4: _sb.Append(Comment()).Append('\n'); Map(indent + _step, depth + 1); break;
                case 5: _sb.Append('\n'); Sequence(indent + (r.Next(2) == 0 ? 0 : _step), depth + 1); break; // indentless or indented
                case 6: case 7: BlockScalar(indent); break;
                case 8: // multi-line plain
                    _sb.Append(' ').Append(Words[r.Next(Words.Length)]).Append('\n');
                    if (r.Next(2) == 0) _sb.Append('\n');
                    _sb.Append(Pad(indent + 1 + r.Next(3))).Append(Words[r.Next(Words.Length)]).Append('\n');
                    break;
                default: _sb.Append(' ').Append(Scalar()).Append('\n'); break;
            }
        }

        private void BlockScalar(int indent)
        {
            string[] headers = ["|", ">", "|-", ">-", "|+", ">+", "|1", "|2", ">2-", "|-2", "|+1", "| # c"];
            var header = headers[r.Next(headers.Length)];
            _sb.Append(' ').Append(header).Append('\n');
            var digit = header.FirstOrDefault(char.IsDigit);
            var content = indent + (digit != default ? digit - '0' : 1 + r.Next(3));
            var lines = 1 + r.Next(4);
            for (var i = 0; i < lines; i++)
            {
                switch (r.Next(7))
                {
                    case 0: _sb.Append('\n'); break;
                    case 1: _sb.Append(Pad(content + 1 + r.Next(2))).Append("more indented\n"); break;
                    case 2: _sb.Append(Pad(content)).Append("  \n"); break;
                    default: _sb.Append(Pad(content)).Append(Words[r.Next(Words.Length)]).Append(" text\n"); break;
                }
            }
            if (r.Next(3) == 0) _sb.Append(r.Next(2) == 0 ? "\n" : "\n\n");
        }

        private string Flow(int indent, int depth)
        {
            var sb = new StringBuilder();
            var multiline = r.Next(4) == 0;
            string Sep() => multiline ? "\n" + Pad(indent + 1 + r.Next(3)) : " ";
            if (r.Next(2) == 0)
            {
                sb.Append('[');
                var n = r.Next(4);
                for (var i = 0; i < n; i++)
                {
                    if (i > 0) sb.Append(',').Append(Sep());
                    sb.Append(depth < 3 && r.Next(4) == 0 ? Flow(indent, depth + 1) : FlowScalar());
                }
                if (r.Next(8) == 0) sb.Append(',');
                sb.Append(']');
            }
            else
            {
                sb.Append('{');
                var n = r.Next(4);
                for (var i = 0; i < n; i++)
                {
                    if (i > 0) sb.Append(',').Append(Sep());
                    sb.Append(Key()).Append(r.Next(6) == 0 ? ":" : ": ");
                    sb.Append(depth < 3 && r.Next(4) == 0 ? Flow(indent, depth + 1) : FlowScalar());
                }
                sb.Append('}');
            }
            return sb.ToString();
        }

        private string FlowScalar() => r.Next(3) == 0 ? Quoted[r.Next(Quoted.Length)] : Words[r.Next(Words.Length)];

        private string Key() => r.Next(7) switch
        {
            0 => Quoted[r.Next(6)] + (r.Next(3) == 0 ? " " : ""),
            6 when r.Next(4) == 0 => new string('k', 1000 + r.Next(50)),
            1 => Words[r.Next(Words.Length)],
            _ => new[] { "name", "image", "spec", "metadata", "k", "app.kubernetes.io/name", "env", "a b", "x-1" }[r.Next(9)],
        };

        private string Scalar() => r.Next(4) == 0 ? Quoted[r.Next(Quoted.Length)] : Words[r.Next(Words.Length)];

        private string Comment() => r.Next(6) == 0 ? (r.Next(2) == 0 ? " # note" : "#x") : "";
    }
}
