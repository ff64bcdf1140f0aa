using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

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

    public static bool IsOperatorMap(JToken spec) =>
        spec is JObject o && o.Count > 0 && o.Properties().All(p => Operators.Contains(p.Name));

    /// <summary>Checks what can be checked before any request: operator argument types and regex syntax.</summary>
    public static void Validate(JToken spec, string where)
    {
        if (!IsOperatorMap(spec)) return;
        foreach (var p in ((JObject)spec).Properties())
        {
            var templated = p.Value.Type == JTokenType.String && Variables.HasPlaceholder((string)p.Value!);
            switch (p.Name)
            {
                case "exists" when p.Value.Type != JTokenType.Boolean:
                    throw FlowLoader.Error(p.Value, $"{where}: 'exists' takes true or false");
                case "type" when !Types.Contains(p.Value.ToString()):
                    throw FlowLoader.Error(p.Value, $"{where}: 'type' must be one of {string.Join(", ", Types)}");
                case "matches" when !templated:
                    try { _ = new Regex(p.Value.ToString()); }
                    catch (ArgumentException ex) { throw FlowLoader.Error(p.Value, $"{where}: invalid regular expression: {ex.Message}"); }
                    break;
                case "gt" or "gte" or "lt" or "lte" when !templated && p.Value.Type is not (JTokenType.Integer or JTokenType.Float):
                    throw FlowLoader.Error(p.Value, $"{where}: '{p.Name}' takes a number");
                case "in" when p.Value is not JArray:
                    throw FlowLoader.Error(p.Value, $"{where}: 'in' takes a list of values");
                case "not" or "length":
                    Validate(p.Value, where);
                    break;
            }
        }
    }

    /// <param name="actual">The value found, or null with <paramref name="present"/> false when nothing was there.</param>
    public static IReadOnlyList<MatchOutcome> Evaluate(JToken spec, JToken? actual, bool present)
    {
        if (!IsOperatorMap(spec))
            return [Equal(spec, actual, present)];
        return ((JObject)spec).Properties().Select(p => Apply(p.Name, p.Value, actual, present)).ToList();
    }

    private static MatchOutcome Apply(string op, JToken arg, JToken? actual, bool present)
    {
        if (op == "exists")
        {
            var want = arg.Value<bool>();
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
                return new MatchOutcome(((JArray)arg).Any(v => ValuesEqual(v, actual!)), Describe(op, arg));
            case "gt" or "gte" or "lt" or "lte":
                if (!TryNumber(actual!, out var a)) return new MatchOutcome(false, Describe(op, arg), "not a number");
                if (!TryNumber(arg, out var b)) return new MatchOutcome(false, Describe(op, arg), "the expected value is not a number");
                var passed = op switch { "gt" => a > b, "gte" => a >= b, "lt" => a < b, _ => a <= b };
                return new MatchOutcome(passed, Describe(op, arg));
            case "contains":
                return new MatchOutcome(Contains(actual!, arg), Describe(op, arg));
            case "matches":
                return new MatchOutcome(Regex.IsMatch(Variables.AsText(actual!), arg.ToString()), Describe(op, arg));
            case "type":
                return new MatchOutcome(TypeName(actual!) == arg.ToString() || (arg.ToString() == "number" && actual!.Type == JTokenType.Integer),
                    $"type {arg}", $"it is {TypeName(actual!)}");
            case "length":
                var length = Length(actual!);
                if (length == null) return new MatchOutcome(false, Describe(op, arg), $"a {TypeName(actual!)} has no length");
                var inner = Evaluate(arg, new JValue(length.Value), true);
                return new MatchOutcome(inner.All(o => o.Passed), "length " + string.Join(" and ", inner.Select(o => o.Expected)),
                    $"length is {length}");
            default:
                return new MatchOutcome(false, op, "unknown operator");
        }
    }

    private static MatchOutcome Equal(JToken expected, JToken? actual, bool present) =>
        !present
            ? new MatchOutcome(false, "== " + Show(expected), "nothing found at this path")
            : new MatchOutcome(ValuesEqual(expected, actual!), "== " + Show(expected));

    /// <summary>
    /// JSON equality with two allowances people expect: 1 equals 1.0, and a scalar compares by its
    /// text when the types differ (a header "5" equals 5, and a --var value "42" equals the number 42).
    /// </summary>
    public static bool ValuesEqual(JToken expected, JToken actual)
    {
        if (TryNumberStrict(expected, out var x) && TryNumberStrict(actual, out var y)) return x == y;
        if (expected is JValue ev && actual is JValue av && ev.Type != av.Type
            && ev.Type != JTokenType.Null && av.Type != JTokenType.Null)
            return Variables.AsText(ev) == Variables.AsText(av);
        if (expected is JArray ea && actual is JArray aa)
            return ea.Count == aa.Count && ea.Zip(aa).All(p => ValuesEqual(p.First, p.Second));
        if (expected is JObject eo && actual is JObject ao)
            return eo.Count == ao.Count && eo.Properties().All(p => ao.TryGetValue(p.Name, out var v) && ValuesEqual(p.Value, v));
        return JToken.DeepEquals(expected, actual);
    }

    private static bool Contains(JToken actual, JToken expected) => actual switch
    {
        JArray array => array.Any(item => ValuesEqual(expected, item)),
        JObject obj => obj.ContainsKey(Variables.AsText(expected)),
        _ => Variables.AsText(actual).Contains(Variables.AsText(expected), StringComparison.Ordinal),
    };

    private static int? Length(JToken actual) => actual switch
    {
        JArray a => a.Count,
        JObject o => o.Count,
        JValue { Type: JTokenType.String } s => ((string)s!).Length,
        _ => null,
    };

    public static string TypeName(JToken token) => token.Type switch
    {
        JTokenType.String or JTokenType.Date or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan => "string",
        JTokenType.Integer => "integer",
        JTokenType.Float => "number",
        JTokenType.Boolean => "boolean",
        JTokenType.Array => "array",
        JTokenType.Object => "object",
        _ => "null",
    };

    private static bool TryNumberStrict(JToken token, out decimal value)
    {
        value = 0;
        if (token.Type is JTokenType.Integer or JTokenType.Float)
        {
            try { value = token.Value<decimal>(); return true; }
            catch (OverflowException) { return false; }
        }
        return false;
    }

    private static bool TryNumber(JToken token, out double value)
    {
        value = 0;
        if (token.Type is JTokenType.Integer or JTokenType.Float) { value = token.Value<double>(); return true; }
        return token.Type == JTokenType.String &&
               double.TryParse((string)token!, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string Describe(string op, JToken arg) => $"{op} {DescribeSpec(arg)}";

    /// <summary>"gt 10 and lt 20" rather than {"gt":10,"lt":20}: the way a person would say it.</summary>
    public static string DescribeSpec(JToken spec) =>
        IsOperatorMap(spec)
            ? string.Join(" and ", ((JObject)spec).Properties().Select(p => $"{p.Name} {DescribeSpec(p.Value)}"))
            : Show(spec);

    public static string Show(JToken? token, int max = 200)
    {
        if (token == null) return "(nothing)";
        var text = token.ToString(Formatting.None);
        return text.Length <= max ? text : text[..max] + "...";
    }
}
