using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Ecs;

/// <summary>
/// With --base REF: a container that had a `healthCheck` at the base revision and has none now. ECS then stops
/// replacing the container when it hangs, and a sibling's `dependsOn` condition HEALTHY no longer waits for anything.
/// A warning: the task still starts.
/// </summary>
public sealed class EcsRevisionDropsHealthCheck : Rule
{
    public override string Title => "Task definition revision drops a container health check";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "a hung or broken container that stays RUNNING (no health status, so ECS never marks it UNHEALTHY or replaces it)";
    public override string Fix => "Restore the container's `healthCheck` from the base revision, or replace it with a new one.";
    public override IReadOnlyList<string> Incidents => ["C1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in EcsRevisions.Pairs(context.Model))
        {
            var waiting = HealthyDependents(pair.Current);
            foreach (var (current, previous) in EcsRevisions.Containers(pair))
            {
                if (previous.Node["healthCheck"] is not MapNode before || before["command"] is not SeqNode { Items.Count: > 0 }) continue;
                if (current.Node["healthCheck"] is MapNode { Entries.Count: > 0 }) continue;

                var message = $"container `{current.Name}` no longer has a `healthCheck` (it had one at revision {pair.Revision}): ECS cannot tell when it stops working and will not replace it";
                if (waiting.TryGetValue(current.Name, out var dependents))
                    message += $"; {EcsRevisions.List(dependents)} still wait{(dependents.Count == 1 ? "s" : "")} for it to be HEALTHY (`dependsOn`)";
                yield return At(EcsRevisions.Anchor(current, "healthCheck"), message,
                    related: [new RelatedLocation((previous.Node.Entry("healthCheck")?.Key ?? (Node)before).Span, $"the health check at revision {pair.Revision}")]);
            }
        }
    }

    /// <summary>Container name -> containers whose dependsOn waits for it with condition HEALTHY.</summary>
    private static Dictionary<string, List<string>> HealthyDependents(EcsTaskDefinition td)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var c in td.Containers)
            if (c.Node["dependsOn"] is SeqNode deps)
                foreach (var d in deps.Maps)
                    if (d.GetString("condition") == "HEALTHY" && d.GetString("containerName") is { Length: > 0 } target)
                    {
                        if (!result.TryGetValue(target, out var list)) result[target] = list = new List<string>();
                        list.Add(c.Name);
                    }
        return result;
    }
}
