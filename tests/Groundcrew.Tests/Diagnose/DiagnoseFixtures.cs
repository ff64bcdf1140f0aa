using System.Runtime.CompilerServices;

namespace Groundcrew.Tests.Diagnose;

/// <summary>Finds the Diagnose test fixtures next to this source file, without touching the shared test csproj.</summary>
internal static class DiagnoseFixtures
{
    public static string Directory => Path.Combine(Path.GetDirectoryName(ThisFile())!, "Fixtures");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    /// <summary>The repository root (for docs), found from this file's location.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", ".."));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
