using Groundcrew.Core;

namespace Groundcrew.Load.AppCode;

/// <summary>How sure we are that an env var is required.</summary>
public enum EnvCertainty
{
    /// <summary>The code says so: it throws/exits when missing, uses getOrThrow, os.environ['X'], a pydantic field without default, a non-null assertion.</summary>
    Explicit,
    /// <summary>A plain read with no default and no check (e.g. used straight in a connection string). Likely needed, but the code does not prove it.</summary>
    Inferred,
}

/// <summary>
/// One place where application code reads an environment variable.
/// <paramref name="Required"/>: true when the app needs the variable (no default, or code that fails without it);
/// see <see cref="Certainty"/> for how sure that is. <paramref name="Evidence"/> says why, in words, and never holds a value.
/// </summary>
public sealed record EnvRead(string Name, bool Required, SourceSpan Span, string Language, string Evidence)
{
    public EnvCertainty Certainty { get; init; } = EnvCertainty.Explicit;
    /// <summary>Names match case-insensitively (pydantic settings without case_sensitive=True).</summary>
    public bool CaseInsensitive { get; init; }
    /// <summary>For .NET IConfiguration reads: the configuration key ("ConnectionStrings:Db"), which appsettings*.json may also provide.</summary>
    public string? ConfigKey { get; init; }

    public override string ToString() => $"{Span.File}:{Span.StartLine} {Name} {(Required ? "required" : "optional")} ({Evidence})";
}

public static class AppLanguages
{
    public const string JavaScript = "javascript";
    public const string TypeScript = "typescript";
    public const string Python = "python";
    public const string CSharp = "csharp";
    public const string Go = "go";
    public const string DotEnv = "dotenv";
}
