using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Groundcrew.Model;
using System.Text.RegularExpressions;

namespace Groundcrew.Rules.Values;

/// <summary>
/// The text of the repository's build scripts (shell scripts, Makefiles, CI workflows, Terraform), read once per
/// scanned root: the loader only parses YAML/JSON, but whether a `${VAR}` is substituted or an image is pushed is
/// written in these files. Reads at most <see cref="MaxFiles"/> files of at most 1 MB each, skipping vendored folders.
/// </summary>
public sealed partial class RepoScripts
{
    public const int MaxFiles = 5000;
    private const long MaxBytes = 1024 * 1024;
    // One read per check run: keyed by the model, so a long-lived process never sees stale text.
    private static readonly ConditionalWeakTable<DeploymentModel, Lazy<RepoScripts>> Cache = new();
    private static readonly HashSet<string> SkipDirs = new(StringComparer.Ordinal) { ".git", "node_modules", "vendor", ".terraform", "__pycache__", ".venv", "venv", "target", "bin", "obj" };

    /// <summary>(path relative to the root with '/' separators, text) of every script-like file.</summary>
    public IReadOnlyList<(string Path, string Text)> Files { get; }

    /// <summary>Paths (relative, '/' separators) of Dockerfiles/Containerfiles under the root; names only, not read.</summary>
    public IReadOnlyList<string> Dockerfiles { get; }

    private RepoScripts(IReadOnlyList<(string, string)> files, IReadOnlyList<string> dockerfiles)
    {
        Files = files;
        Dockerfiles = dockerfiles;
    }

    public static bool IsDockerfileName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower == "dockerfile" || lower.StartsWith("dockerfile.") || lower.EndsWith(".dockerfile") || lower == "containerfile";
    }

    public static RepoScripts For(DeploymentModel model) =>
        Cache.GetValue(model, m => new Lazy<RepoScripts>(() => Read(Path.GetFullPath(m.Root)))).Value;

    public static bool IsScriptName(string relative)
    {
        var name = Path.GetFileName(relative);
        var lower = name.ToLowerInvariant();
        if (lower is "makefile" or "gnumakefile" or "justfile" or "jenkinsfile" or "taskfile.yml" or "taskfile.yaml" or ".gitlab-ci.yml" or "skaffold.yaml" or "tiltfile"
            or "bitbucket-pipelines.yml" or ".drone.yml" or ".travis.yml" or "appspec.yml" or "appspec.yaml") return true;
        if (lower.StartsWith("jenkinsfile") || lower.EndsWith(".groovy") || lower.EndsWith(".jenkinsfile")) return true;
        if (lower.EndsWith(".sh") || lower.EndsWith(".bash") || lower.EndsWith(".mk") || lower.EndsWith(".ps1") || lower.EndsWith(".tf")) return true;
        if (lower.StartsWith("buildspec") || lower.StartsWith("cloudbuild") || lower.StartsWith("azure-pipelines")) return lower.EndsWith(".yml") || lower.EndsWith(".yaml");
        var rel = relative.Replace('\\', '/');
        return (rel.Contains(".github/workflows/") || rel.Contains(".circleci/") || rel.Contains(".buildkite/") || rel.Contains(".gitlab/") || rel.Contains(".azure-pipelines/")
                || rel.Contains(".azuredevops/") || lower.StartsWith(".gitlab-ci")) && (lower.EndsWith(".yml") || lower.EndsWith(".yaml"));
    }

    private static RepoScripts Read(string root)
    {
        var result = new List<(string, string)>();
        var dockerfiles = new List<string>();
        if (!Directory.Exists(root)) return new RepoScripts(result, dockerfiles);
        var stack = new Stack<string>();
        stack.Push(root);
        var seen = 0;
        while (stack.Count > 0 && seen < MaxFiles)
        {
            var dir = stack.Pop();
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(dir).ToList(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            foreach (var entry in entries)
            {
                FileSystemInfo info;
                try { info = Directory.Exists(entry) ? new DirectoryInfo(entry) : new FileInfo(entry); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
                if (info.LinkTarget != null) continue; // never follow links out of the repository or into loops
                if (info is DirectoryInfo d)
                {
                    if (!SkipDirs.Contains(d.Name)) stack.Push(d.FullName);
                    continue;
                }
                var rel = Path.GetRelativePath(root, entry).Replace('\\', '/');
                if (IsDockerfileName(info.Name) && dockerfiles.Count < MaxFiles) dockerfiles.Add(rel);
                if (!IsScriptName(rel) || ((FileInfo)info).Length > MaxBytes) continue;
                if (++seen > MaxFiles) break;
                try { result.Add((rel, File.ReadAllText(entry))); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        dockerfiles.Sort(string.CompareOrdinal);
        return new RepoScripts(result, dockerfiles);
    }

    // envsubst, Terraform templatefile/template_file, gomplate, sed/perl in-place edits, ytt, j2: the tools that fill ${VAR};
    // replace-tokens tasks/actions (qetza/replacetokens, cschleiden/replace-tokens), `yq -i` and `kustomize edit set image`
    // rewrite values (images) in place.
    [GeneratedRegex(@"\breplace-?tokens\b|\bkustomize\s+edit\s+set\s+image\b|\byq\b[^\n]*(?:\s-i\b|--inplace)|\benvsubst\b|\btemplatefile\s*\(|\btemplate_file\b|\bgomplate\b|\bsed\s+(-[a-zA-Z]*\s+)*-i|\bsed\b[^\n]*\bs[/|#]|\bperl\s+-p|\bytt\b|\bj2\b|\bjinja2?\b", RegexOptions.IgnoreCase)]
    private static partial Regex SubstitutionTool();

    private readonly ConcurrentDictionary<string, string?> _definers = new(StringComparer.Ordinal);

    /// <summary>
    /// The script, workflow or Terraform file that gives <paramref name="name"/> a value (NAME=..., export NAME, NAME: in a
    /// workflow env block, NAME = in a Terraform map): the repository's tooling feeds this variable to a substitution step.
    /// </summary>
    public string? DefinesVariable(string name) => _definers.GetOrAdd(name, n =>
    {
        var pattern = new Regex(@"(?m)(?:^|[\s{(,;])(?:export\s+|ENV\s+|set\s+)?[""']?" + Regex.Escape(n) + @"[""']?\s*(?::=|\?=|=|:(?=\s))", RegexOptions.CultureInvariant);
        foreach (var (rel, text) in Files)
            if (text.Contains(n, StringComparison.Ordinal) && pattern.IsMatch(text)) return rel;
        return null;
    });

    /// <summary>The first script, workflow or Makefile whose text contains <paramref name="token"/> (e.g. `sed "s|__IMAGE__|$IMG|"`); null when none does.</summary>
    public string? Mentions(string token) => _mentions.GetOrAdd(token, t => Files.FirstOrDefault(f => f.Text.Contains(t, StringComparison.Ordinal)).Path);

    private readonly ConcurrentDictionary<string, string?> _mentions = new(StringComparer.Ordinal);

    // A line that rewrites text: sed/perl/awk/yq/jq/envsubst, PowerShell -replace, Groovy/JS .replace(...), replace-tokens
    // tasks, kustomize edit, and the CI variants of them (CodeBuild, GitLab, Jenkins, Azure Pipelines, CircleCI, Bitbucket).
    [GeneratedRegex(@"\bsed\b|\bperl\s+-|\bawk\b|\byq\b|\bjq\b|\benvsubst\b|-replace\b|\.replace(?:All)?\s*\(|\breplace-?tokens\b|\bReplaceTokens\b|\bkustomize\s+edit\b|\bStrReplace\b|\btemplatefile\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex RewritingLine();

    /// <summary>
    /// "path:line" of a script, Makefile or CI file line that rewrites text and names <paramref name="token"/> as a whole
    /// word (`sed -i "s|CONTAINER_IMAGE|$REPO:$TAG|" k8s/app.yaml` in a CodeBuild buildspec): the token is a stand-in the
    /// build replaces. Null when no such line exists.
    /// </summary>
    public string? Replaces(string token) => _replaces.GetOrAdd(token, t =>
    {
        var word = new Regex(@"(?<![\w-])" + Regex.Escape(t) + @"(?![\w-])", RegexOptions.CultureInvariant);
        foreach (var (rel, text) in Files)
        {
            if (!text.Contains(t, StringComparison.Ordinal)) continue;
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
                if (lines[i].Contains(t, StringComparison.Ordinal) && word.IsMatch(lines[i]) && RewritingLine().IsMatch(lines[i])) return $"{rel}:{i + 1}";
        }
        return null;
    });

    private readonly ConcurrentDictionary<string, string?> _replaces = new(StringComparer.Ordinal);

    /// <summary>
    /// The script that substitutes variables in <paramref name="displayPath"/>: one that runs a substitution tool and
    /// names the file or its folder. Null when none does.
    /// </summary>
    public string? SubstituterOf(string displayPath) => _substituterOf.GetOrAdd(displayPath, FindSubstituter);

    private readonly ConcurrentDictionary<string, string?> _substituterOf = new(StringComparer.Ordinal);
    private List<(string Path, string Text)>? _substituting;

    private string? FindSubstituter(string displayPath)
    {
        // Files that run a substitution tool, found once; each resource file is then looked up once.
        _substituting ??= Files.Where(f => SubstitutionTool().IsMatch(f.Text)).ToList();
        var path = displayPath.Replace('\\', '/');
        var fileName = Path.GetFileName(path);
        var folder = Path.GetDirectoryName(path)?.Replace('\\', '/');
        var folderName = string.IsNullOrEmpty(folder) ? null : Path.GetFileName(folder);
        var folderPattern = folderName is { Length: >= 3 }
            ? new Regex(@"(^|[\s/""'=.$({])" + Regex.Escape(folderName) + @"($|[\s/""'*;)}])", RegexOptions.Multiline)
            : null;
        foreach (var (rel, text) in _substituting)
        {
            if (text.Contains(fileName, StringComparison.Ordinal)) return rel;
            if (!string.IsNullOrEmpty(folder) && text.Contains(folder, StringComparison.Ordinal)) return rel;
            if (folderPattern != null && folderPattern.IsMatch(text)) return rel;
        }
        return null;
    }
}
