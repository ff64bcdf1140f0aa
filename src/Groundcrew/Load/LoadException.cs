using Groundcrew.Core;

namespace Groundcrew.Load;

/// <summary>A file that cannot be read as what it claims to be. Becomes an input-error finding for that file only.</summary>
public sealed class LoadException(string message, int line = 1, int column = 1) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

/// <summary>One parsed document of a file, with the index of the document inside a multi-document stream.</summary>
public sealed record LoadedDocument(Node Root, int Index);

/// <summary>The outcome of loading one file: the documents that parsed, and the error that stopped the rest (if any).</summary>
public sealed record LoadResult(IReadOnlyList<LoadedDocument> Documents, LoadException? Error);
