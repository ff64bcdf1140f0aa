using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>
/// An ECS task definition in any of its shapes (the register-task-definition input, or the
/// {"taskDefinition": {...}} that describe-task-definition prints). <see cref="Body"/> is the object
/// holding containerDefinitions.
/// </summary>
public sealed class EcsTaskDefinition(Resource resource)
{
    public Resource Resource { get; } = resource;
    public MapNode Body => Resource.Body;
    public string Family => Resource.Name;
    public ScalarNode? ExecutionRoleArn => Body["executionRoleArn"] as ScalarNode;
    public ScalarNode? TaskRoleArn => Body["taskRoleArn"] as ScalarNode;

    public IEnumerable<Container> Containers =>
        (Body.GetSeq("containerDefinitions")?.Maps ?? []).Select(c => new Container(Resource, c, c.GetString("name") ?? "", false));

    /// <summary>Find the body inside a loaded document, whichever shape it has.</summary>
    public static MapNode? BodyOf(MapNode document)
    {
        if (document["containerDefinitions"] is SeqNode) return document;
        if (document.GetMap("taskDefinition") is { } inner && inner["containerDefinitions"] is SeqNode) return inner;
        return null;
    }
}
