using FluentAssertions;
using Groundcrew.Verify.Flows;
using Xunit;

namespace Groundcrew.Tests.Verify;

public class ExpectationEvaluatorTests
{
    private static HttpResponseData Response(string body, int status = 200, params (string, string)[] headers) =>
        new(status, headers.ToDictionary(h => h.Item1, h => h.Item2, StringComparer.OrdinalIgnoreCase), body, TimeSpan.FromMilliseconds(120));

    private static List<AssertionResult> Evaluate(string expectYaml, HttpResponseData response)
    {
        var path = Path.Combine(Harness.TempDir(), "f.yaml");
        File.WriteAllText(path, $"steps:\n  - request: {{ url: http://x/ }}\n    expect: {expectYaml}\n");
        return ExpectationEvaluator.Evaluate(FlowLoader.Load(path).Steps[0].Expect!, response, new Variables(_ => null));
    }

    [Fact]
    public void Headers_are_matched_case_insensitively()
    {
        var results = Evaluate("{ headers: { content-type: { contains: json } } }", Response("{}", headers: ("Content-Type", "application/json; charset=utf-8")));
        results.Should().OnlyContain(r => r.Passed);
    }

    [Fact]
    public void A_path_matching_several_values_is_checked_as_an_array()
    {
        var body = """{"items":[{"id":1,"state":"OPEN"},{"id":2,"state":"OPEN"}]}""";
        Evaluate("""{ json: { "$.items[*].id": [1, 2], "$..state": { length: 2 }, "$.items[?(@.id == 2)].state": [OPEN] } }""", Response(body))
            .Should().OnlyContain(r => r.Passed);
    }

    [Fact]
    public void Json_assertions_on_a_non_JSON_body_fail_and_say_why()
    {
        var result = Evaluate("""{ json: { "$.ok": true } }""", Response("<html>502 Bad Gateway</html>", 502)).Single();
        result.Passed.Should().BeFalse();
        result.Why.Should().Be("the response is not JSON");
    }

    [Fact]
    public void Status_lists_body_and_duration_are_checked()
    {
        Evaluate("{ status: [200, 204], body: { contains: pong }, durationMs: { lt: 1000 } }", Response("pong"))
            .Should().OnlyContain(r => r.Passed);
        Evaluate("{ durationMs: { lt: 100 } }", Response("pong")).Single().Actual.Should().Be("120");
    }
}
