using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>One checked claim about a response: what was looked at, what was wanted, what was there.</summary>
public sealed record AssertionResult(string Subject, string Expected, string Actual, bool Passed, string? Why = null)
{
    public override string ToString() =>
        $"{Subject}: expected {Expected}, actual {Actual}{(Why != null ? $" ({Why})" : "")}";
}

public static class ExpectationEvaluator
{
    public static List<AssertionResult> Evaluate(Expectation expectation, HttpResponseData response, Variables vars)
    {
        var results = new List<AssertionResult>();
        if (expectation.Status is { } status)
        {
            // A list of statuses means "any of these", the common case for 200-or-204.
            var spec = status is JsonArray list ? new JsonObject { ["in"] = FlowJson.Copy(list) } : status;
            Add(results, "status", vars.Render(spec), JsonValue.Create(response.Status), true);
        }
        foreach (var (name, spec) in expectation.Headers)
        {
            var present = response.Headers.TryGetValue(name, out var value);
            Add(results, $"header {name}", vars.Render(spec), present ? JsonValue.Create(value) : null, present);
        }
        foreach (var (path, spec) in expectation.Json)
        {
            if (response.Json == null)
            {
                results.Add(new AssertionResult(path, Matcher.Show(spec), "(no JSON body)", false, "the response is not JSON"));
                continue;
            }
            var (found, present) = Select(response.Json, path);
            Add(results, path, vars.Render(spec), found, present);
        }
        if (expectation.Body is { } body)
            Add(results, "body", vars.Render(body), JsonValue.Create(response.Body), true);
        if (expectation.DurationMs is { } duration)
            Add(results, "durationMs", vars.Render(duration), JsonValue.Create((long)response.Duration.TotalMilliseconds), true);
        if (expectation.ExitCode is { } exitCode)
        {
            var spec = exitCode is JsonArray list ? new JsonObject { ["in"] = FlowJson.Copy(list) } : exitCode;
            Add(results, "exitCode", vars.Render(spec), response.ExitCode is { } c ? JsonValue.Create(c) : null, response.ExitCode != null);
        }
        if (expectation.Stdout is { } stdout)
            Add(results, "stdout", vars.Render(stdout), JsonValue.Create(response.Body), true);
        if (expectation.Stderr is { } stderr)
            Add(results, "stderr", vars.Render(stderr), JsonValue.Create(response.Stderr ?? ""), true);
        if (expectation.RowCount is { } rowCount)
            Add(results, "rowCount", vars.Render(rowCount), response.RowCount is { } n ? JsonValue.Create(n) : null, response.RowCount != null);
        return results;
    }

    /// <summary>JSONPath lookup. Several matches (`$..id`, `$.items[*]`) become one array, so `length` and `contains` work on them.</summary>
    public static (JsonNode? Value, bool Present) Select(JsonNode? json, string path)
    {
        List<JsonNode?> tokens;
        try { tokens = JsonPath.Select(json, path); }
        catch (JsonPathException ex) { throw new FlowFileException($"invalid JSONPath '{path}': {ex.Message}"); }
        return tokens.Count switch
        {
            0 => (null, false),
            1 when !path.Contains('*') && !path.Contains("..") && !path.Contains("?(") => (tokens[0], true),
            _ => (new JsonArray(tokens.Select(FlowJson.Copy).ToArray()), true),
        };
    }

    private static void Add(List<AssertionResult> results, string subject, JsonNode? spec, JsonNode? actual, bool present)
    {
        foreach (var outcome in Matcher.Evaluate(spec, actual, present))
            results.Add(new AssertionResult(subject, outcome.Expected, present ? Matcher.Show(actual) : "(absent)", outcome.Passed, outcome.Why));
    }
}

public static class CaptureEvaluator
{
    /// <summary>Returns the value, or null with a reason when the response does not hold it.</summary>
    public static (JsonNode? Value, string? Problem) Capture(CaptureSpec spec, HttpResponseData response)
    {
        JsonNode? value;
        switch (spec.Source)
        {
            case CaptureSource.Json:
                if (response.Json == null) return (null, "the response is not JSON");
                var (found, present) = ExpectationEvaluator.Select(response.Json, spec.Expression);
                if (!present) return (null, $"nothing at {spec.Expression}");
                value = found;
                break;
            case CaptureSource.Header:
                if (!response.Headers.TryGetValue(spec.Expression, out var header)) return (null, $"no header {spec.Expression}");
                value = JsonValue.Create(header);
                break;
            default:
                value = JsonValue.Create(response.Body);
                break;
        }
        if (spec.Regex == null) return (value, null);
        var match = Regex.Match(Variables.AsText(value), spec.Regex);
        if (!match.Success) return (null, $"regex {spec.Regex} did not match");
        return (JsonValue.Create(match.Groups.Count > 1 ? match.Groups[1].Value : match.Value), null);
    }
}
