using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>
/// The variables one flow sees: flow vars, then --vars files, then --var, then captures as the
/// flow runs. Values stay JSON tokens so a captured number is still a number in the next request body.
/// </summary>
public sealed partial class Variables
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _environment;

    public Variables(Func<string, string?>? environment = null) =>
        _environment = environment ?? Environment.GetEnvironmentVariable;

    public Variables Copy()
    {
        var copy = new Variables(_environment);
        foreach (var (k, v) in _values) copy._values[k] = v;
        return copy;
    }

    public void Set(string name, JsonNode? value) => _values[name] = value;

    public bool TryGet(string name, out JsonNode? value)
    {
        if (name.StartsWith("env.", StringComparison.Ordinal))
        {
            var env = _environment(name[4..]);
            value = env != null ? JsonValue.Create(env) : null;
            return env != null;
        }
        return _values.TryGetValue(name, out value);
    }

    public IEnumerable<string> Names => _values.Keys;

    /// <summary>Replace every {{name}} in the text. Unknown names are a flow error: guessing would send a wrong request.</summary>
    public string Render(string text) =>
        Placeholder().Replace(text, m => AsText(Lookup(m.Groups["name"].Value)));

    /// <summary>
    /// Render every string inside a JSON value. A string that is exactly one placeholder becomes the
    /// variable's own value, so `id: "{{orderId}}"` sends 42, not "42", when 42 was captured as a number.
    /// </summary>
    public JsonNode? Render(JsonNode? token)
    {
        switch (token)
        {
            case JsonValue v when FlowJson.IsString(v):
                var text = v.GetValue<string>();
                if (Placeholder().Match(text) is { Success: true } m && m.Length == text.Length)
                    return FlowJson.Copy(Lookup(m.Groups["name"].Value));
                return JsonValue.Create(Render(text));
            case JsonObject o:
                var obj = new JsonObject();
                foreach (var (key, value) in o) obj[key] = Render(value);
                return obj;
            case JsonArray a:
                return new JsonArray(a.Select(Render).ToArray());
            default:
                return FlowJson.Copy(token);
        }
    }

    public static bool HasPlaceholder(string text) => Placeholder().IsMatch(text);

    private JsonNode? Lookup(string name)
    {
        if (TryGet(name, out var value)) return value;
        if (name.StartsWith("env.", StringComparison.Ordinal))
            throw new FlowFileException($"environment variable '{name[4..]}' is not set (used as {{{{{name}}}}})");
        throw new FlowFileException($"variable '{name}' is not defined: set it in 'vars', with --var {name}=..., or capture it in an earlier step");
    }

    public static string AsText(JsonNode? value) => FlowJson.Kind(value) switch
    {
        JsonValueKind.String => value!.GetValue<string>(),
        JsonValueKind.Null => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => FlowJson.NumberText(value!),
        _ => FlowJson.Compact(value),
    };

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
