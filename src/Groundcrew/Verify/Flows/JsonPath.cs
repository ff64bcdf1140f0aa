using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Groundcrew.Verify.Flows;

/// <summary>A JSONPath that cannot be parsed. The message says what is wrong, as Json.NET's did.</summary>
public sealed class JsonPathException(string message) : Exception(message);

/// <summary>
/// The JSONPath the flows use for `capture` and `expect.json`, over <see cref="JsonNode"/> (it replaced Json.NET's
/// SelectTokens and keeps its results): <c>$</c>, <c>.name</c>, <c>['name']</c> / <c>["name"]</c>, <c>['a','b']</c>,
/// <c>[n]</c> (negative from the end), <c>[n,m]</c>, slices <c>[start:end:step]</c>, <c>.*</c> / <c>[*]</c>,
/// recursive descent <c>..name</c> / <c>..*</c>, and filters <c>[?(@.x == 'y')]</c> with == != &lt; &lt;= &gt; &gt;=,
/// &amp;&amp;, ||, parentheses and existence (<c>[?(@.x)]</c>). A member or index that is not there matches nothing.
/// Matches come in document order; a JSON null that matches is a null entry (present, with the value null).
/// </summary>
public static class JsonPath
{
    public static List<JsonNode?> Select(JsonNode? root, string path)
    {
        var steps = Parse(path);
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in steps) current = current.SelectMany(n => step(n)).ToList();
        return current.ToList();
    }

    /// <summary>Throws <see cref="JsonPathException"/> when the path does not parse.</summary>
    public static void Validate(string path) => _ = Parse(path);

    private delegate IEnumerable<JsonNode?> Step(JsonNode? node);

    private static List<Step> Parse(string path)
    {
        var p = new Parser(path);
        return p.Path();
    }

    private sealed class Parser(string text)
    {
        private int _i;

        public List<Step> Path()
        {
            var steps = new List<Step>();
            SkipSpace();
            if (_i < text.Length && (text[_i] == '$' || text[_i] == '@')) _i++;
            else if (_i < text.Length && text[_i] != '.' && text[_i] != '[') steps.Add(Member(Name()));
            while (_i < text.Length)
            {
                var c = text[_i];
                if (c == '.')
                {
                    if (_i + 1 < text.Length && text[_i + 1] == '.')
                    {
                        _i += 2;
                        if (_i < text.Length && text[_i] == '*') { _i++; steps.Add(Descendants(null)); }
                        else if (_i < text.Length && text[_i] == '[')
                        {
                            var inner = Indexer();
                            steps.Add(n => AllNodes(n).SelectMany(x => inner(x)));
                        }
                        else steps.Add(Descendants(Name()));
                        continue;
                    }
                    _i++;
                    if (_i < text.Length && text[_i] == '*') { _i++; steps.Add(Wildcard); continue; }
                    steps.Add(Member(Name()));
                }
                else if (c == '[') steps.Add(Indexer());
                else if (c is ' ' or '\t') break;
                else throw new JsonPathException($"Unexpected character while parsing path: {c}");
            }
            SkipSpace();
            if (_i < text.Length) throw new JsonPathException($"Unexpected character while parsing path: {text[_i]}");
            return steps;
        }

        /// <summary>For a filter: the path after @ stops at an operator, a space or a closing bracket.</summary>
        public List<Step> RelativePath()
        {
            var steps = new List<Step>();
            while (_i < text.Length)
            {
                var c = text[_i];
                if (c == '.' && _i + 1 < text.Length && text[_i + 1] == '.')
                {
                    _i += 2;
                    if (_i < text.Length && text[_i] == '*') { _i++; steps.Add(Descendants(null)); }
                    else steps.Add(Descendants(Name()));
                }
                else if (c == '.')
                {
                    _i++;
                    if (_i < text.Length && text[_i] == '*') { _i++; steps.Add(Wildcard); }
                    else steps.Add(Member(Name()));
                }
                else if (c == '[') steps.Add(Indexer());
                else break;
            }
            return steps;
        }

        private string Name()
        {
            var start = _i;
            while (_i < text.Length && text[_i] is not ('.' or '[' or ']' or ' ' or '\t' or '(' or ')' or '=' or '!' or '<' or '>' or '&' or '|' or ','))
                _i++;
            if (_i == start)
                throw new JsonPathException(_i < text.Length ? $"Unexpected character while parsing path: {text[_i]}" : "Unexpected end while parsing path.");
            return text[start.._i];
        }

        private Step Indexer()
        {
            _i++; // [
            SkipSpace();
            if (_i >= text.Length) throw new JsonPathException("Path ended with open indexer.");
            var c = text[_i];
            Step step;
            if (c == '*')
            {
                _i++;
                step = Wildcard;
            }
            else if (c is '\'' or '"')
            {
                var names = new List<string> { Quoted() };
                SkipSpace();
                while (_i < text.Length && text[_i] == ',') { _i++; SkipSpace(); names.Add(Quoted()); SkipSpace(); }
                step = names.Count == 1 ? Member(names[0]) : n => names.SelectMany(name => Member(name)(n)).ToList();
            }
            else if (c == '?')
            {
                _i++;
                SkipSpace();
                if (_i >= text.Length || text[_i] != '(') throw new JsonPathException($"Unexpected character while parsing path indexer: {(_i < text.Length ? text[_i] : '?')}");
                _i++;
                var filter = Or();
                SkipSpace();
                if (_i >= text.Length) throw new JsonPathException("Path ended with open query.");
                if (text[_i] != ')') throw new JsonPathException($"Unexpected character while parsing path query: {text[_i]}");
                _i++;
                step = n => Children(n).Where(child => filter(child)).ToList();
            }
            else if (char.IsAsciiDigit(c) || c is '-' or ':')
                step = IndexOrSlice();
            else throw new JsonPathException($"Unexpected character while parsing path indexer: {c}");
            SkipSpace();
            if (_i >= text.Length) throw new JsonPathException("Path ended with open indexer.");
            if (text[_i] != ']') throw new JsonPathException($"Unexpected character while parsing path indexer: {text[_i]}");
            _i++;
            return step;
        }

        private Step IndexOrSlice()
        {
            var parts = new List<int?> { Int() };
            var separator = (char)0;
            SkipSpace();
            while (_i < text.Length && text[_i] is ',' or ':')
            {
                if (separator != 0 && text[_i] != separator) throw new JsonPathException($"Unexpected character while parsing path indexer: {text[_i]}");
                separator = text[_i++];
                SkipSpace();
                parts.Add(Int());
                SkipSpace();
            }
            if (separator == ':')
            {
                if (parts.Count > 3) throw new JsonPathException("Unexpected character while parsing path indexer: :");
                var (start, end, by) = (parts[0], parts[1], parts.Count > 2 ? parts[2] : null);
                if (by == 0) throw new JsonPathException("Step cannot be zero.");
                return n => n is JsonArray a ? Slice(a, start, end, by ?? 1) : [];
            }
            if (parts.Any(x => x == null)) throw new JsonPathException("Unexpected character while parsing path indexer: ,");
            var indexes = parts.Select(x => x!.Value).ToList();
            return n => n is JsonArray a
                ? indexes.Select(i => i < 0 ? a.Count + i : i).Where(i => i >= 0 && i < a.Count).Select(i => a[i]).ToList()
                : [];
        }

        private int? Int()
        {
            var start = _i;
            if (_i < text.Length && text[_i] == '-') _i++;
            while (_i < text.Length && char.IsAsciiDigit(text[_i])) _i++;
            if (_i == start) return null;
            if (!int.TryParse(text.AsSpan(start, _i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new JsonPathException($"Could not read index: {text[start.._i]}");
            return value;
        }

        private static List<JsonNode?> Slice(JsonArray a, int? start, int? end, int by)
        {
            var n = a.Count;
            int Norm(int i) => i < 0 ? Math.Max(0, n + i) : Math.Min(n, i);
            var result = new List<JsonNode?>();
            if (by > 0)
                for (var i = start is { } s ? Norm(s) : 0; i < (end is { } e ? Norm(e) : n); i += by) result.Add(a[i]);
            else
                for (var i = start is { } s ? Math.Min(n - 1, s < 0 ? n + s : s) : n - 1; i > (end is { } e ? (e < 0 ? n + e : e) : -1) && i >= 0; i += by)
                    result.Add(a[i]);
            return result;
        }

        private string Quoted()
        {
            if (_i >= text.Length) throw new JsonPathException("Path ended with open indexer.");
            var quote = text[_i];
            if (quote is not ('\'' or '"')) throw new JsonPathException($"Unexpected character while parsing path indexer: {quote}");
            _i++;
            var sb = new System.Text.StringBuilder();
            while (_i < text.Length && text[_i] != quote)
            {
                if (text[_i] == '\\' && _i + 1 < text.Length) _i++;
                sb.Append(text[_i++]);
            }
            if (_i >= text.Length) throw new JsonPathException("Path ended with an open string.");
            _i++;
            return sb.ToString();
        }

        // ---- filters ----

        private Func<JsonNode?, bool> Or()
        {
            var left = And();
            while (true)
            {
                SkipSpace();
                if (!Take("||")) return left;
                var l = left; var r = And();
                left = n => l(n) || r(n);
            }
        }

        private Func<JsonNode?, bool> And()
        {
            var left = Comparison();
            while (true)
            {
                SkipSpace();
                if (!Take("&&")) return left;
                var l = left; var r = Comparison();
                left = n => l(n) && r(n);
            }
        }

        private Func<JsonNode?, bool> Comparison()
        {
            SkipSpace();
            if (_i < text.Length && text[_i] == '(')
            {
                _i++;
                var inner = Or();
                SkipSpace();
                if (!Take(")")) throw new JsonPathException("Path ended with open query.");
                return inner;
            }
            var left = Operand();
            SkipSpace();
            string? op = null;
            foreach (var candidate in new[] { "==", "!=", "<=", ">=", "<", ">" })
                if (Take(candidate)) { op = candidate; break; }
            if (op == null)
                return n => left(n).Count > 0; // existence: [?(@.x)]
            var right = Operand();
            return n =>
            {
                var a = left(n);
                var b = right(n);
                if (op == "!=") return !(a.Count > 0 && b.Count > 0 && a.Any(x => b.Any(y => Compare(x, y, "=="))));
                return a.Any(x => b.Any(y => Compare(x, y, op)));
            };
        }

        private Func<JsonNode?, List<JsonNode?>> Operand()
        {
            SkipSpace();
            if (_i >= text.Length) throw new JsonPathException("Path ended with open query.");
            var c = text[_i];
            if (c is '@' or '$')
            {
                _i++;
                var steps = RelativePath();
                var fromRoot = c == '$';
                if (fromRoot) throw new JsonPathException("A filter may only use paths from the current item (@).");
                return n =>
                {
                    IEnumerable<JsonNode?> current = [n];
                    foreach (var step in steps) current = current.SelectMany(x => step(x));
                    return current.ToList();
                };
            }
            JsonNode? literal;
            if (c is '\'' or '"') literal = JsonValue.Create(Quoted());
            else if (Take("true")) literal = JsonValue.Create(true);
            else if (Take("false")) literal = JsonValue.Create(false);
            else if (Take("null")) literal = null;
            else if (char.IsAsciiDigit(c) || c is '-' or '.')
            {
                var start = _i;
                _i++;
                while (_i < text.Length && (char.IsAsciiDigit(text[_i]) || text[_i] is '.' or 'e' or 'E' or '+' or '-')) _i++;
                if (!double.TryParse(text.AsSpan(start, _i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    throw new JsonPathException($"Could not read query value: {text[start.._i]}");
                literal = JsonValue.Create(d);
            }
            else throw new JsonPathException($"Unexpected character while parsing path query: {c}");
            return _ => [literal];
        }

        private bool Take(string token)
        {
            if (string.CompareOrdinal(text, _i, token, 0, token.Length) != 0) return false;
            _i += token.Length;
            return true;
        }

        private void SkipSpace()
        {
            while (_i < text.Length && text[_i] is ' ' or '\t') _i++;
        }
    }

    private static bool Compare(JsonNode? a, JsonNode? b, string op)
    {
        var ka = Kind(a);
        var kb = Kind(b);
        if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
        {
            var x = Number(a!);
            var y = Number(b!);
            return op switch { "==" => x == y, "<" => x < y, "<=" => x <= y, ">" => x > y, _ => x >= y };
        }
        if (ka == JsonValueKind.String && kb == JsonValueKind.String)
        {
            var c = string.CompareOrdinal(a!.GetValue<string>(), b!.GetValue<string>());
            return op switch { "==" => c == 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
        }
        if (op != "==") return false;
        return ka == kb && JsonNode.DeepEquals(a, b);
    }

    /// <summary>A number node's value, whether it was parsed or created from a CLR number.</summary>
    internal static double Number(JsonNode node) =>
        double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;

    /// <summary>The kind of a value held in a node, whichever way it was made (parsed or created from a CLR value).</summary>
    internal static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    private static IEnumerable<JsonNode?> Children(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => p.Value),
        JsonArray a => a,
        _ => [],
    };

    private static IEnumerable<JsonNode?> Wildcard(JsonNode? node) => Children(node).ToList();

    private static Step Member(string name) => node =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var value) ? [value] : [];

    /// <summary>Every value below the node in document order, each before its own descendants (the node itself not included).</summary>
    private static IEnumerable<JsonNode?> AllNodes(JsonNode? node)
    {
        yield return node;
        foreach (var d in Below(node)) yield return d;
    }

    private static IEnumerable<JsonNode?> Below(JsonNode? node)
    {
        foreach (var child in Children(node))
        {
            yield return child;
            foreach (var d in Below(child)) yield return d;
        }
    }

    private static Step Descendants(string? name) => node =>
    {
        if (name == null) return Below(node).ToList();
        var result = new List<JsonNode?>();
        Collect(node, name, result);
        return result;
    };

    private static void Collect(JsonNode? node, string name, List<JsonNode?> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == name) into.Add(value);
                    Collect(value, name, into);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Collect(item, name, into);
                break;
        }
    }
}
