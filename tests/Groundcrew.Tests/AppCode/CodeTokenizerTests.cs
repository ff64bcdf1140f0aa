using FluentAssertions;
using Groundcrew.Load.AppCode;
using Xunit;

namespace Groundcrew.Tests.AppCode;

public class CodeTokenizerTests
{
    private static List<Token> Js(string s) => CodeTokenizer.Tokenize(s, CodeDialect.JavaScript);

    [Fact]
    public void Comments_are_dropped_and_lines_counted()
    {
        var t = Js("// process.env.A\n/* process.env.B\n */ x /* y */ z");
        t.Select(x => (x.Text, x.Line, x.Column)).Should().Equal(("x", 3, 5), ("z", 3, 15));
    }

    [Fact]
    public void Strings_decode_escapes_and_stop_at_line_end_when_unterminated()
    {
        var t = Js("a = 'it\\'s'; b = \"x\nc");
        t.Where(x => x.Kind == TokenKind.String).Select(x => x.Value).Should().Equal("it's", "x");
        t.Last().Should().Match<Token>(x => x.Text == "c" && x.Line == 2);
    }

    [Fact]
    public void Template_literals_with_nested_substitutions()
    {
        var t = Js("const u = `postgres://${a ? `${b}x` : {c: 1}.c}/db`; next");
        t.Should().Contain(x => x.Kind == TokenKind.Identifier && x.Text == "b");
        t.Should().Contain(x => x.Kind == TokenKind.Identifier && x.Text == "c");
        t.Last().Text.Should().Be("next");
        t.Where(x => x.Kind == TokenKind.TemplatePart).Select(x => x.Value).Should().Equal("postgres://", "", "x", "/db");
        Js("`plain ${'}'}`").Last().Kind.Should().Be(TokenKind.TemplatePart);
        Js("`no subst`").Single().Should().Match<Token>(x => x.Kind == TokenKind.String && x.Value == "no subst");
    }

    [Fact]
    public void Multiline_template_keeps_line_numbers()
    {
        var t = Js("x = `a\nb\nc`\ny");
        t.Last().Line.Should().Be(4);
    }

    [Theory]
    [InlineData("x = a / b / c", 0)]
    [InlineData("x = /ab+c/g.test(s)", 1)]
    [InlineData("return /[/]x/.test(s)", 1)]
    [InlineData("f(a) / 2 / g", 0)]
    [InlineData("arr[0] / 2 / y", 0)]
    [InlineData("if (x) /re/.exec(y)", 0)]
    [InlineData("s.replace(/'/g, '')", 1)]
    public void Regex_vs_division(string code, int regexes)
    {
        Js(code).Count(x => x.Kind == TokenKind.Regex).Should().Be(regexes);
    }

    [Fact]
    public void A_quote_inside_a_regex_does_not_open_a_string()
    {
        var t = Js("s.replace(/\"/g, ''); process.env.X");
        t.Should().Contain(x => x.Text == "process");
    }

    [Fact]
    public void Decorators_and_operators()
    {
        var t = Js("@Inject('X') a?.b ?? c !== d => ...e");
        t.Select(x => x.Text).Should().Equal("@", "Inject", "(", "'X'", ")", "a", "?.", "b", "??", "c", "!==", "d", "=>", "...", "e");
    }

    [Fact]
    public void CSharp_strings_of_every_kind()
    {
        var t = CodeTokenizer.Tokenize("a = @\"c:\\x\"\"y\"; b = $\"{n} \\\"{m[\"k\"]}\"; c = \"\"\"\nraw \" text\n\"\"\"; d = 'x'; @class", CodeDialect.CSharp);
        t.Where(x => x.Kind == TokenKind.String).Select(x => x.Value).Should().Equal("c:\\x\"y", " \"", "\nraw \" text\n", "x");
        t.Last().Text.Should().Be("class");
    }

    [Fact]
    public void Go_raw_strings()
    {
        var t = CodeTokenizer.Tokenize("x := `a\n\"b`\ny := 'c'", CodeDialect.Go);
        t.Where(x => x.Kind == TokenKind.String).Select(x => x.Value).Should().Equal("a\n\"b", "c");
        t.Last().Line.Should().Be(3);
    }

    [Fact]
    public void Random_input_never_throws()
    {
        var rng = new Random(7);
        const string alphabet = "`'\"/\\*{}$()[]@#\n abf=!?.<>:";
        foreach (var dialect in Enum.GetValues<CodeDialect>())
            for (var n = 0; n < 1500; n++)
            {
                var chars = new char[rng.Next(0, 200)];
                for (var k = 0; k < chars.Length; k++) chars[k] = alphabet[rng.Next(alphabet.Length)];
                var s = new string(chars);
                var act = () => CodeTokenizer.Tokenize(s, dialect);
                act.Should().NotThrow(s);
                var act2 = () => PythonTokenizer.Tokenize(s);
                act2.Should().NotThrow(s);
            }
    }
}
