using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// Shared logic of missing-secret-key and missing-configmap-key: a reference to a key that the Secret/ConfigMap
/// in the scanned files does not have (the model resolved it as <see cref="Resolution.Missing"/>).
/// </summary>
public abstract class MissingKeyRule : Rule
{
    protected abstract string TargetKind { get; }

    public override Severity DefaultSeverity => Severity.Error;

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var index = KeyProviderIndex.For(model);
        foreach (var r in model.References)
        {
            // Resolved references are judged again: the model resolves against the first same-named object, which may
            // belong to another Kustomize overlay than the workload's.
            if (r.TargetKind != TargetKind || r.Resolution == Resolution.Unknown || r.Optional || r.Key is not { } key || ReferenceFacts.IsTemplated(r)) continue;
            // Judge against the object the workload's own overlay renders; any provider that has the key (or whose
            // keys are unknown) settles it.
            var providers = index.For(TargetKind, r.TargetNamespace, r.TargetName, r.From);
            if (providers.Count == 0 || providers.Any(p => p.Keys == null || p.Keys.Contains(key))) continue;
            var provider = providers[0];
            var keys = provider.Keys!.Order(StringComparer.Ordinal).ToList();
            var source = provider.Source;
            var section = source.Kind == TargetKind ? (Node?)source.Body.GetMap("data") ?? source.Body.GetMap("stringData") : null;
            var related = new List<RelatedLocation> { new(section?.Span ?? source.Anchor, $"{TargetKind} {r.TargetName} is defined here" + (source.Kind != TargetKind ? $" (created by {source.Kind} {source.Name})" : "")) };
            var what = $"{r.From.Kind} {r.From.Name} ({r.Via}) needs key '{key}' of {TargetKind} {r.TargetName}";
            if (keys.Count == 0)
            {
                // A Secret declared with no keys at all is usually a placeholder filled in outside these files.
                yield return At(r.At, $"{what}, which declares no keys here; if the keys are added outside these files, ignore this", related: related) with { Severity = Severity.Note };
                continue;
            }
            var hint = Closest(key, keys) is { } near ? $"; did you mean '{near}'?" : "";
            yield return At(r.At, $"{what}, which has no such key (it has {string.Join(", ", keys.Select(k => $"'{k}'"))}){hint}", related: related);
        }
    }

    /// <summary>A key that differs only in case or in '-', '_' and '.' separators.</summary>
    private static string? Closest(string key, List<string> keys)
    {
        static string Norm(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        var n = Norm(key);
        return keys.FirstOrDefault(k => Norm(k) == n);
    }
}
