using Groundcrew.Core;

namespace Groundcrew.Rules.Ecs;

/// <summary>
/// With --base REF: a container that injected secrets at the base revision and no longer injects some of them
/// (incident C1: revisions 131-133 silently dropped the whole `secrets` block). A name that moved to `environment`
/// is still set and is not reported; when the container now reads `environmentFiles` the value may come from there,
/// so the finding is a warning.
/// </summary>
public sealed class EcsRevisionDropsSecrets : Rule
{
    public override string Title => "Task definition revision drops secrets the previous revision injected";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "ValueError: Failed to validate database credentials: Database password not found (the task starts without the variables the previous revision injected)";
    public override string Fix => "Restore the dropped entries in `secrets` (name and valueFrom as at the base revision), or remove their use from the application first.";
    public override IReadOnlyList<string> Incidents => ["C1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in EcsRevisions.Pairs(context.Model))
            foreach (var (current, previous) in EcsRevisions.Containers(pair))
            {
                var before = EcsRevisions.Named(previous.Node, "secrets");
                if (before.Count == 0) continue;
                var now = EcsRevisions.Named(current.Node, "secrets").Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                var plain = EcsRevisions.Named(current.Node, "environment").Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                var dropped = before.Where(e => !now.Contains(e.Name) && !plain.Contains(e.Name))
                    .GroupBy(e => e.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
                if (dropped.Count == 0) continue;

                var names = EcsRevisions.List(dropped.Select(e => e.Name));
                var whole = now.Count == 0;
                var message = whole
                    ? $"container `{current.Name}` no longer has `secrets`: at revision {pair.Revision} it injected {names}; tasks of this revision start without {(dropped.Count == 1 ? "it" : "them")} and the application fails where it reads {(dropped.Count == 1 ? "it" : "them")}"
                    : $"container `{current.Name}` dropped {names} from `secrets` (injected at revision {pair.Revision}); tasks of this revision start without {(dropped.Count == 1 ? "it" : "them")}";
                var envFiles = EcsRevisions.HasItems(current.Node, "environmentFiles");
                if (envFiles) message += "; the container reads `environmentFiles`, check that they set " + (dropped.Count == 1 ? "it" : "these names");
                var finding = At(EcsRevisions.Anchor(current, whole ? null : "secrets"), message,
                    related: EcsRevisions.Was(dropped, pair.Revision, "injected"));
                yield return envFiles ? finding with { Severity = Severity.Warning } : finding;
            }
    }
}
