using Xunit;

namespace Groundcrew.Tests.Diagnose.Live;

/// <summary>
/// A fact that is skipped, with the reason shown in the test report, when a CLI it drives is not on
/// PATH; never silently green.
/// </summary>
public sealed class RequiresBinaryFactAttribute : FactAttribute
{
    public RequiresBinaryFactAttribute(params string[] binaries)
    {
        var missing = binaries.Where(b => FindOnPath(b) is null).ToList();
        if (missing.Count > 0) Skip = $"needs {string.Join(", ", missing)} on PATH";
    }

    public static string? FindOnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);
}
