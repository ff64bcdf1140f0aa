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

    public DockerStage? FindStage(string nameOrIndex)
    {
        foreach (var s in Stages)
            if (s.Name != null && string.Equals(s.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase)) return s;
        if (int.TryParse(nameOrIndex, out var i) && i >= 0 && i < Stages.Count) return Stages[i];
        return null;
    }
}

public sealed record DockerfileProblem(int Line, string Message);

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
    public int LineOfOffset(int offset)
    {
        var line = StartLine;
        foreach (var (o, l) in LineMap)
        {
            if (o > offset) break;
            line = l;
        }
        return line;
    }

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

    public override string ToString() => Name == null ? $"stage {Index} ({BaseImage})" : $"stage {Name} ({BaseImage})";
}
