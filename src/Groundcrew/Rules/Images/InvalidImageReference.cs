using Groundcrew.Core;
using Groundcrew.Rules.Values;

namespace Groundcrew.Rules.Images;

/// <summary>
/// Image references the container runtime rejects before pulling: uppercase repository names, bad registry hosts, two
/// tags, malformed digests, empty images, whitespace. Placeholders, substitution tokens (__IMAGE__) and ${VAR} are left to placeholder-value.
/// </summary>
public sealed class InvalidImageReference : Rule
{
    public override string Title => "Invalid image reference";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`InvalidImageName: Failed to apply default image tag ...: couldn't parse image name ...: invalid reference format` (Kubernetes) / `CannotPullContainerError: invalid reference format` (ECS)";
    public override string Fix => "Write the image as [registry[:port]/]lowercase/path[:tag][@sha256:<64 hex>], e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.4.2.";
    public override IReadOnlyList<string> Incidents => ["A8"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var v in DeployValues.All(context.Model))
        {
            if (v.Site != ValueSite.Image || Placeholders.IsTemplateResource(v.Owner) || Placeholders.IsPipelinePlaceholder(v.Value)
                || RenderedAtDeploy.ReplacedBy(context.Model, v) != null) continue;
            var image = v.Node.Value ?? "";
            if (image.Contains("${", StringComparison.Ordinal) || image.Contains("{{", StringComparison.Ordinal) || Placeholders.SubstitutionToken(image) != null || Placeholders.Any(image) != null)
                continue; // placeholder-value owns placeholders, substitution tokens (__IMAGE__, #{Tag}#) and unsubstituted variables
            if (image.Contains("$(", StringComparison.Ordinal))
            {
                yield return At(v.Node, $"{v.Describe}: '{image}' uses $(VAR), which Kubernetes expands only in env, command and args, never in image; the runtime rejects the '$' character (invalid reference format)");
                continue;
            }
            var parsed = ImageReference.Parse(image);
            if (!parsed.IsValid && !ReplacedByTheBuild(context.Model, image))
                yield return At(v.Node, $"{v.Describe}: '{Show(image)}' is not a valid image reference: {parsed.Error}");
        }
        // An image key present but empty: the grammar's first case, reported where the key is.
        foreach (var c in context.Model.Workloads.SelectMany(w => w.Containers).Concat(context.Model.TaskDefinitions.SelectMany(t => t.Containers)))
                if (c.Node.Entry("image") is { } e && (e.Value is ScalarNode { IsNull: true } || e.Value is ScalarNode { Value: "" })
                    && RenderedAtDeploy.ImageReplacedBy(context.Model, c) == null && !TokenAfterKey(context.Model.Root, e.KeySpan))
                    yield return At(e.Key, $"image of container {c.Name} is empty: Kubernetes rejects the pod (spec.containers[].image: Required value) and ECS the task definition");
    }

    /// <summary>
    /// `image: #{ImageName}#` unquoted: YAML reads a comment and an empty value, but replace-tokens tools edit the text
    /// before it is parsed, so the line holds a substitution token, not an empty image.
    /// </summary>
    private static bool TokenAfterKey(string root, SourceSpan span)
    {
        try
        {
            var full = Path.GetFullPath(root);
            var path = File.Exists(full) ? full : Path.Combine(full, span.File);
            if (!File.Exists(path)) return false;
            var line = File.ReadLines(path).Skip(span.StartLine - 1).FirstOrDefault();
            return line != null && line.IndexOf('#') is var hash and >= 0 && Placeholders.SubstitutionToken(line[hash..]) != null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException) { return false; }
    }

    // CONTAINER_IMAGE, REPOSITORY_URI, IMAGE_TAG: the upper-case words a build's substitution step replaces.
    private static readonly System.Text.RegularExpressions.Regex TokenWord = new(@"(?<![\w-])[A-Z][A-Z0-9_]{2,}(?![\w-])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The image holds an upper-case word that a line of the repository's scripts, Makefiles or CI files (CodeBuild
    /// buildspec, GitLab CI, Jenkinsfile, Azure Pipelines, CircleCI, Bitbucket Pipelines, GitHub workflows) rewrites,
    /// as `sed -i "s|CONTAINER_IMAGE|$REPO:$TAG|"` does: the image is a stand-in, not what is deployed.
    /// </summary>
    private static bool ReplacedByTheBuild(Model.DeploymentModel model, string image)
    {
        var words = TokenWord.Matches(image).Select(m => m.Value).Distinct().ToList();
        if (words.Count == 0) return false;
        var scripts = RepoScripts.For(model);
        return words.Any(w => scripts.Replaces(w) != null);
    }

    private static string Show(string s) => s.Length > 160 ? s[..157] + "..." : s;
}
