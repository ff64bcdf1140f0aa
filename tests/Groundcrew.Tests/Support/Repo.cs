namespace Groundcrew.Tests.Support;

/// <summary>Locates the repository checkout (for examples/ and docs/) and the shared folder beside it.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    /// <summary>../shared beside the checkout (the corpus, schemas and incident catalog), or null when absent.</summary>
    public static string? Shared
    {
        get
        {
            var candidate = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Groundcrew.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Groundcrew.slnx) above " + AppContext.BaseDirectory);
    }
}
