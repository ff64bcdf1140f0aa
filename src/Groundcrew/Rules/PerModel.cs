using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Groundcrew.Model;

namespace Groundcrew.Rules;

/// <summary>
/// A fact several rules derive from the same model (its deployable values, an index), computed once per model and kept
/// as long as the model lives. Rules run in parallel: a second rule asking while the first computes waits for that
/// result instead of computing it again (ConditionalWeakTable.GetValue alone may run the factory once per racing thread).
/// </summary>
// The annotation is Lazy<T>'s own (its parameterless form may create a T); it costs the native build nothing.
public sealed class PerModel<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(Func<DeploymentModel, T> compute) where T : class
{
    private readonly ConditionalWeakTable<DeploymentModel, Lazy<T>> _cache = new();

    public T For(DeploymentModel model) =>
        _cache.GetValue(model, m => new Lazy<T>(() => compute(m), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
}
