using System.CommandLine;

namespace Groundcrew.Cli;

/// <summary>
/// One verb of the `groundcrew` binary. Each implementation is listed in <see cref="CommandRegistry"/>.
/// </summary>
public interface ICliCommand
{
    Command Build();
}
