using Groundcrew.Live.Inventory;

namespace Groundcrew.Rules.Live;

/// <summary>
/// An image reference to an ECR registry: ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:TAG|@sha256:...]. A reference
/// without tag or digest pulls `latest`. Templated references (`${TAG}`, `{{ .Values.tag }}`) are not references yet.
/// </summary>
internal sealed record EcrImageReference(string Host, string Account, string Region, string Repository, string Tag, string Digest)
{
    public bool ByDigest => Digest.Length > 0;

    /// <summary>"tag `1.4.0`" or "digest `sha256:...`", as a finding names what was asked for.</summary>
    public string Wanted => ByDigest ? $"digest `{Digest}`" : $"tag `{Tag}`";

    public static EcrImageReference? Parse(string image)
    {
        if (image.Contains('$') || image.Contains('{')) return null;
        var slash = image.IndexOf('/');
        if (slash < 0 || !image[..slash].Contains(".dkr.ecr.", StringComparison.Ordinal)) return null;
        var host = image[..slash];
        var labels = host.Split('.');
        if (labels.Length < 4 || labels[0].Length == 0 || labels[3].Length == 0) return null;
        var rest = image[(slash + 1)..];
        string repo, tag = "latest", digest = "";
        if (rest.IndexOf('@') is var at and > 0) { repo = rest[..at]; digest = rest[(at + 1)..]; tag = ""; }
        else if (rest.LastIndexOf(':') is var colon and > 0) { repo = rest[..colon]; tag = rest[(colon + 1)..]; }
        else repo = rest;
        if (repo.Length == 0 || (tag.Length == 0 && digest.Length == 0)) return null;
        return new EcrImageReference(host, labels[0], labels[3], repo, tag, digest);
    }

    /// <summary>True when the snapshot could list this repository's images (else "not known", never "missing").</summary>
    public bool ImagesKnown(Snapshot snapshot) =>
        snapshot.Knows("ecr.repositories") && snapshot.Knows($"ecr.images:{Repository}");

    /// <summary>The repository in the snapshot, matched by name and by registry host (the same name in another account is another repository).</summary>
    public EcrRepositoryFact? RepositoryIn(AwsFacts aws) =>
        aws.EcrRepositories.FirstOrDefault(r => r.Name == Repository && r.Uri.StartsWith(Host + "/", StringComparison.Ordinal));

    public EcrImageFact? ImageIn(EcrRepositoryFact repo) =>
        repo.Images.FirstOrDefault(i => ByDigest ? i.Digest == Digest : i.Tags.Contains(Tag));
}
