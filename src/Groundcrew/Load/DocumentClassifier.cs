using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load;

/// <summary>
/// Decides what a parsed document is by its content, not its file name: a Kubernetes object (apiVersion + kind),
/// an ECS task definition (containerDefinitions, also inside describe-task-definition output), an IAM policy
/// (Statement), or something else kept for later rules.
/// </summary>
public static class DocumentClassifier
{
    public static IEnumerable<Resource> Classify(Node root, string file, string? renderedFrom = null)
    {
        if (root is not MapNode map) yield break;

        // `kubectl get ... -o yaml` prints a List; its items are the objects.
        if (map.GetString("kind") is "List" or "PodList" or "DeploymentList" && map.GetSeq("items") is { } items)
        {
            foreach (var item in items.Maps)
                foreach (var r in Classify(item, file, renderedFrom)) yield return r;
            yield break;
        }

        if (map.GetString("apiVersion") is { Length: > 0 } apiVersion && map.GetString("kind") is { Length: > 0 } kind)
        {
            if (kind is "Kustomization" or "Component" && apiVersion.StartsWith("kustomize.config.k8s.io", StringComparison.Ordinal)) yield break;
            var metadata = map.GetMap("metadata");
            var name = metadata?.GetString("name") ?? metadata?.GetString("generateName") ?? "";
            var ns = KubeKinds.IsClusterScoped(kind) ? null : metadata?.GetString("namespace") ?? "default";
            yield return new Resource
            {
                Family = ResourceFamily.Kubernetes, Kind = kind, ApiVersion = apiVersion, Name = name, Namespace = ns,
                Body = map, File = file, RenderedFrom = renderedFrom,
            };
            yield break;
        }

        if (PulumiClassifier.States(map) is { } states)
        {
            foreach (var r in PulumiClassifier.Classify(states, file)) yield return r;
            yield break;
        }

        if (CloudFormation.CloudFormationClassifier.IsTemplate(map))
        {
            foreach (var r in CloudFormation.CloudFormationClassifier.Classify(map, file)) yield return r;
            yield break;
        }

        if (EcsTaskDefinition.BodyOf(map) is { } td)
        {
            yield return new Resource
            {
                Family = ResourceFamily.EcsTaskDefinition, Kind = "TaskDefinition", Name = td.GetString("family") ?? Path.GetFileNameWithoutExtension(file),
                Body = td, File = file,
            };
            yield break;
        }

        if (map["Statement"] is not null)
        {
            yield return new Resource
            {
                Family = ResourceFamily.IamPolicy, Kind = "PolicyDocument", Name = map.GetString("Id") ?? Path.GetFileNameWithoutExtension(file),
                Body = map, File = file,
            };
        }
    }
}
