using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;

namespace Groundcrew.Rules.Live;

/// <summary>
/// A8 against the registry as it is: a workload or task definition deploys an image from an ECR repository of the
/// inventoried account and Region by a tag (or digest) that was never pushed there, or from a repository that does
/// not exist. The pull fails (`ImagePullBackOff` / `CannotPullContainerError: ... not found`). The finding names the
/// pushed tags nearest to the one asked for. Silent for images outside ECR, in another account or Region, templated
/// references, and when the repositories or that repository's images could not be listed ("not known").
/// </summary>
public sealed class LiveImageTagNotPushed : Rule
{
    /// <summary>How many of the nearest pushed tags a finding names.</summary>
    private const int NearestTags = 3;

    public override string Title => "The image tag or digest was never pushed to the ECR repository";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "Failed to pull image \"ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG\": ... not found (ImagePullBackOff) / CannotPullContainerError: ... not found";
    public override string Fix =>
        "Push the image before the deploy (build and `docker push` it in the pipeline that bumps the tag), or deploy a tag the repository holds.";
    public override IReadOnlyList<string> Incidents => ["A8"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws, "ecr.repositories")) yield break;
        foreach (var w in context.Model.Workloads)
            foreach (var c in w.Containers)
                if (Judge(snapshot, aws, c.ImageNode, $"container `{c.Name}` of {w.Resource.Kind}/{w.Resource.Name}") is { } f) yield return f;
        foreach (var td in context.Model.TaskDefinitions)
            foreach (var c in td.Containers)
                if (Judge(snapshot, aws, c.ImageNode, $"container `{c.Name}` of task definition `{td.Family}`") is { } f) yield return f;
    }

    private Finding? Judge(Snapshot snapshot, AwsFacts aws, ScalarNode? node, string who)
    {
        if (node is not { Value: { } image } || EcrImageReference.Parse(image) is not { } r) return null;
        if (!LiveFacts.InScope(snapshot, r.Account, r.Region) || !snapshot.Knows("ecr.repositories")) return null;
        if (r.RepositoryIn(aws) is not { } repo)
        {
            var names = aws.EcrRepositories.Where(x => x.Uri.StartsWith(r.Host + "/", StringComparison.Ordinal)).Select(x => x.Name).ToList();
            var meant = LiveFacts.MostLikely(r.Repository, names);
            return At(node,
                $"Image `{image}` ({who}) is pulled from ECR repository `{r.Repository}`, which does not exist in account {r.Account} {r.Region} " +
                $"{LiveFacts.Observed(snapshot)}." + (meant != null ? $" The closest repository is `{meant}`." : ""),
                $"Create the repository and push the image (`aws ecr create-repository --repository-name {r.Repository}`, then `docker push {image}`)" +
                (meant != null ? $", or pull from `{r.Host}/{meant}`." : "."));
        }
        if (!r.ImagesKnown(snapshot) || r.ImageIn(repo) != null) return null;
        var nearest = Nearest(r, repo);
        var holds = repo.Images.Count == 0 ? "holds no image at all"
            : nearest.Count == 0 ? $"holds {repo.Images.Count} untagged image(s) only"
            : $"holds no image with that {(r.ByDigest ? "digest" : "tag")}; the nearest pushed tag(s): {string.Join(", ", nearest.Select(t => $"`{t}`"))}";
        return At(node,
            $"Image `{image}` ({who}) asks ECR repository `{r.Repository}` for {r.Wanted}, which was never pushed: the repository {holds} " +
            $"{LiveFacts.Observed(snapshot)}. The pull fails with `not found`.",
            $"Push {r.Wanted} to `{r.Host}/{r.Repository}` before the deploy (`docker push {image}`)" +
            (nearest.Count > 0 ? $", or deploy a pushed tag such as `{r.Host}/{r.Repository}:{nearest[0]}`." : "."));
    }

    /// <summary>
    /// The pushed tags closest to the one asked for (fewest edits; a version with one digit off comes first), ties in
    /// descending order so that the higher version of two equally near ones leads. For a digest: the tags in descending order.
    /// </summary>
    private static List<string> Nearest(EcrImageReference r, EcrRepositoryFact repo)
    {
        var tags = repo.Images.SelectMany(i => i.Tags).Distinct(StringComparer.Ordinal);
        var ordered = r.ByDigest
            ? tags.OrderByDescending(t => t, StringComparer.Ordinal)
            : tags.OrderBy(t => EditDistance.Between(r.Tag, t)).ThenByDescending(t => t, StringComparer.Ordinal);
        return ordered.Take(NearestTags).ToList();
    }
}
