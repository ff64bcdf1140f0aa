using Groundcrew.Tests.Diagnose.Live;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// A fact that needs real CLIs (aws, moto_server, kubectl). Skipped with the reason on a developer machine that
/// lacks one; under CI (the CI variable set) it runs anyway and fails, because .ci/run must install them.
/// </summary>
public sealed class LiveToolsFactAttribute : FactAttribute
{
    public LiveToolsFactAttribute(params string[] binaries)
    {
        var missing = binaries.Where(b => RequiresBinaryFactAttribute.FindOnPath(b) is null).ToList();
        if (missing.Count > 0 && Environment.GetEnvironmentVariable("CI") is null or "")
            Skip = $"needs {string.Join(", ", missing)} on PATH";
    }
}
