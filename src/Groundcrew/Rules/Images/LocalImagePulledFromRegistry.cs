using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;
using Groundcrew.Rules.Values;

namespace Groundcrew.Rules.Images;

/// <summary>
/// Images the cluster will try to pull from a registry that does not have them: names without a registry host when
/// `.groundcrew.yaml` says images come from a registry (registry.required / registry.allowed), and images built only
/// locally (docker build -t, kind load, minikube image load) that a pull policy of Always (explicit, or the default for
/// :latest and untagged images) sends to Docker Hub.
/// </summary>
public sealed class LocalImagePulledFromRegistry : Rule
{
    public override string Title => "Local image pulled from a registry";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "`ErrImagePull` / `ImagePullBackOff`: `pull access denied for <name>, repository does not exist or may require 'docker login'` (incidents A8, E2)";
    public override string Fix => "Push the image to the registry the cluster pulls from and use its full name (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3); for a local cluster (kind, minikube), use a fixed tag with imagePullPolicy: IfNotPresent or Never.";
    public override IReadOnlyList<string> Incidents => ["A8", "E2"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var config = context.Config;
        var allowed = config.AllowedRegistries.Select(Glob).ToList();
        LocalImages? local = null;

        var containers = context.Model.Workloads.SelectMany(w => w.Containers).Select(c => (c, Kube: true))
            .Concat(context.Model.TaskDefinitions.SelectMany(t => t.Containers).Select(c => (c, Kube: false)));
        foreach (var (c, kube) in containers)
        {
            if (c.ImageNode is not { } node || node.Value is not { Length: > 0 } image) continue;
            if (image.Contains('$') || image.Contains("{{", StringComparison.Ordinal) || Placeholders.Any(image) != null) continue;
            if (!kube && RenderedAtDeploy.ImageReplacedBy(context.Model, c) != null) continue; // the workflow inserts the deployed image
            var reference = ImageReference.Parse(image);
            if (!reference.IsValid) continue; // invalid-image-reference reports it

            if (config.RegistryRequired || allowed.Count > 0)
            {
                var severity = config.RegistryRequired ? Severity.Error : Severity.Warning;
                var dockerHubAllowed = allowed.Any(a => a.Matches("docker.io", "docker.io/" + reference.Path));
                if (reference.Domain == null && (config.RegistryRequired || !dockerHubAllowed))
                {
                    var why = config.RegistryRequired ? "registry.required is true in .groundcrew.yaml" : $"registry.allowed in .groundcrew.yaml lists {string.Join(", ", config.AllowedRegistries)}";
                    yield return At(node, $"image '{image}' of container {c.Name} names no registry, so it is pulled from Docker Hub (docker.io/{(reference.Path.Contains('/') ? "" : "library/")}{reference.Path}), but {why}") with { Severity = severity };
                    continue;
                }
                if (reference.Domain != null && allowed.Count > 0 && !allowed.Any(a => a.Matches(reference.Registry, reference.Registry + "/" + reference.Path)))
                {
                    yield return At(node, $"image '{image}' of container {c.Name} comes from {reference.Registry}, which is not in registry.allowed ({string.Join(", ", config.AllowedRegistries)}) in .groundcrew.yaml") with { Severity = severity };
                    continue;
                }
            }

            if (!kube || reference.Domain != null) continue;
            var policy = c.Node.GetString("imagePullPolicy");
            var defaultAlways = reference.Digest == null && (reference.Tag == null || reference.Tag == "latest");
            var always = policy == "Always" || (policy == null && defaultAlways);
            if (!always) continue;
            var policyText = policy == "Always" ? "imagePullPolicy: Always" : $"the default pull policy for {(reference.Tag == null ? "an untagged" : "a :latest")} image (Always)";
            local ??= LocalImages.For(context.Model);
            var name = LocalImages.Normalize(image);
            if (name == null) continue;
            if (local.LoadedIntoLocalCluster.TryGetValue(name, out var loader))
                yield return At(node, $"image '{image}' of container {c.Name} is loaded straight into the local cluster by {loader}, but {policyText} makes the kubelet pull it from Docker Hub instead, where it does not exist: ErrImagePull");
            else if (local.Built.TryGetValue(name, out var builder) && local.Pusher == null)
                yield return At(node, $"image '{image}' of container {c.Name} is built locally by {builder} and nothing in this repository pushes images, but {policyText} makes the kubelet pull it from Docker Hub: ErrImagePull unless it happens to exist there");
            else if (local.Pusher == null && local.DockerfileFor(name) is { } dockerfile)
                yield return At(node, $"image '{image}' of container {c.Name} names no registry and looks built from this repository's {dockerfile}, but nothing in this repository pushes images, so {policyText} makes the kubelet pull it from Docker Hub: ErrImagePull unless it was pushed there by hand (push it to your registry and use its full name, or use a fixed tag with IfNotPresent for a local cluster)");
        }
    }

    private sealed record AllowedEntry(Groundcrew.Core.SafeRegex Host, Groundcrew.Core.SafeRegex? Prefix)
    {
        public bool Matches(string registry, string repository) =>
            Prefix != null ? Prefix.IsMatch(repository) : Host.IsMatch(registry);
    }

    /// <summary>An allowed entry: a host glob (*.dkr.ecr.*.amazonaws.com) or a repository prefix (ghcr.io/acme).</summary>
    private static AllowedEntry Glob(string entry)
    {
        static string ToRegex(string g) => Regex.Escape(g).Replace(@"\*", "[^/]*");
        var trimmed = entry.Trim().TrimEnd('/');
        return trimmed.Contains('/')
            ? new AllowedEntry(Groundcrew.Core.SafeRegex.Create("^$"), Groundcrew.Core.SafeRegex.Create("^" + ToRegex(trimmed) + "(/|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            : new AllowedEntry(Groundcrew.Core.SafeRegex.Create("^" + ToRegex(trimmed) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), null);
    }
}
