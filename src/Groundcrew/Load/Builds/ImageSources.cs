using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Load.Builds;

/// <summary>
/// An image that a build definition file says is built from a folder: a skaffold.yaml artifact, a Tiltfile
/// `docker_build`, a `docker buildx bake` target (HCL or JSON). <see cref="Context"/> is relative to the file's folder.
/// </summary>
public sealed record ImageSource(string Image, string Context, string? Dockerfile, SourceSpan Span, string Evidence);

/// <summary>Reads image sources from skaffold, Tilt and buildx bake files; a file it cannot read adds none.</summary>
public static partial class ImageSources
{
    private const long MaxBytes = 1024 * 1024;

    public static bool IsSourceFile(string display)
    {
        var name = Path.GetFileName(display);
        return name == "Tiltfile" || name.StartsWith("skaffold", StringComparison.Ordinal) && (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
               || name.StartsWith("docker-bake", StringComparison.Ordinal) && (name.EndsWith(".hcl", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal));
    }

    public static IReadOnlyList<ImageSource> Scan(IEnumerable<(string Display, string FullPath)> files)
    {
        var result = new List<ImageSource>();
        foreach (var (display, full) in files)
        {
            if (!IsSourceFile(display)) continue;
            try
            {
                var info = new FileInfo(full);
                if (!info.Exists || info.Length > MaxBytes) continue;
                result.AddRange(Parse(display, File.ReadAllText(full)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LoadException or RegexMatchTimeoutException
                                       or InvalidOperationException or ArgumentException) { }
        }
        return result;
    }

    public static IEnumerable<ImageSource> Parse(string display, string text)
    {
        var name = Path.GetFileName(display);
        if (name == "Tiltfile") return Tilt(display, text);
        if (name.EndsWith(".hcl", StringComparison.Ordinal)) return BakeHcl(display, text);
        if (name.EndsWith(".json", StringComparison.Ordinal)) return BakeJson(display, text);
        return Skaffold(display, text);
    }

    // --- skaffold.yaml: build.artifacts[] (and each profile's) {image, context, docker.dockerfile} ---

    private static IEnumerable<ImageSource> Skaffold(string display, string text)
    {
        var result = new List<ImageSource>();
        foreach (var doc in YamlTreeLoader.Load(text, display).Documents)
        {
            if (doc.Root is not MapNode root || root.GetString("apiVersion")?.StartsWith("skaffold/", StringComparison.Ordinal) != true) continue;
            var builds = new List<MapNode?> { root.GetMap("build") };
            builds.AddRange((root.GetSeq("profiles")?.Maps ?? []).Select(p => p.GetMap("build")));
            foreach (var artifact in builds.SelectMany(b => b?.GetSeq("artifacts")?.Maps ?? []))
            {
                if (artifact["image"] is not ScalarNode { Value: { Length: > 0 } image } node) continue;
                var context = artifact.GetString("context") ?? ".";
                result.Add(new ImageSource(image, context, artifact.GetMap("docker")?.GetString("dockerfile"), node.Span,
                    $"skaffold artifact `image: {image}` with `context: {context}` in {display}:{node.Span.StartLine}"));
            }
        }
        return result;
    }

    // The patterns below run through SafeRegex, so a match past the quick budget is redone on the linear engine instead of
    // losing the build (see PackageNames).

    // --- Tiltfile: docker_build('ref', 'context', dockerfile='...') ---

    [GeneratedRegex(@"\bdocker_build\(\s*(?:ref\s*=\s*)?['""](?<image>[^'""]+)['""]\s*,\s*(?:context\s*=\s*)?['""](?<context>[^'""]+)['""](?<rest>[^)]*)\)", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex TiltBuildQuick();
    private static readonly SafeRegex TiltBuild = new(TiltBuildQuick());

    private static IEnumerable<ImageSource> Tilt(string display, string text)
    {
        foreach (Match m in TiltBuild.Matches(text))
        {
            var line = LineOf(text, m.Index);
            // Tilt's dockerfile= is relative to the Tiltfile, not the context; the context is the app's folder either way.
            yield return new ImageSource(m.Groups["image"].Value, m.Groups["context"].Value, null,
                new SourceSpan(display, line, 1), $"`docker_build('{m.Groups["image"].Value}', '{m.Groups["context"].Value}')` in {display}:{line}");
        }
    }

    // --- docker-bake.hcl: target "api" { context = "./api"  dockerfile = "Dockerfile"  tags = ["repo/api:1"] } ---

    [GeneratedRegex(@"\btarget\s+""(?<name>[^""]+)""\s*\{", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex BakeTargetQuick();
    private static readonly SafeRegex BakeTarget = new(BakeTargetQuick());

    [GeneratedRegex(@"^\s*(?<key>context|dockerfile)\s*=\s*""(?<v>[^""]*)""", RegexOptions.Multiline, Limits.QuickRegexBudgetMs)]
    private static partial Regex BakeAttrQuick();
    private static readonly SafeRegex BakeAttr = new(BakeAttrQuick());

    [GeneratedRegex(@"^\s*tags\s*=\s*\[(?<list>[^\]]*)\]", RegexOptions.Multiline, Limits.QuickRegexBudgetMs)]
    private static partial Regex BakeTagsQuick();
    private static readonly SafeRegex BakeTags = new(BakeTagsQuick());

    [GeneratedRegex(@"""(?<s>[^""]+)""", RegexOptions.None, Limits.QuickRegexBudgetMs)]
    private static partial Regex QuotedQuick();
    private static readonly SafeRegex Quoted = new(QuotedQuick());

    private static IEnumerable<ImageSource> BakeHcl(string display, string text)
    {
        foreach (Match t in BakeTarget.Matches(text))
        {
            var open = t.Index + t.Length - 1;
            var close = MatchingBrace(text, open);
            if (close < 0) continue;
            var body = text[(open + 1)..close];
            string context = ".", dockerfile = "";
            foreach (Match a in BakeAttr.Matches(body))
                if (a.Groups["key"].Value == "context") context = a.Groups["v"].Value; else dockerfile = a.Groups["v"].Value;
            var line = LineOf(text, t.Index);
            foreach (Match list in BakeTags.Matches(body))
                foreach (Match tag in Quoted.Matches(list.Groups["list"].Value))
                    yield return new ImageSource(tag.Groups["s"].Value, context, dockerfile.Length > 0 ? dockerfile : null, new SourceSpan(display, line, 1),
                        $"bake target \"{t.Groups["name"].Value}\" (context `{context}`, tag `{tag.Groups["s"].Value}`) in {display}:{line}");
        }
    }

    private static IEnumerable<ImageSource> BakeJson(string display, string text)
    {
        var loaded = JsonTreeLoader.Load(text, display);
        if (loaded.Documents.Count == 0 || loaded.Documents[0].Root is not MapNode root) yield break;
        foreach (var e in root.GetMap("target")?.Entries ?? [])
        {
            if (e.Value is not MapNode target) continue;
            var context = target.GetString("context") ?? ".";
            foreach (var tag in target.GetSeq("tags")?.Items.OfType<ScalarNode>() ?? [])
                if (tag.Value is { Length: > 0 } v)
                    yield return new ImageSource(v, context, target.GetString("dockerfile"), tag.Span,
                        $"bake target \"{e.Name}\" (context `{context}`, tag `{v}`) in {display}:{tag.Span.StartLine}");
        }
    }

    private static int MatchingBrace(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] == '{') depth++;
            else if (s[i] == '}' && --depth == 0) return i;
            else if (s[i] == '"') { var end = s.IndexOf('"', i + 1); if (end < 0) return -1; i = end; }
        }
        return -1;
    }

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < text.Length; i++) if (text[i] == '\n') line++;
        return line;
    }
}
