using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// Env vars (env, envFrom) and subPath mounts are read once, when the container starts. Editing the ConfigMap or
/// Secret they come from restarts nothing: pods keep the old values until something else rolls them (B4).
/// Nothing to report when the object's name changes with its content (Kustomize generator hash suffix), when the
/// object is immutable, or when the pod template carries a config checksum or a Reloader/Wave annotation.
/// </summary>
public sealed class ConfigChangeNotRolledOut : Rule
{
    public override string Title => "Config change does not restart the pods that read it";
    public override Severity DefaultSeverity => Severity.Note;
    public override string Prevents => "pods keep running with the old environment after the ConfigMap/Secret changed (old values in `printenv`)";
    public override string Fix => "Generate the ConfigMap/Secret with Kustomize configMapGenerator/secretGenerator (the hash suffix rolls the pods), add a `checksum/config` annotation to the pod template, or annotate the workload for Reloader (`reloader.stakater.com/auto: \"true\"`).";
    public override IReadOnlyList<string> Incidents => ["B4"];

    private static readonly HashSet<string> LongRunning = new(StringComparer.Ordinal) { "Deployment", "StatefulSet", "DaemonSet", "Rollout" };

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var workloads = model.Workloads.Where(w => LongRunning.Contains(w.Resource.Kind)).ToDictionary(w => w.Resource);
        if (workloads.Count == 0) yield break;
        foreach (var g in model.References.Where(r => r.TargetKind is "Secret" or "ConfigMap" && r.Target != null).GroupBy(r => r.From))
        {
            if (!workloads.TryGetValue(g.Key, out var w) || RollsOnChange(w)) continue;
            var subPathVolumes = SubPathVolumes(w);
            var staticRefs = g.Where(r => r.Via.StartsWith("env", StringComparison.Ordinal) || (VolumeOf(r.Via) is { } v && subPathVolumes.Contains(v)))
                .Where(r => !ReferenceFacts.HasGeneratorHash(r.TargetName) && !IsImmutable(r.Target!))
                .ToList();
            if (staticRefs.Count == 0) continue;
            var targets = staticRefs.GroupBy(r => (r.TargetKind, r.TargetName)).Select(t => t.First()).ToList();
            var list = string.Join(", ", targets.Select(t => $"{t.TargetKind} {t.TargetName}"));
            var how = staticRefs.Any(r => !r.Via.StartsWith("env", StringComparison.Ordinal)) ? "as env vars or subPath mounts" : "as env vars";
            yield return At(staticRefs[0].At,
                $"{w.Resource.Kind} {w.Resource.Name} reads {list} {how}; editing {(targets.Count == 1 ? "it" : "them")} does not restart the pods, which keep the old values until the next rollout (no generator hash suffix, checksum annotation or Reloader annotation)",
                related: targets.Select(t => new RelatedLocation(t.Target!.Anchor, $"{t.TargetKind} {t.TargetName} is defined here")).ToList());
        }
    }

    private static bool RollsOnChange(Workload w) =>
        w.Resource.Annotations.Concat(w.TemplateAnnotations).Any(a =>
            (ReferenceFacts.IsReloaderAnnotation(a.Key) && a.Value.Value is not ("false" or "False"))
            || (ReferenceFacts.IsChecksumAnnotation(a.Key) && !string.IsNullOrEmpty(a.Value.Value)));

    private static bool IsImmutable(Resource target) => target.Body["immutable"] is ScalarNode { Value: "true" or "True" };

    private static string? VolumeOf(string via)
    {
        foreach (var prefix in new[] { "projected volume ", "volume " })
            if (via.StartsWith(prefix, StringComparison.Ordinal)) return via[prefix.Length..];
        return null;
    }

    /// <summary>Volumes mounted with subPath in some container: those files are copied at start and never updated.</summary>
    private static HashSet<string> SubPathVolumes(Workload w)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in w.Containers)
            foreach (var m in c.Node.GetSeq("volumeMounts")?.Maps ?? [])
                if ((m["subPath"] is ScalarNode { Value.Length: > 0 } || m["subPathExpr"] is ScalarNode { Value.Length: > 0 }) && m.GetString("name") is { } n)
                    set.Add(n);
        return set;
    }
}
