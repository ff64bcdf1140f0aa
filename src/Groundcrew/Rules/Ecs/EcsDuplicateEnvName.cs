using Groundcrew.Core;

namespace Groundcrew.Rules.Ecs;

/// <summary>
/// A variable name given twice in one container. What ECS does depends on where the names are:
/// twice in `secrets` and once in each of `secrets` and `environment` are rejected by RegisterTaskDefinition
/// (errors); twice in `environment` is accepted and the container gets one of the values (the later entry in
/// practice), so the other value is silently ignored (a warning, and only when the two values differ).
/// </summary>
public sealed class EcsDuplicateEnvName : Rule
{
    public override string Title => "Environment variable name defined twice in a container";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "ClientException: Duplicate secret names found: APP_ENV. Each secret name must be unique. / ClientException: The secret name must be unique and not shared with any new or existing environment variables set on the container, such as 'DB_PASSWORD'.";
    public override string Fix => "Keep one entry per name: delete the duplicate, or rename one of the two variables.";

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var td in context.Model.TaskDefinitions)
            foreach (var c in td.Containers)
            {
                var env = EcsRevisions.Named(c.Node, "environment");
                var secrets = EcsRevisions.Named(c.Node, "secrets");
                if (env.Count + secrets.Count < 2) continue;

                var firstSecret = new Dictionary<string, NamedEntry>(StringComparer.Ordinal);
                foreach (var s in secrets)
                {
                    if (firstSecret.TryGetValue(s.Name, out var first))
                        yield return At(s.NameNode,
                            $"container `{c.Name}` lists secret `{s.Name}` twice: ECS rejects the task definition (\"Duplicate secret names found\")",
                            related: [new RelatedLocation(first.NameNode.Span, $"`{s.Name}` first listed here")]);
                    else firstSecret[s.Name] = s;
                }

                var firstEnv = new Dictionary<string, NamedEntry>(StringComparer.Ordinal);
                foreach (var e in env)
                {
                    if (firstEnv.TryGetValue(e.Name, out var first))
                    {
                        // Same value twice is untidy but harmless; two values mean one is silently ignored.
                        if (ValueOf(first) is { } a && ValueOf(e) is { } b && a != b)
                            yield return At(e.NameNode,
                                $"container `{c.Name}` sets `{e.Name}` twice in `environment` with different values: ECS accepts this and the container gets only one of them (in practice the later entry), so the other is silently ignored",
                                related: [new RelatedLocation(first.NameNode.Span, $"`{e.Name}` first set here")]) with { Severity = Severity.Warning };
                    }
                    else firstEnv[e.Name] = e;
                }

                foreach (var (name, s) in firstSecret)
                    if (firstEnv.TryGetValue(name, out var e))
                        yield return At(s.NameNode,
                            $"container `{c.Name}` sets `{name}` both in `secrets` and in `environment`: ECS rejects the task definition (\"The secret name must be unique and not shared with any new or existing environment variables set on the container\")",
                            related: [new RelatedLocation(e.NameNode.Span, $"`{name}` also set in `environment` here")]);
            }
    }

    /// <summary>The value of an environment entry, or null when it is missing or not a plain value (then values are not compared).</summary>
    private static string? ValueOf(NamedEntry e) => e.Entry["value"] is ScalarNode s ? (s.IsNull ? "" : s.Value ?? "") : null;
}
