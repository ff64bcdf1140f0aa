using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Check;

public sealed class CheckResult
{
    /// <summary>The folder display paths are relative to.</summary>
    public required string Root { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required DeploymentModel Model { get; init; }
    public required Redactor Redactor { get; init; }
    public int FilesScanned { get; init; }
    public long BytesScanned { get; init; }
    /// <summary>Things the user should know once, that are not findings (kubectl missing, Helm templates skipped).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
    public int Suppressed { get; init; }
    public TimeSpan Elapsed { get; init; }
    /// <summary>The paths the scan was given (the HTML report's summary shows them).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];
    /// <summary>The configuration the scan ran with (the graph ties images to app folders with its `apps:` mapping).</summary>
    public Config.GroundcrewConfig? Config { get; init; }

    public int Count(Severity s) => Findings.Count(f => f.Severity == s);

    public bool Fails(Severity threshold) => Findings.Any(f => f.Severity >= threshold);
}
