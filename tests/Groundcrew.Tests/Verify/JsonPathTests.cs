using System.Text.Json.Nodes;
using FluentAssertions;
using Groundcrew.Verify.Flows;
using Xunit;

namespace Groundcrew.Tests.Verify;

/// <summary>The JSONPath evaluator that replaced Json.NET's SelectTokens for `capture` and `expect.json`.</summary>
public class JsonPathTests
{
    private const string Doc = """
        {
          "id": 7,
          "name": "shop",
          "deletedAt": null,
          "odd key": "spaced",
          "items": [
            { "id": 1, "state": "OPEN", "price": 10.5, "tags": ["a"] },
            { "id": 2, "state": "SHIPPED", "price": 3 },
            { "id": 3, "state": "OPEN", "nested": { "id": 99 } }
          ],
          "meta": { "count": 3, "next": { "cursor": "c2" } }
        }
        """;

    private static List<string> Select(string path, string json = Doc) =>
        JsonPath.Select(JsonNode.Parse(json), path).Select(n => n?.ToJsonString() ?? "null").ToList();

    [Theory]
    [InlineData("$", 1)]
    [InlineData("$.id", 1)]
    [InlineData("$.items", 1)]
    [InlineData("$.missing", 0)]
    [InlineData("$.items.id", 0)]          // a member of an array: nothing
    [InlineData("$.meta[0]", 0)]           // an index into an object: nothing
    [InlineData("$.items[3]", 0)]          // past the end
    [InlineData("$.name.length", 0)]       // a member of a string
    [InlineData("$.name[0]", 0)]
    public void Counts_of_matches(string path, int count) => Select(path).Should().HaveCount(count);

    [Theory]
    [InlineData("$.id", "7")]
    [InlineData("$['name']", "\"shop\"")]
    [InlineData("$[\"name\"]", "\"shop\"")]
    [InlineData("$['odd key']", "\"spaced\"")]
    [InlineData("$.items[0].id", "1")]
    [InlineData("$.items[-1].id", "3")]
    [InlineData("$.items[1]['state']", "\"SHIPPED\"")]
    [InlineData("$.meta.next.cursor", "\"c2\"")]
    [InlineData("items[0].state", "\"OPEN\"")]  // the leading $ may be left out
    public void Single_values(string path, string expected) => Select(path).Should().Equal(expected);

    [Fact]
    public void A_null_member_is_present_with_the_value_null()
    {
        var found = JsonPath.Select(JsonNode.Parse(Doc), "$.deletedAt");
        found.Should().HaveCount(1);
        found[0].Should().BeNull();
    }

    [Theory]
    [InlineData("$.items[*].id", "1,2,3")]
    [InlineData("$.items.*.id", "1,2,3")]
    [InlineData("$.meta.*", "3,{\"cursor\":\"c2\"}")]
    [InlineData("$..id", "7,1,2,3,99")]                 // document order, each before what is inside it
    [InlineData("$..cursor", "\"c2\"")]
    [InlineData("$.items[0,2].id", "1,3")]
    [InlineData("$['name','id']", "\"shop\",7")]
    [InlineData("$.items[1:].id", "2,3")]
    [InlineData("$.items[:2].id", "1,2")]
    [InlineData("$.items[-2:].id", "2,3")]
    [InlineData("$.items[::2].id", "1,3")]
    [InlineData("$..items[0].id", "1")]
    [InlineData("$..[0]", "{\"id\":1,\"state\":\"OPEN\",\"price\":10.5,\"tags\":[\"a\"]},\"a\"")]
    public void Several_values(string path, string expected) =>
        string.Join(",", Select(path)).Should().Be(expected);

    [Fact]
    public void Recursive_wildcard_visits_every_value_below_the_root()
    {
        var all = Select("$..*", """{ "a": { "b": 1 }, "c": [2, { "d": null }] }""");
        all.Should().Equal("{\"b\":1}", "1", "[2,{\"d\":null}]", "2", "{\"d\":null}", "null");
    }

    [Theory]
    [InlineData("$.items[?(@.id == 2)].state", "\"SHIPPED\"")]
    [InlineData("$.items[?(@.state == 'OPEN')].id", "1,3")]
    [InlineData("$.items[?(@.state == \"OPEN\")].id", "1,3")]
    [InlineData("$.items[?(@.state != 'OPEN')].id", "2")]
    [InlineData("$.items[?(@.price > 5)].id", "1")]
    [InlineData("$.items[?(@.price <= 3)].id", "2")]
    [InlineData("$.items[?(@.price >= 3 && @.state == 'OPEN')].id", "1")]
    [InlineData("$.items[?(@.id == 1 || @.id == 3)].id", "1,3")]
    [InlineData("$.items[?(@.nested)].id", "3")]
    [InlineData("$.items[?(@.nested.id == 99)].state", "\"OPEN\"")]
    [InlineData("$.items[?( @.id==2 )].id", "2")]
    [InlineData("$.items[?(@.id == 2.0)].id", "2")]     // numbers compare by value
    [InlineData("$.items[?(@.id == '2')].id", "")]       // a string is not the number
    [InlineData("$.items[?(@.missing == 1)].id", "")]
    public void Filters(string path, string expected) =>
        string.Join(",", Select(path)).Should().Be(expected);

    [Theory]
    [InlineData("$.items[", "Path ended with open indexer.")]
    [InlineData("$.items[0", "Path ended with open indexer.")]
    [InlineData("$.items[?(@.id == 1]", "Unexpected character while parsing path query: ]")]
    [InlineData("$.items[?(@.id == 1)", "Path ended with open indexer.")]
    [InlineData("$.items[x]", "Unexpected character while parsing path indexer: x")]
    [InlineData("$.", "Unexpected end while parsing path.")]
    [InlineData("$.a b", "Unexpected character while parsing path: b")]
    [InlineData("$['a", "Path ended with an open string.")]
    [InlineData("$.items[::0]", "Step cannot be zero.")]
    public void Syntax_errors_say_what_is_wrong(string path, string message)
    {
        var act = () => JsonPath.Validate(path);
        act.Should().Throw<JsonPathException>().WithMessage(message);
        var select = () => JsonPath.Select(new JsonObject(), path);
        select.Should().Throw<JsonPathException>();
    }

    [Fact]
    public void Matches_are_the_nodes_of_the_document_not_copies()
    {
        var doc = JsonNode.Parse(Doc)!;
        JsonPath.Select(doc, "$.meta.next").Single().Should().BeSameAs(doc["meta"]!["next"]);
    }
}
