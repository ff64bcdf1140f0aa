using FluentAssertions;
using Groundcrew.Verify.Flows;
using System.Text.Json.Nodes;
using Xunit;

namespace Groundcrew.Tests.Verify;

public class MatcherTests
{
    private static bool Passes(string specYaml, string actualJson, bool present = true) =>
        Matcher.Evaluate(YamlToJson.Parse(specYaml)!, present ? JsonNode.Parse(actualJson) : null, present).All(o => o.Passed);

    [Theory]
    [InlineData("OPEN", "\"OPEN\"", true)]
    [InlineData("OPEN", "\"open\"", false)]
    [InlineData("201", "201", true)]
    [InlineData("1", "1.0", true)]
    [InlineData("true", "true", true)]
    [InlineData("true", "false", false)]
    [InlineData("\"42\"", "42", true)]            // a --var string matches a number by text
    [InlineData("{ a: 1 }", "{\"a\":1}", true)]   // not operators: a literal object
    [InlineData("[1, 2]", "[1,2]", true)]
    [InlineData("{ not: FAILED }", "\"OPEN\"", true)]
    [InlineData("{ not: FAILED }", "\"FAILED\"", false)]
    [InlineData("{ gt: 0, lt: 10 }", "5", true)]
    [InlineData("{ gt: 0, lt: 10 }", "10", false)]
    [InlineData("{ gte: 10 }", "\"10\"", true)]
    [InlineData("{ lte: 3 }", "\"abc\"", false)]
    [InlineData("{ contains: pay }", "\"payment\"", true)]
    [InlineData("{ contains: 3 }", "[1,2,3]", true)]
    [InlineData("{ contains: id }", "{\"id\":1}", true)]
    [InlineData("{ matches: '^ord-[0-9]+$' }", "\"ord-77\"", true)]
    [InlineData("{ matches: '^ord-[0-9]+$' }", "\"ord-x\"", false)]
    [InlineData("{ type: string }", "\"x\"", true)]
    [InlineData("{ type: number }", "3", true)]
    [InlineData("{ type: integer }", "3.5", false)]
    [InlineData("{ type: array }", "[]", true)]
    [InlineData("{ length: 3 }", "[1,2,3]", true)]
    [InlineData("{ length: { gt: 2 } }", "\"abc\"", true)]
    [InlineData("{ length: 1 }", "5", false)]
    [InlineData("{ in: [OPEN, PAID] }", "\"PAID\"", true)]
    [InlineData("{ eq: { gt: 1 } }", "{\"gt\":1}", true)]  // eq forces a literal that looks like operators
    [InlineData("{ exists: true }", "null", true)]
    public void Operators_compare_the_way_the_docs_say(string spec, string actual, bool expected) =>
        Passes(spec, actual).Should().Be(expected);

    [Fact]
    public void Absent_values_only_satisfy_exists_false()
    {
        Passes("{ exists: false }", "", present: false).Should().BeTrue();
        Passes("{ exists: true }", "", present: false).Should().BeFalse();
        Passes("OPEN", "", present: false).Should().BeFalse();
        Passes("{ not: OPEN }", "", present: false).Should().BeTrue();
    }

    [Fact]
    public void A_failure_says_what_was_expected_in_words()
    {
        var outcome = Matcher.Evaluate(YamlToJson.Parse("{ length: { gt: 10 } }")!, JsonValue.Create("short"), true).Single();
        outcome.Passed.Should().BeFalse();
        outcome.Expected.Should().Be("length gt 10");
        outcome.Why.Should().Be("length is 5");
    }

    [Theory]
    [InlineData("{ exists: yes-please }", "'exists' takes true or false")]
    [InlineData("{ type: text }", "'type' must be one of")]
    [InlineData("{ matches: '([' }", "invalid regular expression")]
    [InlineData("{ gt: lots }", "'gt' takes a number")]
    public void Bad_operator_arguments_are_flow_errors(string spec, string message) =>
        FluentActions.Invoking(() => Matcher.Validate(YamlToJson.Parse(spec)!, "expect")).Should()
            .Throw<FlowFileException>().WithMessage($"*{message}*");
}

public class VariablesTests
{
    [Fact]
    public void A_whole_placeholder_keeps_the_captured_type_and_a_partial_one_becomes_text()
    {
        var vars = new Variables(_ => null);
        vars.Set("orderId", JsonValue.Create(42));
        var body = vars.Render(JsonNode.Parse("""{"id":"{{orderId}}","ref":"order-{{ orderId }}","n":[ "{{orderId}}" ]}"""));
        Matcher.TypeName(body!["id"]).Should().Be("integer");
        body["ref"]!.GetValue<string>().Should().Be("order-42");
        Matcher.TypeName(body["n"]![0]).Should().Be("integer");
    }

    [Fact]
    public void Environment_variables_are_read_through_env_prefix()
    {
        var vars = new Variables(name => name == "API_URL" ? "https://api.example" : null);
        vars.Render("{{env.API_URL}}/orders").Should().Be("https://api.example/orders");
        FluentActions.Invoking(() => vars.Render("{{env.MISSING}}")).Should().Throw<FlowFileException>().WithMessage("*'MISSING' is not set*");
    }

    [Fact]
    public void An_undefined_variable_is_an_error_not_an_empty_string() =>
        FluentActions.Invoking(() => new Variables(_ => null).Render("{{api}}/orders")).Should()
            .Throw<FlowFileException>().WithMessage("*'api' is not defined*--var api=*");

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1m30s", 90000)]
    [InlineData("1.5", 1500)]
    public void Durations_parse_as_people_write_them(string text, int ms)
    {
        Duration.TryParse(text, out var value).Should().BeTrue();
        value.TotalMilliseconds.Should().Be(ms);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5 minutes")]
    [InlineData("-1")]
    public void Nonsense_durations_are_rejected(string text) => Duration.TryParse(text, out _).Should().BeFalse();
}
