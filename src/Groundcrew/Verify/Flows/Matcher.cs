using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>One operator's verdict on one actual value.</summary>
public sealed record MatchOutcome(bool Passed, string Expected, string? Why = null);

/// <summary>
/// Compares an actual value with an expected spec. A spec is either a literal (compared with ==)
/// or a mapping whose keys are all operators (`{ gt: 0, lt: 10 }`); any other mapping is a literal
/// object. `eq:` forces a literal when an object happens to look like operators.
/// </summary>
public static class Matcher
{
    public static readonly IReadOnlySet<string> Operators =
        new HashSet<string> { "eq", "not", "gt", "gte", "lt", "lte", "contains", "matches", "exists", "type", "length", "in" };

    private static readonly HashSet<string> Types = ["string", "number", "integer", "boolean", "array", "object", "null"];

    public static bool IsOperatorMap(JsonNode? spec) =>
        spec is JsonObject o && o.Count > 0 && o.All(p => Operators.Contains(p.Key));

    /// <summary>Checks what can be checked before any request: operator argument types and regex syntax.</summary>
    public static void Validate(JsonNode? spec, string where)
    {
        if (!IsOperatorMap(spec)) return;
        var map = (JsonObject)spec!;
        foreach (var (name, value) in map)
        {
            var templated = FlowJson.IsString(value) && Variables.HasPlaceholder(value!.GetValue<string>());
            switch (name)
            {
                case "exists" when !FlowJson.IsBool(value):
                    throw FlowLoader.Error(map, name, $"{where}: 'exists' takes true or false");
                case "type" when !Types.Contains(Text(value)):
                    throw FlowLoader.Error(map, name, $"{where}: 'type' must be one of {string.Join(", ", Types)}");
                case "matches" when !templated:
                    try { _ = new Regex(Text(value)); }
                    catch (ArgumentException ex) { throw FlowLoader.Error(map, name, $"{where}: invalid regular expression: {ex.Message}"); }
                    break;
                case "gt" or "gte" or "lt" or "lte" when !templated && !FlowJson.IsNumber(value):
                    throw FlowLoader.Error(map, name, $"{where}: '{name}' takes a number");
                case "in" when value is not JsonArray:
                    throw FlowLoader.Error(map, name, $"{where}: 'in' takes a list of values");
                case "not" or "length":
                    Validate(value, where);
                    break;
            }
        }
    }

    /// <summary>A value as Json.NET's ToString() gave it: a string itself, anything else its JSON.</summary>
    private static string Text(JsonNode? value) =>
        value == null ? "" : FlowJson.IsScalar(value) ? FlowJson.ScalarText(value) : FlowJson.Compact(value);

    /// <param name="actual">The value found, or null with <paramref name="present"/> false when nothing was there.</param>
    public static IReadOnlyList<MatchOutcome> Evaluate(JsonNode? spec, JsonNode? actual, bool present)
    {
        if (!IsOperatorMap(spec))
            return [Equal(spec, actual, present)];
        return ((JsonObject)spec!).Select(p => Apply(p.Key, p.Value, actual, present)).ToList();
    }

    private static MatchOutcome Apply(string op, JsonNode? arg, JsonNode? actual, bool present)
    {
        if (op == "exists")
        {
            var want = FlowJson.Bool(arg);
            return new MatchOutcome(present == want, want ? "exists" : "does not exist");
        }
        if (op == "not")
        {
            var inner = Evaluate(arg, actual, present);
            var description = "not " + string.Join(" and ", inner.Select(o => o.Expected));
            return new MatchOutcome(!inner.All(o => o.Passed), description);
        }
        if (!present) return new MatchOutcome(false, Describe(op, arg), "nothing found at this path");

        switch (op)
        {
            case "eq":
                return Equal(arg, actual, present);
            case "in":
                return new MatchOutcome(((JsonArray)arg!).Any(v => ValuesEqual(v, actual)), Describe(op, arg));
            case "gt" or "gte" or "lt" or "lte":
                if (!TryNumber(actual, out var a)) return new MatchOutcome(false, Describe(op, arg), "not a number");
                if (!TryNumber(arg, out var b)) return new MatchOutcome(false, Describe(op, arg), "the expected value is not a number");
                var passed = op switch { "gt" => a > b, "gte" => a >= b, "lt" => a < b, _ => a <= b };
                return new MatchOutcome(passed, Describe(op, arg));
            case "contains":
                return new MatchOutcome(Contains(actual, arg), Describe(op, arg));
            case "matches":
                return new MatchOutcome(Regex.IsMatch(Variables.AsText(actual), Text(arg)), Describe(op, arg));
            case "type":
                return new MatchOutcome(TypeName(actual) == Text(arg) || (Text(arg) == "number" && FlowJson.IsInteger(actual)),
                    $"type {Text(arg)}", $"it is {TypeName(actual)}");
            case "length":
                var length = Length(actual);
                if (length == null) return new MatchOutcome(false, Describe(op, arg), $"a {TypeName(actual)} has no length");
                var inner = Evaluate(arg, JsonValue.Create((long)length.Value), true);
                return new MatchOutcome(inner.All(o => o.Passed), "length " + string.Join(" and ", inner.Select(o => o.Expected)),
                    $"length is {length}");
            default:
                return new MatchOutcome(false, op, "unknown operator");
        }
    }

    private static MatchOutcome Equal(JsonNode? expected, JsonNode? actual, bool present) =>
        !present
            ? new MatchOutcome(false, "== " + Show(expected), "nothing found at this path")
            : new MatchOutcome(ValuesEqual(expected, actual), "== " + Show(expected));

    /// <summary>
    /// JSON equality with two allowances people expect: 1 equals 1.0, and a scalar compares by its
    /// text when the types differ (a header "5" equals 5, and a --var value "42" equals the number 42).
    /// </summary>
    public static bool ValuesEqual(JsonNode? expected, JsonNode? actual)
    {
        if (TryNumberStrict(expected, out var x) && TryNumberStrict(actual, out var y)) return x == y;
        if (expected is JsonValue && actual is JsonValue && Kind(expected) != Kind(actual)
            && FlowJson.Kind(expected) != JsonValueKind.Null && FlowJson.Kind(actual) != JsonValueKind.Null)
            return Variables.AsText(expected) == Variables.AsText(actual);
        if (expected is JsonArray ea && actual is JsonArray aa)
            return ea.Count == aa.Count && ea.Zip(aa).All(p => ValuesEqual(p.First, p.Second));
        if (expected is JsonObject eo && actual is JsonObject ao)
            return eo.Count == ao.Count && eo.All(p => ao.TryGetPropertyValue(p.Key, out var v) && ValuesEqual(p.Value, v));
        return JsonNode.DeepEquals(expected, actual);
    }

    // Json.NET's token types: integer and float differ, true and false are one type (boolean).
    private static string Kind(JsonNode? node) => FlowJson.IsBool(node) ? "boolean" : TypeName(node);

    private static bool Contains(JsonNode? actual, JsonNode? expected) => actual switch
    {
        JsonArray array => array.Any(item => ValuesEqual(expected, item)),
        JsonObject obj => obj.ContainsKey(Variables.AsText(expected)),
        _ => Variables.AsText(actual).Contains(Variables.AsText(expected), StringComparison.Ordinal),
    };

    private static int? Length(JsonNode? actual) => actual switch
    {
        JsonArray a => a.Count,
        JsonObject o => o.Count,
        JsonValue s when FlowJson.IsString(s) => s.GetValue<string>().Length,
        _ => null,
    };

    public static string TypeName(JsonNode? token) => FlowJson.Kind(token) switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => FlowJson.IsInteger(token) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    private static bool TryNumberStrict(JsonNode? token, out decimal value) => FlowJson.TryDecimal(token, out value);

    private static bool TryNumber(JsonNode? token, out double value)
    {
        if (FlowJson.TryDouble(token, out value)) return true;
        return FlowJson.IsString(token) &&
               double.TryParse(token!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string Describe(string op, JsonNode? arg) => $"{op} {DescribeSpec(arg)}";

    /// <summary>"gt 10 and lt 20" rather than {"gt":10,"lt":20}: the way a person would say it.</summary>
    public static string DescribeSpec(JsonNode? spec) =>
        IsOperatorMap(spec)
            ? string.Join(" and ", ((JsonObject)spec!).Select(p => $"{p.Key} {DescribeSpec(p.Value)}"))
            : Show(spec);

    /// <summary>A value for a report. A JSON null is "null"; "(nothing)" is for no value at all (see the overload).</summary>
    public static string Show(JsonNode? token, int max = 200)
    {
        var text = FlowJson.Compact(token);
        return text.Length <= max ? text : text[..max] + "...";
    }
}
