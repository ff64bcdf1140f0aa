using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;
using System.Text.Json.Nodes;
using Groundcrew.Live;

namespace Groundcrew.Rules.Live;

/// <summary>
/// The latest registered revision of a task definition family lacks what the file in the repository declares,
/// or what the revision before it had: secrets, environment variables, a health check or the execution role
/// (C1: a deploy that registered a revision built from another source silently dropped them). Compared per
/// container by name. Silent for families the inventory holds no revision of.
/// </summary>
public sealed class LiveTaskDefinitionDrift : Rule
{
    public override string Title => "The registered task definition revision dropped secrets, environment, health check or execution role";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "Tasks of the new revision start without their secrets or environment (the app fails on a missing variable) or cannot pull secrets at all: the revision running is not the file reviewed.";
    public override string Fix =>
        "Register the revision from the task definition file (aws ecs register-task-definition --cli-input-json file://...), or render the file in the pipeline instead of a copy that lacks these entries.";
    public override IReadOnlyList<string> Incidents => ["C1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws, "ecs.taskDefinitions")) yield break;
        foreach (var td in context.Model.TaskDefinitions)
        {
            var revisions = aws.TaskDefinitions.Where(t => t.Family == td.Family).OrderByDescending(t => t.Revision).ToList();
            if (revisions.Count == 0) continue;
            var latest = revisions[0];
            var fromFile = Missing(Declared(td), Shape(latest.Definition)).ToList();
            var fromPrevious = revisions.Count > 1 ? Missing(Shape(revisions[1].Definition), Shape(latest.Definition)).Except(fromFile).ToList() : [];
            var lost = new List<string>();
            if (fromFile.Count > 0) lost.Add($"what the file declares: {string.Join("; ", fromFile)}");
            if (fromPrevious.Count > 0) lost.Add($"what revision {revisions[1].Revision} had: {string.Join("; ", fromPrevious)}");
            if (lost.Count == 0) continue;
            var anchor = td.Body["family"] ?? (Node)td.Body;
            yield return At(anchor,
                $"The registered revision `{latest.Family}:{latest.Revision}` lacks {string.Join(", and ", lost)} {LiveFacts.Observed(snapshot)}. Tasks started from it run without them.",
                $"Register `{td.Resource.File}` again so that revision {latest.Revision + 1} carries them, and find what registered `{latest.Family}:{latest.Revision}` from another source.");
        }
    }

    /// <summary>What one revision provides: the execution role and, per container, secret names, environment names and whether it has a health check.</summary>
    private sealed record TaskShape(bool ExecutionRole, Dictionary<string, (HashSet<string> Secrets, HashSet<string> Env, bool Health)> Containers);

    private static TaskShape Declared(EcsTaskDefinition td) => new(td.ExecutionRoleArn != null,
        td.Containers.GroupBy(c => c.Name).ToDictionary(g => g.Key, g =>
        {
            var c = g.First().Node;
            return (Names(c.GetSeq("secrets")), Names(c.GetSeq("environment")), c["healthCheck"] != null);
        }));

    private static HashSet<string> Names(SeqNode? seq) => (seq?.Maps ?? []).Select(m => m.GetString("name")).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static TaskShape Shape(JsonObject def) => new(def.P("executionRoleArn").Str() is { Length: > 0 },
        def.P("containerDefinitions").Objects().GroupBy(c => c.P("name").Str() ?? "?").ToDictionary(g => g.Key, g =>
        {
            var c = g.First();
            HashSet<string> Of(string key) => c.P(key).Items().Select(e => e.P("name").Str()).OfType<string>().ToHashSet(StringComparer.Ordinal);
            return (Of("secrets"), Of("environment"), c.P("healthCheck") is JsonObject);
        }));

    private static IEnumerable<string> Missing(TaskShape expected, TaskShape actual)
    {
        if (expected.ExecutionRole && !actual.ExecutionRole) yield return "the execution role";
        foreach (var (name, want) in expected.Containers)
        {
            if (!actual.Containers.TryGetValue(name, out var have)) continue; // a renamed container is another change
            var secrets = want.Secrets.Except(have.Secrets).Order(StringComparer.Ordinal).ToList();
            if (secrets.Count > 0) yield return $"secrets {string.Join(", ", secrets.Select(s => $"`{s}`"))} of container `{name}`";
            var env = want.Env.Except(have.Env).Order(StringComparer.Ordinal).ToList();
            if (env.Count > 0) yield return $"environment {string.Join(", ", env.Select(s => $"`{s}`"))} of container `{name}`";
            if (want.Health && !have.Health) yield return $"the health check of container `{name}`";
        }
    }
}
