using Groundcrew.Core;

namespace Groundcrew.Load.Dockerfile;

/// <summary>A parsed Dockerfile: parser directives, every instruction with its lines, and the build stages.</summary>
public sealed class DockerfileDocument
{
    public string File { get; init; } = "";
    /// <summary>Parser directives from the top of the file (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>), keys lower-cased.</summary>
    public IReadOnlyDictionary<string, string> Directives { get; init; } = new Dictionary<string, string>();
    public char EscapeChar { get; init; } = '\\';
    public IReadOnlyList<DockerInstruction> Instructions { get; init; } = [];
    public IReadOnlyList<DockerStage> Stages { get; init; } = [];
    /// <summary>ARG instructions before the first FROM: the only ones FROM lines may use.</summary>
    public IReadOnlyList<DockerKeyValue> GlobalArgs { get; init; } = [];
    /// <summary>Things the parser could not make sense of (unknown instruction, unterminated heredoc...). Parsing goes on past them.</summary>
    public IReadOnlyList<DockerfileProblem> Problems { get; init; } = [];
    public IReadOnlyList<DockerComment> Comments { get; init; } = [];

    /// <summary>The stage `docker build` produces when no --target is given: the last one.</summary>
    public DockerStage? FinalStage => Stages.Count > 0 ? Stages[^1] : null;

    public DockerStage? FindStage(string nameOrIndex)
    {
        foreach (var s in Stages)
            if (s.Name != null && string.Equals(s.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase)) return s;
        if (int.TryParse(nameOrIndex, out var i) && i >= 0 && i < Stages.Count) return Stages[i];
        return null;
    }
}

public sealed record DockerfileProblem(int Line, string Message);

/// <summary>An EXPOSE entry. <paramref name="Port"/>/<paramref name="EndPort"/> are null when the text is not a number (an unresolved variable).</summary>
public sealed record DockerPort(string Raw, int? Port, int? EndPort, string Protocol, int Line);

public sealed record DockerComment(int Line, string Text);

/// <summary>A <c>--name=value</c> (or bare <c>--name</c>) flag in front of an instruction's arguments.</summary>
public sealed record DockerFlag(string Name, string? Value, int Line);

/// <summary>A key with an optional value from ENV, ARG or LABEL, on the physical line where the key is written.</summary>
public sealed record DockerKeyValue(string Key, string? Value, int Line);

/// <summary>A heredoc body: <c>&lt;&lt;EOF</c> ... <c>EOF</c>. Lines are those of the body (not the terminator).</summary>
public sealed record DockerHeredoc(string Name, string Content, int StartLine, int EndLine, bool StripTabs, bool Quoted, bool Terminated);

public sealed class DockerInstruction
{
    /// <summary>Upper-cased keyword: FROM, RUN, COPY... (as written when unknown).</summary>
    public string Keyword { get; init; } = "";
    /// <summary>The arguments after the keyword with continuations joined (escape + newline removed, comment lines inside dropped), flags included.</summary>
    public string Arguments { get; init; } = "";
    /// <summary>The arguments with the leading flags removed.</summary>
    public string ArgumentsWithoutFlags { get; init; } = "";
    public IReadOnlyList<DockerFlag> Flags { get; init; } = [];
    /// <summary>Exec (JSON array) form: <c>CMD ["a", "b"]</c>.</summary>
    public bool IsJsonForm { get; init; }
    public IReadOnlyList<string>? JsonArguments { get; init; }
    public IReadOnlyList<DockerHeredoc> Heredocs { get; init; } = [];
    /// <summary>ENV / ARG / LABEL pairs (empty for other instructions).</summary>
    public IReadOnlyList<DockerKeyValue> KeyValues { get; init; } = [];
    /// <summary>The wrapped instruction of <c>ONBUILD</c>.</summary>
    public DockerInstruction? OnBuild { get; init; }
    public int StartLine { get; init; }
    /// <summary>Last line of the instruction, heredoc bodies and terminators included.</summary>
    public int EndLine { get; init; }
    /// <summary>Index of the stage this instruction belongs to; -1 before the first FROM.</summary>
    public int StageIndex { get; internal set; } = -1;
    public SourceSpan Span { get; init; } = SourceSpan.OfFile("");

    internal IReadOnlyList<(int Offset, int Line)> LineMap { get; init; } = [];

    /// <summary>The physical line on which the character at <paramref name="offset"/> of <see cref="Arguments"/> sits.</summary>
    public int LineOfOffset(int offset) => DockerfileParser.LineOf(LineMap, offset, StartLine);

    public DockerFlag? Flag(string name) => Flags.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"{StartLine}: {Keyword} {Arguments}";
}

public sealed class DockerStage
{
    public int Index { get; init; }
    public DockerInstruction From { get; init; } = new();
    /// <summary>The image as written (<c>${BASE}:1.2</c>).</summary>
    public string BaseImage { get; init; } = "";
    /// <summary>The image with global ARG defaults (and given build args) substituted; null when a variable has no value.</summary>
    public string? ResolvedBaseImage { get; init; }
    /// <summary>The name after AS, if any.</summary>
    public string? Name { get; init; }
    public string? Platform { get; init; }
    /// <summary>The earlier stage this one builds on (<c>FROM build AS final</c>), if the image names one.</summary>
    public DockerStage? BaseStage { get; init; }
    public List<DockerInstruction> Instructions { get; } = [];

    public IEnumerable<DockerInstruction> OfKeyword(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>Environment this stage sets with ENV, in order, inheriting from its base stage.</summary>
    public IEnumerable<DockerKeyValue> Env()
    {
        if (BaseStage != null && BaseStage != this)
            foreach (var kv in BaseStage.Env()) yield return kv;
        foreach (var i in Instructions)
            if (i.Keyword == "ENV")
                foreach (var kv in i.KeyValues) yield return kv;
    }

    /// <summary>The last instruction with this keyword in the stage or, failing that, in its base stages.</summary>
    public DockerInstruction? Last(string keyword)
    {
        for (var i = Instructions.Count - 1; i >= 0; i--)
            if (Instructions[i].Keyword == keyword) return Instructions[i];
        return BaseStage != null && BaseStage != this ? BaseStage.Last(keyword) : null;
    }

    /// <summary>The user the container runs as (last USER, inherited from base stages); null when never set (root, unless the base image says otherwise).</summary>
    public string? User => Last("USER")?.ArgumentsWithoutFlags.Trim();

    /// <summary>
    /// Variables visible to the stage's instructions, in order: its ARGs (a re-declared global ARG takes the global default)
    /// and ENVs, inherited ENVs of base stages first. Values are as written (no nested substitution).
    /// </summary>
    public Dictionary<string, string?> VariablesBefore(DockerInstruction upTo, IReadOnlyList<DockerKeyValue> globalArgs)
    {
        var vars = BaseStage != null && BaseStage != this ? BaseStage.VariablesBefore(new DockerInstruction { StartLine = int.MaxValue }, globalArgs) : new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var ins in Instructions)
        {
            if (ins.StartLine >= upTo.StartLine) break;
            if (ins.Keyword == "ENV") foreach (var kv in ins.KeyValues) vars[kv.Key] = kv.Value;
            else if (ins.Keyword == "ARG")
                foreach (var kv in ins.KeyValues)
                    vars[kv.Key] = kv.Value ?? globalArgs.LastOrDefault(g => g.Key == kv.Key)?.Value;
        }
        return vars;
    }

    /// <summary>Ports from EXPOSE instructions: "80", "80/tcp", "53/udp", "8000-8010", "$PORT" (substituted with the stage's ARG/ENV values).</summary>
    public IEnumerable<DockerPort> ExposedPorts(IReadOnlyList<DockerKeyValue> globalArgs)
    {
        foreach (var ins in Instructions)
        {
            if (ins.Keyword != "EXPOSE") continue;
            var vars = ins.ArgumentsWithoutFlags.Contains('$') ? VariablesBefore(ins, globalArgs) : null;
            foreach (var raw in DockerfileParser.SplitWords(ins.ArgumentsWithoutFlags, '\\'))
            {
                var word = vars != null ? DockerfileParser.Substitute(raw, vars) : raw;
                if (word == null) { yield return new DockerPort(raw, null, null, "tcp", ins.StartLine); continue; }
                var slash = word.IndexOf('/');
                var proto = slash >= 0 ? word[(slash + 1)..].ToLowerInvariant() : "tcp";
                var range = slash >= 0 ? word[..slash] : word;
                var dash = range.IndexOf('-');
                int? from = int.TryParse(dash >= 0 ? range[..dash] : range, out var f) ? f : null;
                int? to = dash >= 0 ? (int.TryParse(range[(dash + 1)..], out var tt) ? tt : null) : from;
                yield return new DockerPort(raw, from, to, proto, ins.StartLine);
            }
        }
    }

    public override string ToString() => Name == null ? $"stage {Index} ({BaseImage})" : $"stage {Name} ({BaseImage})";
}
