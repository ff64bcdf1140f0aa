using Groundcrew.Core;

namespace Groundcrew.Rules.Ecs;

/// <summary>
/// With --base REF: a container that set environment variables at the base revision and no longer sets some of them.
/// A warning, not an error: removing a variable the application stopped reading is a normal change, and Groundcrew
/// cannot yet see whether the code still reads it. A name that moved to `secrets` is still set and is not reported;
/// with `environmentFiles` the value may come from a file, so the finding becomes a note.
/// </summary>
public sealed class EcsRevisionDropsEnvironment : Rule
{
    public override string Title => "Task definition revision drops environment variables the previous revision set";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "KeyError / \"environment variable not set\" at start-up when the application still reads a variable the new revision no longer sets";
    public override string Fix => "Restore the dropped entries in `environment`, or confirm the application no longer reads them.";
    public override IReadOnlyList<string> Incidents => ["C1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in EcsRevisions.Pairs(context.Model))
            foreach (var (current, previous) in EcsRevisions.Containers(pair))
            {
                var before = EcsRevisions.Named(previous.Node, "environment");
                if (before.Count == 0) continue;
                var now = EcsRevisions.Named(current.Node, "environment").Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                var secret = EcsRevisions.Named(current.Node, "secrets").Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                var dropped = before.Where(e => !now.Contains(e.Name) && !secret.Contains(e.Name))
                    .GroupBy(e => e.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
                if (dropped.Count == 0) continue;

                var names = EcsRevisions.List(dropped.Select(e => e.Name));
                var whole = now.Count == 0;
                var message = whole
                    ? $"container `{current.Name}` no longer has `environment`: at revision {pair.Revision} it set {names}"
                    : $"container `{current.Name}` no longer sets {names} in `environment` (set at revision {pair.Revision})";
                message += "; if the application still reads " + (dropped.Count == 1 ? "it, it" : "them, it") + " fails or falls back to a default";
                var envFiles = EcsRevisions.HasItems(current.Node, "environmentFiles");
                if (envFiles) message += " (the container reads `environmentFiles`, which may set " + (dropped.Count == 1 ? "it" : "them") + ")";
                var finding = At(EcsRevisions.Anchor(current, whole ? null : "environment"), message,
                    related: EcsRevisions.Was(dropped, pair.Revision, "set"));
                yield return envFiles ? finding with { Severity = Severity.Note } : finding;
            }
    }
}
