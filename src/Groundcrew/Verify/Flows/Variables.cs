using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Groundcrew.Verify.Flows;

/// <summary>
/// The variables one flow sees: flow vars, then --vars files, then --var, then captures as the
/// flow runs. Values stay JSON tokens so a captured number is still a number in the next request body.
/// </summary>
public sealed partial class Variables
{
    private readonly Dictionary<string, JToken> _values = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _environment;

    public Variables(Func<string, string?>? environment = null) =>
        _environment = environment ?? Environment.GetEnvironmentVariable;

    public Variables Copy()
    {
        var copy = new Variables(_environment);
        foreach (var (k, v) in _values) copy._values[k] = v;
        return copy;
    }

    public void Set(string name, JToken value) => _values[name] = value;

    public bool TryGet(string name, out JToken value)
    {
        if (name.StartsWith("env.", StringComparison.Ordinal))
        {
            var env = _environment(name[4..]);
            value = env != null ? new JValue(env) : JValue.CreateNull();
            return env != null;
        }
        return _values.TryGetValue(name, out value!);
    }

    public IEnumerable<string> Names => _values.Keys;

    /// <summary>Replace every {{name}} in the text. Unknown names are a flow error: guessing would send a wrong request.</summary>
    public string Render(string text) =>
        Placeholder().Replace(text, m => AsText(Lookup(m.Groups["name"].Value)));

    /// <summary>
    /// Render every string inside a JSON value. A string that is exactly one placeholder becomes the
    /// variable's own value, so `id: "{{orderId}}"` sends 42, not "42", when 42 was captured as a number.
    /// </summary>
    public JToken Render(JToken token) => token switch
    {
        JValue { Type: JTokenType.String } v when Placeholder().Match((string)v!) is { Success: true } m && m.Length == ((string)v!).Length
            => Lookup(m.Groups["name"].Value).DeepClone(),
        JValue { Type: JTokenType.String } v => new JValue(Render((string)v!)),
        JObject o => new JObject(o.Properties().Select(p => new JProperty(p.Name, Render(p.Value)))),
        JArray a => new JArray(a.Select(Render)),
        _ => token.DeepClone(),
    };

    public static bool HasPlaceholder(string text) => Placeholder().IsMatch(text);

    private JToken Lookup(string name)
    {
        if (TryGet(name, out var value)) return value;
        if (name.StartsWith("env.", StringComparison.Ordinal))
            throw new FlowFileException($"environment variable '{name[4..]}' is not set (used as {{{{{name}}}}})");
        throw new FlowFileException($"variable '{name}' is not defined: set it in 'vars', with --var {name}=..., or capture it in an earlier step");
    }

    public static string AsText(JToken value) => value switch
    {
        JValue { Type: JTokenType.String } s => (string)s!,
        JValue { Type: JTokenType.Null } => "",
        JValue { Type: JTokenType.Boolean } b => (bool)b! ? "true" : "false",
        JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "",
        _ => value.ToString(Formatting.None),
    };

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
