namespace Groundcrew.Core;

/// <summary>
/// Where a value sits in a file a person can edit. Lines and columns are 1-based.
/// <paramref name="File"/> is the path as the user gave it or relative to the scanned root.
/// </summary>
public readonly record struct SourceSpan(string File, int StartLine, int StartColumn, int EndLine = 0, int EndColumn = 0)
{
    public static SourceSpan OfFile(string file) => new(file, 1, 1);

    public override string ToString() => $"{File}:{StartLine}:{StartColumn}";
}
