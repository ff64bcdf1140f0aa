using FluentAssertions;
using Groundcrew.Fuzz;
using Groundcrew.Load;
using Groundcrew.Verify.Flows;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Fuzz;

/// <summary>
/// The fuzz targets (fuzz/Groundcrew.Fuzz), uninstrumented: every input AFL ever found breaking a reader's contract,
/// saved in fuzz/regressions/TARGET/, and the hand-written seeds in fuzz/seeds/, must now pass it (no escaping
/// exception, positions inside the input, bounded time). A crash becomes a regression test by dropping its input
/// there (fuzz/README.md); the named tests below say, in words, what each one caught.
/// </summary>
public class FuzzRegressionTests
{
    public static TheoryData<string, string> SavedInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (folder, byName) in new[] { ("regressions", true), ("seeds", false) })
        {
            var root = Path.Combine(Repo.Root, "fuzz", folder);
            foreach (var dir in Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(dir);
                // regressions/ is named by target, seeds/ by kind of input (every target reading that kind replays it).
                var targets = byName ? Targets.All.Where(t => t.Name == name) : Targets.All.Where(t => t.SeedKind == name);
                foreach (var target in targets)
                    foreach (var file in Directory.EnumerateFiles(dir).OrderBy(f => f, StringComparer.Ordinal))
                        data.Add(target.Name, Path.GetRelativePath(Repo.Root, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SavedInputs))]
    public void Saved_fuzz_input_keeps_the_reader_contract(string target, string input)
    {
        var t = Targets.Find(target);
        t.Should().NotBeNull($"fuzz/regressions/{target} must be named after a target");
        var run = () => Targets.RunOne(t!, File.ReadAllBytes(Path.Combine(Repo.Root, input)));
        run.Should().NotThrow();
    }

    [Fact]
    public void Every_target_has_a_seed_kind_and_a_description()
    {
        Targets.All.Select(t => t.Name).Should().OnlyHaveUniqueItems();
        Targets.All.Should().OnlyContain(t => t.SeedKind.Length > 0 && t.What.Length > 0);
        Targets.All.Count.Should().BeGreaterThanOrEqualTo(19);
    }

    [Fact]
    public void The_contract_check_catches_a_position_outside_the_input()
    {
        // The harness itself must be able to fail, or the fuzzing proves nothing.
        var shape = new Contract.Shape("ab\ncd");
        var outside = () => Contract.Position(shape, 3, 1, "x");
        outside.Should().Throw<ContractViolation>();
        var pastEnd = () => Contract.Position(shape, 1, 4, "x");
        pastEnd.Should().Throw<ContractViolation>();
        var inside = () => Contract.Position(shape, 2, 3, "x");
        inside.Should().NotThrow();
    }

    // Found by AFL on the json target in its first minute: Json.NET reports the column after the character it failed
    // on, which for an error at the end of a line or of the text is past the line, so SARIF pointed outside the file.
    [Theory]
    [InlineData("f\n:r")]
    [InlineData("I\n /\"")]
    [InlineData("u\n ")]
    [InlineData("{\"a\": ")]
    [InlineData("[1,\n")]
    public void Json_error_position_lies_inside_the_text(string json)
    {
        var error = JsonTreeLoader.Load(json, "f.json").Error;
        error.Should().NotBeNull();
        var lines = json.Split('\n');
        error!.Line.Should().BeInRange(1, lines.Length);
        error.Column.Should().BeInRange(1, lines[error.Line - 1].Length + 1, $"line {error.Line} of {json.Replace("\n", "\\n")}");
    }

    // Found by AFL on the yaml and cfn targets (CI, 2026-12-06): at the end of a stream YamlDotNet moves its mark to a
    // line after the last one, so an error in a file without a final newline, or an empty node at its end, pointed
    // past the file.
    [Theory]
    [InlineData("{{ include \"ca")]
    [InlineData("a: \"open")]
    [InlineData("a:\n  - [x,\n")]
    [InlineData("? ")]
    public void Yaml_positions_at_the_end_of_the_stream_lie_inside_the_text(string yaml)
    {
        var result = YamlTreeLoader.LoadGeneral(yaml, "f.yaml");
        var lines = yaml.Split('\n');
        var positions = result.Documents.SelectMany(d => d.Root.Descendants()).Select(n => (n.Span.StartLine, n.Span.StartColumn)).ToList();
        if (result.Error is { } e) positions.Add((e.Line, e.Column));
        positions.Should().NotBeEmpty();
        foreach (var (line, column) in positions)
        {
            line.Should().BeInRange(1, lines.Length, yaml);
            column.Should().BeInRange(1, lines[line - 1].Length + 1, yaml);
        }
    }

    // Found by AFL on the json target in a 60 s run (2026-12-06): a `//` comment where a value belongs, as the last thing
    // in the text, left Json.NET's token a Comment after Read() returned false, and the reader looped on it for ever.
    [Theory]
    [InlineData("{\"a\": // c")]
    [InlineData("{\n\t\"Version\"://C// \"x\": [{\n\t\t")]
    [InlineData("[1, /* c */")]
    public void Json_comment_where_a_value_belongs_at_the_end_is_an_error_not_a_hang(string json)
    {
        var load = Task.Run(() => JsonTreeLoader.Load(json, "f.json"));
        load.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the reader must finish");
        load.Result.Error.Should().NotBeNull();
        load.Result.Error!.Line.Should().BeInRange(1, json.Split('\n').Length);
    }

    // Found by AFL on the cfn target (2026-12-06): the leniency repair for a quoted scalar whose continuation line is
    // indented too little indents that line further and loads again, and the spans then used the repaired columns: the
    // end of a multi-line `!Sub "..."` pointed past the end of the user's line.
    [Fact]
    public void Yaml_repaired_quoted_continuation_keeps_spans_inside_the_users_lines()
    {
        // The continuation line is indented no more than its key: YamlDotNet refuses it, kubectl and the repair accept it.
        const string yaml = "Resources:\n  Alb:\n    Properties:\n      Name: !Sub \"${AWS::StackName\n      Scheme: me}-a-name-we-cannot-know-before-deploy\"\n";
        var result = YamlTreeLoader.LoadGeneral(yaml, "t.yaml");
        result.Error.Should().BeNull("the repair makes the file load");
        var lines = yaml.Split('\n');
        result.Documents.Should().ContainSingle();
        foreach (var n in result.Documents[0].Root.Descendants())
        {
            n.Span.EndLine.Should().BeInRange(1, lines.Length);
            if (n.Span.EndLine > 0 && n.Span.EndColumn > 0)
                n.Span.EndColumn.Should().BeLessThanOrEqualTo(lines[n.Span.EndLine - 1].Length + 1, $"{n.Path} ends at {n.Span.EndLine}:{n.Span.EndColumn}");
        }
    }

    // Found by AFL on the flow target (2026-12-06): a flow file that ends inside a flow mapping made YamlDotNet report
    // the error on a line after the last one, and `verify` named a line the file does not have.
    [Fact]
    public void Flow_file_error_at_the_end_of_the_stream_names_a_line_of_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("gc-flow-");
        try
        {
            const string text = "steps:\n  - name: login\n    http:\n      url: x\n      json: { user: \"a\"";
            var file = Path.Combine(dir.FullName, "flow.yaml");
            File.WriteAllText(file, text);
            var load = () => FlowLoader.Load(file);
            var error = load.Should().Throw<FlowFileException>().Which;
            error.Line.Should().NotBeNull().And.BeInRange(1, text.Split('\n').Length);
        }
        finally { dir.Delete(true); }
    }
}
