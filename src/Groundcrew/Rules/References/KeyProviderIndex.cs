using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// Every provider of every Secret/ConfigMap, not only the first one the model keeps: two Kustomize overlays often
/// render a same-named Secret into the same namespace with different keys, and a workload must be judged against
/// the one its own overlay renders. Built once per model, shared by the reference rules.
/// </summary>
internal sealed class KeyProviderIndex
{
    private static readonly PerModel<KeyProviderIndex> Cache = new(m => new KeyProviderIndex(m));

    private readonly Dictionary<(string Kind, string? Ns, string Name), List<KeyProvider>> _byIdentity = new();
    private readonly Dictionary<(string Kind, string Name), List<(string? Ns, KeyProvider P)>> _byName = new();

    public static KeyProviderIndex For(DeploymentModel model) => Cache.For(model);

    private KeyProviderIndex(DeploymentModel model)
    {
        // The model has read every resource's providers already: only the Kubernetes ones are indexed here.
        foreach (var (kind, name, provider) in model.AllKeyProviders)
        {
            if (provider.Source.Family != ResourceFamily.Kubernetes) continue;
            var ns = provider.Namespace ?? provider.Source.Namespace;
            if (!_byIdentity.TryGetValue((kind, ns, name), out var l)) _byIdentity[(kind, ns, name)] = l = new List<KeyProvider>(1);
            l.Add(provider);
            if (!_byName.TryGetValue((kind, name), out var n)) _byName[(kind, name)] = n = new List<(string?, KeyProvider)>(1);
            n.Add((ns, provider));
        }
    }

    /// <summary>The providers of (kind, ns, name), those rendered by the same Kustomize overlay as <paramref name="from"/> first when there are any.</summary>
    public IReadOnlyList<KeyProvider> For(string kind, string? ns, string name, Resource from)
    {
        if (!_byIdentity.TryGetValue((kind, ns, name), out var all)) return [];
        if (all.Count == 1) return all; // the only provider, whichever overlay renders it
        var same = all.Where(p => p.Source.RenderedFrom == from.RenderedFrom).ToList();
        return same.Count > 0 ? same : all;
    }

    /// <summary>A same-named provider in another namespace, when either side leaves its namespace to `kubectl apply -n`.</summary>
    public KeyProvider? InAnotherNamespaceImplicitly(string kind, string name, Resource from, string? ns)
    {
        if (!_byName.TryGetValue((kind, name), out var list)) return null;
        foreach (var (pns, p) in list)
            if (pns != ns && (!ReferenceFacts.HasExplicitNamespace(p.Source) || !ReferenceFacts.HasExplicitNamespace(from))) return p;
        return null;
    }
}
