using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Groundcrew.Tests.Support.LongCollectionsFirst", "Groundcrew.Tests")]

namespace Groundcrew.Tests.Support;

/// <summary>
/// A test class whose tests take tens of seconds together (aws CLI calls, child processes, polls). xunit runs one
/// class's tests one after another, so such a class is a floor under the suite's wall time, and when the default order
/// happens to start it late it becomes the run's tail while the other threads idle. <see cref="LongCollectionsFirst"/>
/// starts these classes first. Only the start order changes: no test depends on it. `python3 bench/test-times.py
/// run.trx` lists the classes that take longest.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunsLongAttribute : Attribute;

/// <summary>
/// xunit's own order, with the collections of classes marked <see cref="RunsLongAttribute"/> (or named collections
/// whose definition is marked) moved to the front. Collections that disable parallelization still run after all others.
/// </summary>
public sealed class LongCollectionsFirst : ITestCollectionOrderer
{
    private const string PerClassPrefix = "Test collection for ";

    private readonly DefaultTestCollectionOrderer _default = new();

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var ordered = _default.OrderTestCollections(testCollections).ToList();
        var marked = ordered.Where(RunsLong).ToList();
        return [.. marked, .. ordered.Except(marked)];
    }

    private static bool RunsLong(ITestCollection collection)
    {
        var type = collection.CollectionDefinition
            ?? (collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal)
                ? collection.TestAssembly.Assembly.GetType(collection.DisplayName[PerClassPrefix.Length..])
                : null);
        return type?.GetCustomAttributes(typeof(RunsLongAttribute)).Any() == true;
    }
}
