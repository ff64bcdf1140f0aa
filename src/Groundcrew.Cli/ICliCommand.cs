using System.CommandLine;

namespace Groundcrew.Cli;

/// <summary>
/// One verb of the `groundcrew` binary. Program finds every implementation by reflection,
/// so adding a verb is adding a file under Commands/ and nothing else.
/// </summary>
public interface ICliCommand
{
    Command Build();
}
