using Xunit;

namespace Groundcrew.Tests.Diagnose.Live;

/// <summary>Live tests start local servers and CLIs; running them one at a time keeps ports and load predictable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveCollection
{
    public const string Name = "diagnose-live";
}
