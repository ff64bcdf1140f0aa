using System.Text;
using Groundcrew.Core;
using Groundcrew.Fuzz;
using Groundcrew.Load;
using Groundcrew.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Groundcrew.Tests.Load;

/// <summary>
/// The fast YAML reader must build exactly the tree YamlDotNet's loader builds (values, kinds, every span, document
/// indexes), or decline. Any difference would move a finding's line or change what a rule sees.
/// </summary>
public class FastYamlReaderTests(ITestOutputHelper output)
{
    /// <summary>Every YAML file the project and the shared corpus hold: the fast reader agrees or declines.</summary>
    [Fact]
    public void Agrees_with_YamlDotNet_on_every_yaml_file_of_the_examples_fixtures_and_corpus()
    {
        var roots = new List<string> { Path.Combine(Repo.Root, "examples"), Path.Combine(Repo.Root, "tests"), Path.Combine(Repo.Root, "docs") };
        if (Repo.Shared is { } shared) roots.Add(Path.Combine(shared, "corpus"));
        var files = roots.Where(Directory.Exists)
            .SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)) && !f.Contains("/bin/") && !f.Contains("/obj/"))
            .ToList();
        var read = 0;
        var declined = 0;
        var differences = new List<string>();
        foreach (var file in files)
        {
            string text;
            try { text = File.ReadAllText(file); }
            catch (IOException) { continue; }
            if (text.Length > 5_000_000) continue;
            var fast = FastYamlReader.TryRead(text, "f");
            if (fast == null) { declined++; continue; }
            read++;
            var general = YamlTreeLoader.LoadGeneral(text, "f");
            var difference = TreeDifference.Between(fast, general);
            if (difference != null) differences.Add($"{Path.GetRelativePath(Repo.Root, file)}: {difference}");
        }
        output.WriteLine($"{files.Count} YAML files: {read} read by the fast reader, {declined} declined");
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(30)));
        // The point of the reader is that it reads most real manifests; a change that makes it decline them is a regression.
        Assert.True(read >= files.Count * 0.75, $"the fast reader read only {read} of {files.Count} files");
    }

    public static TheoryData<string> Snippets() => new()
    {
        "a: 1\nb: two\n",
        "a:\n  b:\n    c: d\n",
        "list:\n- a\n- b\nnext: 1\n",
        "list:\n  - a\n  -\n  - c: 1\n    d: 2\n  - - x\n    - y\n",
        "k: [a, b, {c: d, e: [1, 2]}, [], {}]\n",
        "k: { a: 1,\n  b: 2 }\n",
        "k: [\n  \"x\",\n  'y', # c\n  z\n]\n",
        "k: |\n  line1\n    line2\n\n  line3\n\nnext: 1\n",
        "k: |-\n  a\n  b\n",
        "k: |+\n  a\n\n\n",
        "k: >\n  one\n  two\n\n  three\nn: 2",
        "k: >-\n  folded\n  text\n",
        "k: \"esc \\\" \\\\ \\n \\t \\u00e9 \\x41\"\n",
        "k: 'it''s'\n",
        "\"quoted key\": v\n'single': w\n",
        "a: b # comment\n# full line\nc: d#not-comment\n",
        "a: http://x:80/path\nb: a:b\nc: -1\nd: ---\n",
        "---\na: 1\n---\n---\nb: 2\n",
        "# only a comment\n",
        "",
        "---\n",
        "a: 1\n---\n# nothing\n---\nb: 2\n",
        "- a\n- b\n",
        "plain root scalar\n",
        "a:\n",
        "a:   \nb:\n",
        "key with spaces: v\nkey  : spaced\n",
        "a: ünïcödé 值\n",
        "a:\n  - name: x\n    value: \"1\"\n  - name: y\n    valueFrom:\n      secretKeyRef: { name: s, key: k }\n",
        "spec:\n  containers:\n  - name: c\n    args: [\"--a\", \"--b=1\"]\n    command:\n    - sh\n    - -c\n    - |\n      echo hi\n      exit 0\n",
        // Shapes the fast reader declines (the general loader decides): anchors, tags, merge keys, multi-line scalars, errors.
        "a: &x 1\nb: *x\n",
        "base: &b {x: 1}\nd:\n  <<: *b\n",
        "a: !Ref b\n",
        "a: plain\n  continued\n",
        "a: \"quoted\n  continued\"\n",
        "a: b: c\n",
        "a:\n- b\n c\n",
        "\ta: 1\n",
        "a: 1\r\nb: 2\r\n",
        "a: |\r\n  x\r\n  y\r\nb: c\r\n",
        "a: long plain\n  text folded\n\n  with a break\nb: 1\n",
        "- item\n  continued   \n- next\n",
        "a: \"quoted \\\n  joined\n\n  folded  \n  end\"\n",
        "a: 'single\n  folded'\n",
        "a: [x, \"multi\n   line\"]\n",
        "%YAML 1.2\n---\na: 1\n",
        "? complex\n: key\n",
        "a: [1, 2\n",
        "a: |2\n   x\n",
        "a: |\n    \n  x\n",
        "a: >\n  x\n    more\n  y\n",
        "a: 1\n...\n",
        // Found by FastYamlReaderFuzzTests (each once read differently from YamlDotNet, or read where YamlDotNet fails):
        "- -1:\n",                               // compact map whose key starts with '-': not a nested sequence
        "- -1: x\n  -2: y\n",                    // the same with values
        "{e: x}\n---\n:x",                        // ':' after a flow collection is still an indicator for YamlDotNet, even past "---"
        "a: [t]\n::",                             // ... so a ':'-key on the next line is an error
        "a: [t]\n:x: 1\n",
        "a: [\"\",:x]",                            // ... and after a quoted scalar in flow
        "{a: \"\",:: {}}",
        "k: |\n  \n  n\n   \n",                   // literal with a spaces-only first line: YamlDotNet fails, the repair blanks lines
        "k: |\n  \n  n\nj: |\n  a\n   \n",         // ... including those of other block scalars
        "a *x: b\n",                              // " *" in a plain key: YamlDotNet reads the whole line as one scalar
        "{n: t,a *: .,s: t}",
        "a: |\n m\n ",                             // spaces at the end of the text after a block scalar: not a line
        "a: |+\n m\n ",
        "x\n#\n---\nx",                            // plain root scalar, comment, next document: YamlDotNet fails
        "a #\n---\nx",
        "{n\n: t}",                                // flow key with its ':' on the next line: an error for YamlDotNet
        "[\"\",\"\n...\t\"]",                        // "..." then a tab ends a quoted scalar (document marker)
        new string('k', 1023) + " :\n",          // the ':' of a simple key more than 1024 characters after its start
        "k:\n " + new string('k', 1030) + " : v\n",
        // Plain scalars folded by kubectl onto lines starting with '-' (read by the fast reader since the fuzz test).
        "- etcdctl --endpoints=https://[10.0.0.1]:2379\n  --cert=/c.crt\n  -x\n",
        "k: a\n  - b\n",
        "k: a\n  -\n",
        "- a\n  --- b\n  -- c\n",
    };

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Agrees_with_YamlDotNet_or_declines(string yaml)
    {
        var fast = FastYamlReader.TryRead(yaml, "f");
        if (fast == null) return;
        var general = YamlTreeLoader.LoadGeneral(yaml, "f");
        Assert.Null(TreeDifference.Between(fast, general));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n")]
    [InlineData("k: [a, {b: c}]\n")]
    [InlineData("k: |\n  text\n")]
    [InlineData("k: >-\n  a\n  b\n")]
    [InlineData("a: 1\n---\nb: 2\n")]
    [InlineData("list:\n- a: 1\n  b: 2\n")]
    [InlineData("a: 1\r\nb: |\r\n  x\r\n")]
    [InlineData("a: long plain\n  text folded\n\n  with a break\nb: 1\n")]
    [InlineData("a: \"quoted \\\n  joined\n\n  folded\"\n")]
    [InlineData("- -1: x\n")]
    [InlineData("addr: :8080\nb: [1]\nc: :9090\n")]
    [InlineData("a: |\n x\n \n")]
    [InlineData("- sh\n- etcdctl --endpoints=https://[10.0.0.1]:2379\n  --cert=/etc/c.crt --key=/etc/k.key\n  get foo\n")]
    public void Reads_the_everyday_shapes_itself(string yaml) => Assert.NotNull(FastYamlReader.TryRead(yaml, "f"));

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: !Sub x\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: \"unterminated\n")]
    [InlineData("a: {{ .Values.x }}\n")]
    [InlineData("a: [x]\n:b: 1\n")]
    [InlineData("k: |\n  \n  x\n")]
    public void Declines_what_the_general_loader_must_judge(string yaml) => Assert.Null(FastYamlReader.TryRead(yaml, "f"));

    [Fact]
    public void A_declined_file_leaves_nothing_in_the_shared_slot_chunk()
    {
        // Many maps first, then an alias at the very end: the reader has placed entries before it declines.
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"k{i}:\n  a: 1\n  b: 2\n")) + "last: *alias\n";
        var before = MapNode.SlotArena.Mark();
        Assert.Null(FastYamlReader.TryRead(text, "f"));
        var after = MapNode.SlotArena.Mark();
        Assert.Same(before.Chunk, after.Chunk);
        Assert.Equal(before.Used, after.Used);
        if (after.Chunk != null)
            Assert.All(after.Chunk.AsSpan(after.Used).ToArray(), slot => Assert.Null(slot.Value));
    }

    [Fact]
    public void A_file_the_fast_reader_declines_still_loads_through_the_general_path()
    {
        var result = YamlTreeLoader.Load("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", "f");
        Assert.Null(result.Error);
        var d = result.Documents[0].Root.AsMap!.GetMap("d")!;
        Assert.Equal("1", d.GetString("x"));
        Assert.Equal("2", d.GetString("y"));
    }
}
