using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;

namespace Groundcrew.Rules.Live;

/// <summary>
/// A6 against the registry and the cluster as they are: an ECR image the repository deploys (by tag or digest) is a
/// manifest list whose platforms do not include the architecture it will run on: the cluster's nodes (their
/// kubernetes.io/arch, else the EKS node groups' AMI types, narrowed by a kubernetes.io/arch nodeSelector) for a
/// workload, the task definition's runtimePlatform.cpuArchitecture (X86_64 by default) for ECS. The container fails
/// with `exec format error`. Silent for single-platform images (their manifest does not name the platform), images
/// outside ECR or not in the inventory, and when the architecture is not known.
/// </summary>
public sealed class LiveImagePlatformMismatch : Rule
{
    public override string Title => "The ECR image's platforms do not include the nodes' or the task's architecture";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "exec /usr/bin/dumb-init: exec format error (CrashLoopBackOff / the ECS task stops at once)";
    public override string Fix =>
        "Build and push the image for the target platform (docker buildx build --platform linux/amd64, or linux/amd64,linux/arm64), or run it on nodes of the image's architecture.";
    public override IReadOnlyList<string> Incidents => ["A6"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws, "ecr.repositories")) yield break;
        var clusterArchs = ClusterArchitectures(snapshot, aws);
        foreach (var w in context.Model.Workloads)
        {
            var selected = w.PodSpec.GetMap("nodeSelector")?.GetString("kubernetes.io/arch");
            var archs = selected != null ? [selected] : clusterArchs.Archs;
            var where = selected != null ? $"its nodeSelector kubernetes.io/arch={selected}" : clusterArchs.Where;
            if (archs.Count == 0) continue;
            foreach (var c in w.Containers)
                if (Judge(snapshot, aws, c, archs, where) is { } f) yield return f;
        }
        foreach (var td in context.Model.TaskDefinitions)
        {
            var cpu = td.Body.GetMap("runtimePlatform")?.GetString("cpuArchitecture") ?? "X86_64";
            var arch = cpu.Equals("ARM64", StringComparison.OrdinalIgnoreCase) ? "arm64" : cpu.Equals("X86_64", StringComparison.OrdinalIgnoreCase) ? "amd64" : null;
            if (arch == null) continue;
            foreach (var c in td.Containers)
                if (Judge(snapshot, aws, c, [arch], $"task definition `{td.Family}`'s runtimePlatform cpuArchitecture {cpu}") is { } f) yield return f;
        }
    }

    private Finding? Judge(Snapshot snapshot, AwsFacts aws, Container c, IReadOnlyList<string> archs, string where)
    {
        if (c.ImageNode is not { Value: { } image } node || Find(snapshot, aws, image) is not { } found) return null;
        if (found.Image.Platforms is not { Count: > 0 } platforms) return null;
        var have = platforms.Where(p => p.StartsWith("linux/", StringComparison.Ordinal)).Select(p => p["linux/".Length..].Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        var lacking = archs.Where(a => !have.Contains(a)).ToList();
        if (lacking.Count == 0) return null;
        return At(node,
            $"Image `{image}` in ECR is built for {string.Join(", ", platforms.Select(p => $"`{p}`"))} only, but container `{c.Name}` runs on {string.Join("/", lacking)} ({where}) " +
            $"{LiveFacts.Observed(snapshot)}: it fails with `exec format error`.",
            $"Push `{image}` for linux/{string.Join(" and linux/", lacking)}: `docker buildx build --platform {string.Join(",", archs.Select(a => "linux/" + a))} -t {image} --push .`");
    }

    /// <summary>The ECR repository and image an image reference names (ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG or @sha256:...).</summary>
    private static (EcrRepositoryFact Repo, EcrImageFact Image)? Find(Snapshot snapshot, AwsFacts aws, string image)
    {
        if (EcrImageReference.Parse(image) is not { } reference || !LiveFacts.InScope(snapshot, reference.Account, reference.Region)) return null;
        if (!reference.ImagesKnown(snapshot) || !snapshot.Knows($"ecr.manifests:{reference.Repository}")) return null;
        if (reference.RepositoryIn(aws) is not { } repo || reference.ImageIn(repo) is not { } img) return null;
        return (repo, img);
    }

    /// <summary>The architectures the cluster's nodes have: the nodes' own label when the cluster side was collected, else the EKS node groups' AMI types.</summary>
    private static (IReadOnlyList<string> Archs, string Where) ClusterArchitectures(Snapshot snapshot, AwsFacts aws)
    {
        if (snapshot.Kube is { } kube && snapshot.Knows("kube.nodes") && kube.Nodes.Count > 0)
        {
            var archs = kube.Nodes.Select(n => n.Architecture).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            if (archs.Count == 0 || kube.Nodes.Any(n => n.Architecture == null)) return ([], "");
            return (archs, $"the cluster's {kube.Nodes.Count} node(s) are {string.Join("/", archs)}");
        }
        var groups = aws.EksClusters.SelectMany(c => c.NodeGroups).ToList();
        if (groups.Count == 0 || groups.Any(g => AmiArch(g.AmiType) == null)) return ([], "");
        var fromAmi = groups.Select(g => AmiArch(g.AmiType)!).Distinct().Order(StringComparer.Ordinal).ToList();
        return (fromAmi, $"node group(s) {string.Join(", ", groups.Select(g => $"`{g.Name}` ({g.AmiType})"))}");
    }

    /// <summary>EKS AMI types name their architecture: AL2_x86_64, AL2023_ARM_64_STANDARD, BOTTLEROCKET_ARM_64, ...</summary>
    private static string? AmiArch(string? amiType) =>
        amiType == null ? null
        : amiType.Contains("ARM_64", StringComparison.Ordinal) ? "arm64"
        : amiType.Contains("x86_64", StringComparison.OrdinalIgnoreCase) ? "amd64"
        : null;
}
