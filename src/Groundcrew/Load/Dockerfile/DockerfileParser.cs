using System.Text;
using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Load.Dockerfile;

/// <summary>
/// Reads a Dockerfile the way BuildKit does: parser directives at the top, comment lines, line continuations
/// with the escape character (<c>\</c> or the one set by <c># escape=</c>), heredocs for RUN/COPY/ADD,
/// exec (JSON) versus shell form, flags, ENV/ARG/LABEL pairs and build stages.
/// It never throws: anything it cannot read becomes a <see cref="DockerfileProblem"/> and parsing goes on.
/// </summary>
public static class DockerfileParser
{
    /// <summary>Instructions Docker knows. Anything else is reported as a problem (BuildKit refuses it).</summary>
    public static readonly IReadOnlySet<string> KnownInstructions = new HashSet<string>(StringComparer.Ordinal)
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
        "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    private static readonly HashSet<string> HeredocInstructions = new(StringComparer.Ordinal) { "RUN", "COPY", "ADD" };
    private static readonly HashSet<string> FlagInstructions = new(StringComparer.Ordinal) { "FROM", "RUN", "COPY", "ADD", "HEALTHCHECK" };
    private static readonly HashSet<string> JsonFormInstructions = new(StringComparer.Ordinal) { "RUN", "CMD", "ENTRYPOINT", "SHELL", "VOLUME", "COPY", "ADD", "HEALTHCHECK" };
    private static readonly Regex DirectiveLine = new(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex HeredocWord = new(@"^(\d*)<<(-?)(['""]?)([A-Za-z0-9_.\-]+)\3$", RegexOptions.CultureInvariant);

    /// <summary>Read and parse a file. Throws <see cref="LoadException"/> only for unreadable, oversized or binary files.</summary>
    public static DockerfileDocument ParseFile(string path, string displayPath, long maxBytes = 10_000_000)
    {
        var text = FileReader.Read(path, maxBytes);
        return Parse(text.Content, displayPath);
    }

    public static DockerfileDocument Parse(string text, string file = "Dockerfile", IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        text ??= "";
        var lines = SplitLines(text);
        var directives = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<DockerfileProblem>();
        var comments = new List<DockerComment>();
        var instructions = new List<DockerInstruction>();
        var escape = '\\';

        // Parser directives: only at the very top, before any comment, blank line or instruction.
        var i = 0;
        for (; i < lines.Length; i++)
        {
            var m = DirectiveLine.Match(lines[i].Trim());
            if (!m.Success) break;
            var key = m.Groups[1].Value.ToLowerInvariant();
            if (key is not ("syntax" or "escape" or "check")) break; // an unknown directive is a comment and ends the block
            if (directives.ContainsKey(key)) { problems.Add(new(i + 1, $"parser directive '{key}' set twice")); break; }
            directives[key] = m.Groups[2].Value;
            comments.Add(new(i + 1, lines[i].Trim()));
            if (key == "escape")
            {
                var v = m.Groups[2].Value;
                if (v == "`") escape = '`';
                else if (v == "\\") escape = '\\';
                else problems.Add(new(i + 1, $"invalid escape directive '{v}': must be ` or \\"));
            }
        }

        while (i < lines.Length)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0) { i++; continue; }
            if (trimmed[0] == '#') { comments.Add(new(i + 1, trimmed)); i++; continue; }

            // Gather the logical line: continuation lines end with the escape character.
            var startLine = i + 1;
            var sb = new StringBuilder();
            var map = new List<(int Offset, int Line)>();
            var endLine = startLine;
            var first = true;
            while (i < lines.Length)
            {
                var physical = lines[i];
                var t = physical.TrimStart();
                if (!first && (t.Length == 0 || t[0] == '#'))
                {
                    // Empty and comment lines inside a continuation are skipped by Docker.
                    if (t.Length > 0) comments.Add(new(i + 1, t));
                    i++;
                    continue;
                }
                var content = first ? physical.TrimStart() : physical;
                var (body, continues) = StripContinuation(content, escape);
                map.Add((sb.Length, i + 1));
                sb.Append(body);
                endLine = i + 1;
                i++;
                first = false;
                if (!continues) break;
                if (i >= lines.Length) problems.Add(new(endLine, "the last line ends with a line continuation"));
            }

            var logical = sb.ToString();
            var instr = BuildInstruction(logical, map, startLine, ref endLine, lines, ref i, file, escape, problems, nested: false);
            if (instr != null) instructions.Add(instr);
        }

        var (stages, globalArgs) = BuildStages(instructions, buildArgs, escape, problems);
        return new DockerfileDocument
        {
            File = file, Directives = directives, EscapeChar = escape, Instructions = instructions,
            Stages = stages, GlobalArgs = globalArgs, Problems = problems, Comments = comments,
        };
    }

    private static string[] SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        // A trailing newline does not make an extra line.
        if (lines.Length > 1 && lines[^1].Length == 0) Array.Resize(ref lines, lines.Length - 1);
        return lines;
    }

    private static (string Body, bool Continues) StripContinuation(string line, char escape)
    {
        var end = line.Length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
        if (end > 0 && line[end - 1] == escape)
        {
            // An escaped escape (\\) at the end is not a continuation.
            var count = 0;
            for (var k = end - 1; k >= 0 && line[k] == escape; k--) count++;
            if (count % 2 == 1) return (line[..(end - 1)], true);
        }
        return (line, false);
    }

    private static DockerInstruction? BuildInstruction(string logical, List<(int Offset, int Line)> map, int startLine, ref int endLine,
        string[] lines, ref int next, string file, char escape, List<DockerfileProblem> problems, bool nested)
    {
        var pos = 0;
        while (pos < logical.Length && char.IsWhiteSpace(logical[pos])) pos++;
        var kwStart = pos;
        while (pos < logical.Length && !char.IsWhiteSpace(logical[pos])) pos++;
        var keywordRaw = logical[kwStart..pos];
        if (keywordRaw.Length == 0) return null;
        var keyword = keywordRaw.ToUpperInvariant();
        while (pos < logical.Length && char.IsWhiteSpace(logical[pos])) pos++;
        var args = logical[pos..].TrimEnd();
        var argMap = ShiftMap(map, pos);

        if (!KnownInstructions.Contains(keyword))
        {
            problems.Add(new(startLine, $"unknown instruction '{Clip(keywordRaw)}'"));
            keyword = keywordRaw;
        }

        if (keyword == "ONBUILD" && !nested)
        {
            var innerEnd = endLine;
            var inner = BuildInstruction(args, argMap, startLine, ref innerEnd, lines, ref next, file, escape, problems, nested: true);
            endLine = Math.Max(endLine, innerEnd);
            return new DockerInstruction
            {
                Keyword = keyword, Arguments = args, ArgumentsWithoutFlags = args, OnBuild = inner,
                StartLine = startLine, EndLine = endLine, LineMap = argMap,
                Span = new SourceSpan(file, startLine, 1, endLine, 0),
            };
        }

        var flags = new List<DockerFlag>();
        var rest = args;
        var restOffset = 0;
        if (FlagInstructions.Contains(keyword))
        {
            while (true)
            {
                var p = restOffset;
                while (p < args.Length && char.IsWhiteSpace(args[p])) p++;
                if (p + 2 > args.Length || args[p] != '-' || args[p + 1] != '-') break;
                var (word, after) = ReadWord(args, p, escape);
                var eq = word.IndexOf('=');
                var name = (eq < 0 ? word[2..] : word[2..eq]);
                if (name.Length == 0) break;
                flags.Add(new DockerFlag(name, eq < 0 ? null : word[(eq + 1)..], LineOf(argMap, p, startLine)));
                restOffset = after;
            }
            while (restOffset < args.Length && char.IsWhiteSpace(args[restOffset])) restOffset++;
            rest = args[restOffset..];
        }

        // Exec form: a JSON array of strings. Anything that does not parse as one is shell form.
        List<string>? json = null;
        if (JsonFormInstructions.Contains(keyword))
        {
            var jsonText = rest;
            if (keyword == "HEALTHCHECK")
            {
                var m = Regex.Match(rest, @"^CMD\s+", RegexOptions.IgnoreCase);
                jsonText = m.Success ? rest[m.Length..] : "";
            }
            json = TryParseJsonArray(jsonText);
        }

        // Heredocs: their bodies are the lines after the instruction.
        var heredocs = new List<DockerHeredoc>();
        if (HeredocInstructions.Contains(keyword) && json == null && rest.Contains("<<", StringComparison.Ordinal))
        {
            foreach (var (name, strip, quoted) in FindHeredocNames(rest, escape))
            {
                var bodyStart = next + 1;
                var body = new StringBuilder();
                var terminated = false;
                while (next < lines.Length)
                {
                    var l = lines[next];
                    var cmp = strip ? l.TrimStart('\t') : l;
                    next++;
                    if (cmp == name) { terminated = true; break; }
                    body.Append(strip ? l.TrimStart('\t') : l).Append('\n');
                }
                var bodyEnd = terminated ? next - 1 : next;
                if (!terminated) problems.Add(new(startLine, $"heredoc '{Clip(name)}' is never closed: no line '{Clip(name)}' follows"));
                heredocs.Add(new DockerHeredoc(name, body.ToString(), bodyStart, Math.Max(bodyStart, bodyEnd), strip, quoted, terminated));
                endLine = Math.Max(endLine, next);
            }
        }

        var kvs = keyword switch
        {
            "ENV" => ParsePairs(rest, restOffset, argMap, startLine, escape, allowLegacy: true, problems),
            "LABEL" => ParsePairs(rest, restOffset, argMap, startLine, escape, allowLegacy: true, problems),
            "ARG" => ParsePairs(rest, restOffset, argMap, startLine, escape, allowLegacy: false, problems),
            _ => (IReadOnlyList<DockerKeyValue>)[],
        };

        return new DockerInstruction
        {
            Keyword = keyword, Arguments = args, ArgumentsWithoutFlags = rest, Flags = flags,
            IsJsonForm = json != null, JsonArguments = json, Heredocs = heredocs, KeyValues = kvs,
            StartLine = startLine, EndLine = endLine, LineMap = argMap,
            Span = new SourceSpan(file, startLine, 1, endLine, 0),
        };
    }

    private static List<(int Offset, int Line)> ShiftMap(List<(int Offset, int Line)> map, int shift)
    {
        var result = new List<(int, int)>(map.Count);
        foreach (var (o, l) in map)
        {
            var n = o - shift;
            if (n <= 0 && result.Count > 0 && result[^1].Item1 == 0) result[^1] = (0, l);
            else if (n <= 0) result.Add((0, l));
            else result.Add((n, l));
        }
        return result;
    }

    /// <summary>Line of the last map entry at or before <paramref name="offset"/> (binary search: maps can have thousands of lines).</summary>
    internal static int LineOf(IReadOnlyList<(int Offset, int Line)> map, int offset, int fallback)
    {
        int lo = 0, hi = map.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (map[mid].Offset <= offset) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found < 0 ? fallback : map[found].Line;
    }

    /// <summary>One shell-like word starting at <paramref name="start"/>, quotes and escapes removed; returns the offset after it.</summary>
    internal static (string Word, int After) ReadWord(string s, int start, char escape)
    {
        var sb = new StringBuilder();
        var p = start;
        char quote = '\0';
        while (p < s.Length)
        {
            var c = s[p];
            if (quote == '\0' && char.IsWhiteSpace(c)) break;
            if (c == escape && quote != '\'' && p + 1 < s.Length)
            {
                sb.Append(s[p + 1]);
                p += 2;
                continue;
            }
            if (quote == '\0' && (c == '"' || c == '\'')) { quote = c; p++; continue; }
            if (quote != '\0' && c == quote) { quote = '\0'; p++; continue; }
            sb.Append(c);
            p++;
        }
        return (sb.ToString(), p);
    }

    private static IEnumerable<(string Name, bool Strip, bool Quoted)> FindHeredocNames(string rest, char escape)
    {
        // Split into raw words (quotes kept) outside of quoted strings.
        var p = 0;
        while (p < rest.Length)
        {
            while (p < rest.Length && char.IsWhiteSpace(rest[p])) p++;
            if (p >= rest.Length) yield break;
            var start = p;
            char quote = '\0';
            while (p < rest.Length)
            {
                var c = rest[p];
                if (quote == '\0' && char.IsWhiteSpace(c)) break;
                if (c == escape && quote != '\'' && p + 1 < rest.Length) { p += 2; continue; }
                if (quote == '\0' && (c == '"' || c == '\'')) quote = c;
                else if (quote != '\0' && c == quote) quote = '\0';
                p++;
            }
            var raw = rest[start..p];
            var idx = raw.IndexOf("<<", StringComparison.Ordinal);
            if (idx < 0) continue;
            // "cmd<<EOF" and "2<<EOF" are still heredocs in a shell word; take from the << on.
            var candidate = raw[idx..];
            var m = HeredocWord.Match(candidate);
            if (!m.Success) continue;
            yield return (m.Groups[4].Value, m.Groups[2].Value == "-", m.Groups[3].Value.Length > 0);
        }
    }

    private static List<string>? TryParseJsonArray(string text)
    {
        var t = text.Trim();
        if (t.Length < 2 || t[0] != '[' || t[^1] != ']') return null;
        // Strict JSON (double quotes only), like Docker: ['a'] is shell form.
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(t);
            if (json.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array) return null;
            var result = new List<string>();
            foreach (var item in json.RootElement.EnumerateArray())
            {
                if (item.ValueKind != System.Text.Json.JsonValueKind.String) return null;
                result.Add(item.GetString() ?? "");
            }
            return result;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// ENV/LABEL/ARG pairs. <c>KEY=value KEY2="two words"</c>; for ENV and LABEL the legacy form
    /// <c>KEY value with spaces</c> (no '=' in the first word) takes the whole rest of the line as the value.
    /// </summary>
    private static IReadOnlyList<DockerKeyValue> ParsePairs(string rest, int restOffset, IReadOnlyList<(int Offset, int Line)> map, int startLine,
        char escape, bool allowLegacy, List<DockerfileProblem> problems)
    {
        var result = new List<DockerKeyValue>();
        var p = 0;
        while (p < rest.Length && char.IsWhiteSpace(rest[p])) p++;
        if (p >= rest.Length) return result;

        var (firstWord, firstAfter) = ReadWord(rest, p, escape);
        if (allowLegacy && !RawHasEqualsBeforeSpace(rest, p))
        {
            var value = rest[firstAfter..].Trim();
            if (value.Length == 0) problems.Add(new(LineOf(map, restOffset + p, startLine), $"'{Clip(firstWord)}' has no value: write {Clip(firstWord)}=value"));
            result.Add(new DockerKeyValue(firstWord, Unquote(value, escape), LineOf(map, restOffset + p, startLine)));
            return result;
        }
        while (p < rest.Length)
        {
            while (p < rest.Length && char.IsWhiteSpace(rest[p])) p++;
            if (p >= rest.Length) break;
            var wordStart = p;
            var (word, after) = ReadWord(rest, p, escape);
            p = after;
            var line = LineOf(map, restOffset + wordStart, startLine);
            var eq = RawEqualsIndex(rest, wordStart, after);
            if (eq < 0)
            {
                if (allowLegacy) problems.Add(new(line, $"'{Clip(word)}' has no '=': ENV/LABEL need KEY=value pairs once the first pair uses '='"));
                result.Add(new DockerKeyValue(word, null, line));
                continue;
            }
            var key = rest[wordStart..eq];
            var (val, _) = ReadWord(rest, eq + 1, escape);
            if (eq + 1 >= after) val = "";
            result.Add(new DockerKeyValue(key, val, line));
        }
        return result;
    }

    private static bool RawHasEqualsBeforeSpace(string s, int start) => RawEqualsIndex(s, start, s.Length) >= 0 && RawEqualsIndex(s, start, s.Length) < FirstSpace(s, start);

    private static int FirstSpace(string s, int start)
    {
        for (var k = start; k < s.Length; k++) if (char.IsWhiteSpace(s[k])) return k;
        return s.Length;
    }

    private static int RawEqualsIndex(string s, int start, int end)
    {
        for (var k = start; k < end && k < s.Length; k++)
        {
            if (s[k] == '=') return k;
            if (s[k] is '"' or '\'' || char.IsWhiteSpace(s[k])) return -1;
        }
        return -1;
    }

    private static string Unquote(string value, char escape)
    {
        if (value.Length == 0) return value;
        // The legacy form keeps the rest of the line; drop quotes and escapes like the shell-word reader, keeping spaces.
        var sb = new StringBuilder();
        var p = 0;
        while (p < value.Length)
        {
            var (w, after) = ReadWord(value, p, escape);
            sb.Append(w);
            var q = after;
            while (q < value.Length && char.IsWhiteSpace(value[q])) q++;
            if (q > after && q < value.Length) sb.Append(value, after, q - after);
            p = q > p ? q : p + 1;
        }
        return sb.ToString();
    }

    private static (List<DockerStage>, List<DockerKeyValue>) BuildStages(List<DockerInstruction> instructions,
        IReadOnlyDictionary<string, string>? buildArgs, char escape, List<DockerfileProblem> problems)
    {
        var stages = new List<DockerStage>();
        var globalArgs = new List<DockerKeyValue>();
        var argValues = new Dictionary<string, string?>(StringComparer.Ordinal);
        DockerStage? current = null;
        foreach (var ins in instructions)
        {
            if (ins.Keyword == "FROM")
            {
                var rest = ins.ArgumentsWithoutFlags;
                var words = SplitWords(rest, escape);
                var image = words.Count > 0 ? words[0] : "";
                string? name = null;
                if (words.Count == 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase)) name = words[2];
                else if (words.Count != 1) problems.Add(new(ins.StartLine, words.Count == 0 ? "FROM needs an image" : $"FROM expects 'image [AS name]', got '{Clip(rest)}'"));
                var resolved = Substitute(image, argValues, escape);
                DockerStage? baseStage = null;
                if (resolved != null)
                    baseStage = stages.FirstOrDefault(s => s.Name != null && string.Equals(s.Name, resolved, StringComparison.OrdinalIgnoreCase));
                var platform = ins.Flag("platform")?.Value;
                current = new DockerStage
                {
                    Index = stages.Count, From = ins, BaseImage = image, ResolvedBaseImage = resolved, Name = name,
                    Platform = platform, BaseStage = baseStage,
                };
                stages.Add(current);
                ins.StageIndex = current.Index;
                continue;
            }
            if (current == null)
            {
                if (ins.Keyword == "ARG")
                    foreach (var kv in ins.KeyValues)
                    {
                        globalArgs.Add(kv);
                        argValues[kv.Key] = buildArgs != null && buildArgs.TryGetValue(kv.Key, out var given) ? given : kv.Value;
                    }
                continue;
            }
            ins.StageIndex = current.Index;
            current.Instructions.Add(ins);
        }
        return (stages, globalArgs);
    }

    internal static List<string> SplitWords(string s, char escape)
    {
        var words = new List<string>();
        var p = 0;
        while (p < s.Length)
        {
            while (p < s.Length && char.IsWhiteSpace(s[p])) p++;
            if (p >= s.Length) break;
            var (w, after) = ReadWord(s, p, escape);
            words.Add(w);
            p = after > p ? after : p + 1;
        }
        return words;
    }

    /// <summary>
    /// Docker's variable substitution: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
    /// <c>${VAR:+alt}</c>, <c>${VAR+alt}</c>. Returns null when a variable is unknown or has no value.
    /// </summary>
    public static string? Substitute(string text, IReadOnlyDictionary<string, string?> vars, char escape = '\\')
    {
        var sb = new StringBuilder();
        var p = 0;
        while (p < text.Length)
        {
            var c = text[p];
            if (c == escape && p + 1 < text.Length && text[p + 1] == '$') { sb.Append('$'); p += 2; continue; }
            if (c != '$' || p + 1 >= text.Length) { sb.Append(c); p++; continue; }
            if (text[p + 1] == '{')
            {
                var close = text.IndexOf('}', p + 2);
                if (close < 0) return null;
                var inner = text[(p + 2)..close];
                var nameEnd = 0;
                while (nameEnd < inner.Length && (char.IsLetterOrDigit(inner[nameEnd]) || inner[nameEnd] == '_')) nameEnd++;
                var name = inner[..nameEnd];
                var op = inner[nameEnd..];
                vars.TryGetValue(name, out var val);
                var isSet = vars.ContainsKey(name) && val != null;
                var nonEmpty = isSet && val!.Length > 0;
                string? piece;
                if (op.Length == 0) piece = val;
                else if (op.StartsWith(":-", StringComparison.Ordinal)) piece = nonEmpty ? val : op[2..];
                else if (op.StartsWith('-')) piece = isSet ? val : op[1..];
                else if (op.StartsWith(":+", StringComparison.Ordinal)) piece = nonEmpty ? op[2..] : "";
                else if (op.StartsWith('+')) piece = isSet ? op[1..] : "";
                else piece = val;
                if (piece == null) return null;
                sb.Append(piece);
                p = close + 1;
                continue;
            }
            var s = p + 1;
            var e = s;
            while (e < text.Length && (char.IsLetterOrDigit(text[e]) || text[e] == '_')) e++;
            if (e == s) { sb.Append('$'); p++; continue; }
            if (!vars.TryGetValue(text[s..e], out var v) || v == null) return null;
            sb.Append(v);
            p = e;
        }
        return sb.ToString();
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
