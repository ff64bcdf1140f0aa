using Groundcrew.Config;

namespace Groundcrew.Check;

public sealed class CheckOptions
{
    /// <summary>Folders or files to scan; "-" reads one YAML/JSON stream from <see cref="Stdin"/>.</summary>
    public IReadOnlyList<string> Paths { get; init; } = ["."];
    public GroundcrewConfig Config { get; init; } = GroundcrewConfig.Default;
    public TextReader? Stdin { get; init; }
    /// <summary>A git revision to compare task definitions with (--base).</summary>
    public string? BaseRevision { get; init; }
    /// <summary>Called with (files done, files total) while loading, for a progress indicator.</summary>
    public Action<int, int>? Progress { get; init; }
    /// <summary>What exists in the account and the cluster (`--inventory FILE` or `--live`); null: the repository alone.</summary>
    public Live.Inventory.Snapshot? Inventory { get; init; }

    /// <summary>Most files one scan reads (<see cref="Core.Limits.MaxFiles"/>); past it a scan-limit-reached finding says the rest were not read.</summary>
    public int MaxFiles { get; init; } = Core.Limits.MaxFiles;
}
