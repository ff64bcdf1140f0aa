using System.Text;
using System.Text.RegularExpressions;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Model;
using Groundcrew.Rules.Images;
using Groundcrew.Rules.Values;

namespace Groundcrew.Config;

/// <summary>One choice `groundcrew init` made, with the evidence for it (printed, and written as a comment).</summary>
public sealed record InitDecision(string Setting, string Decision, string Why);

/// <summary>The `.groundcrew.yaml` text and the decisions behind it.</summary>
public sealed record InitPlan(string Yaml, IReadOnlyList<InitDecision> Decisions);

/// <summary>
/// Works out a `.groundcrew.yaml` for a repository from what a scan finds in it (docs/configuration.md#groundcrew-init):
/// the target platform from node groups, NodePools and task definitions; the registries images come from; browser-env
/// prefixes that frontend frameworks were configured with; and excludes for vendored folders. Every setting it cannot
/// justify is written commented out, with the reason.
/// </summary>
public static partial class InitPlanner
{
    /// <summary>Folder names that hold other people's code, checked in or downloaded.</summary>
    private static readonly string[] VendoredNames = ["vendor", "third_party", "third-party", "node_modules", "bower_components", ".terraform", "Pods"];

    public static InitPlan Plan(string root)
    {
        var full = Path.GetFullPath(root);
        var result = new CheckRunner(new CheckOptions { Paths = [full], Config = GroundcrewConfig.Default }).Run();
        var decisions = new List<InitDecision>();
        var yaml = new StringBuilder();
        yaml.AppendLine("# .groundcrew.yaml, written by `groundcrew init` from what it found in this repository.");
        yaml.AppendLine("# Every setting is explained in docs/configuration.md; `groundcrew check` reads this file.");
        yaml.AppendLine();
        yaml.AppendLine("# Lowest severity that fails `groundcrew check` (exit 1): error, warning or note.");
        yaml.AppendLine("failOn: error");

        Platform(result.Model, yaml, decisions);
        Registries(result.Model, yaml, decisions);
        BrowserEnv(full, yaml, decisions);
        Excludes(full, yaml, decisions);

        yaml.AppendLine();
        yaml.AppendLine("# Turn a rule off or change its severity (ids: `groundcrew rules`), e.g.:");
        yaml.AppendLine("# rules:");
        yaml.AppendLine("#   config-change-not-rolled-out: off");
        return new InitPlan(yaml.ToString(), decisions);
    }

    private static void Platform(DeploymentModel model, StringBuilder yaml, List<InitDecision> decisions)
    {
        var facts = model.Architectures;
        var known = facts.Nodes.Concat(facts.TaskDefinitions).Where(f => f.IsKnown).ToList();
        var archs = known.Select(f => f.Arch).Distinct().ToList();
        yaml.AppendLine();
        yaml.AppendLine("# Target platform of the clusters and tasks: images built for another CPU architecture are reported.");
        if (archs.Count == 1 && CpuArchitectures.Name(archs[0]) is var name && name is "amd64" or "arm64")
        {
            var evidence = string.Join("; ", known.Take(3).Select(f => $"{f.Describe()} at {f.Span.File}:{f.Span.StartLine}")) + (known.Count > 3 ? $"; and {known.Count - 3} more" : "");
            decisions.Add(new InitDecision("platform", $"linux/{name}", evidence));
            yaml.AppendLine($"# From: {evidence}.");
            yaml.AppendLine($"platform: linux/{name}");
            return;
        }
        var why = known.Count == 0
            ? "no node group, NodePool or task definition in the repository says which CPU architecture runs the images"
            : $"the node groups and task definitions disagree ({string.Join(", ", archs.Select(CpuArchitectures.Name))})";
        decisions.Add(new InitDecision("platform", "not set", why));
        yaml.AppendLine($"# Not set: {why}.");
        yaml.AppendLine("# platform: linux/amd64");
    }

    private static void Registries(DeploymentModel model, StringBuilder yaml, List<InitDecision> decisions)
    {
        var images = model.Workloads.SelectMany(w => w.Containers).Concat(model.TaskDefinitions.SelectMany(t => t.Containers))
            .Select(c => c.Image).OfType<string>()
            // A templated or placeholder image ($IMAGE, {{ .Values.image }}, ACCOUNT_ID.dkr...) says nothing about the registry.
            .Where(i => !i.Contains('$') && !i.Contains("{{", StringComparison.Ordinal) && Placeholders.Any(i) == null)
            .Select(ImageReference.Parse).Where(r => r.IsValid).ToList();
        yaml.AppendLine();
        yaml.AppendLine("# Where images come from. required: an image that names no registry host is an error;");
        yaml.AppendLine("# allowed: the registry hosts images may come from.");
        if (images.Count == 0)
        {
            decisions.Add(new InitDecision("registry", "not set", "no container image found"));
            yaml.AppendLine("# Not set: no container image found.");
            yaml.AppendLine("# registry:");
            yaml.AppendLine("#   required: true");
            return;
        }
        var hosts = images.Where(i => i.Domain != null).GroupBy(i => i.Domain!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var bare = images.Where(i => i.Domain == null).Select(i => i.Raw).Distinct().ToList();
        yaml.AppendLine("registry:");
        if (bare.Count == 0)
        {
            decisions.Add(new InitDecision("registry.required", "true", $"all {images.Count} image(s) name a registry host"));
            yaml.AppendLine($"  # Every one of the {images.Count} image(s) found names a registry host.");
            yaml.AppendLine("  required: true");
        }
        else
        {
            var sample = string.Join(", ", bare.Take(3)) + (bare.Count > 3 ? ", ..." : "");
            var why = $"{bare.Count} image(s) name no registry ({sample}): pulled from Docker Hub, or preloaded on a local cluster";
            decisions.Add(new InitDecision("registry.required", "false", why + "; set it to true if the cluster pulls every image from a registry"));
            yaml.AppendLine($"  # Off: {why}.");
            yaml.AppendLine("  # If the cluster pulls every image from a registry, those are bugs: set this to true.");
            yaml.AppendLine("  required: false");
        }
        if (hosts.Count > 0 && bare.Count == 0)
        {
            var list = string.Join(", ", hosts.Select(h => $"{h.Key} ({h.Count()} image(s))"));
            decisions.Add(new InitDecision("registry.allowed", string.Join(", ", hosts.Select(h => h.Key)), $"the registries the images found come from: {list}"));
            yaml.AppendLine($"  # The registries the images found come from: {list}.");
            yaml.AppendLine("  allowed:");
            foreach (var h in hosts) yaml.AppendLine($"    - {Quote(h.Key)}");
        }
        else if (hosts.Count > 0)
        {
            decisions.Add(new InitDecision("registry.allowed", "not set", "some images name no registry, so a list of hosts would not cover them"));
            yaml.AppendLine($"  # allowed: [{string.Join(", ", hosts.Select(h => Quote(h.Key)))}]");
        }
    }

    /// <summary>Frontend frameworks whose public env prefix is built in, by the npm package that marks them.</summary>
    private static readonly (string Package, string Framework, string Prefix)[] Frameworks =
    [
        ("vite", "Vite", "VITE_"), ("next", "Next.js", "NEXT_PUBLIC_"), ("react-scripts", "Create React App", "REACT_APP_"),
        ("nuxt", "Nuxt", "NUXT_PUBLIC_"), ("@sveltejs/kit", "SvelteKit", "PUBLIC_"), ("astro", "Astro", "PUBLIC_"),
        ("@vue/cli-service", "Vue CLI", "VUE_APP_"), ("gatsby", "Gatsby", "GATSBY_"), ("expo", "Expo", "EXPO_PUBLIC_"),
        ("@ngx-env/builder", "Angular (@ngx-env)", "NG_APP_"),
    ];

    private static void BrowserEnv(string root, StringBuilder yaml, List<InitDecision> decisions)
    {
        var found = new List<string>();
        var extra = new SortedSet<string>(StringComparer.Ordinal);
        var where = new List<string>();
        foreach (var pkg in Files(root, f => Path.GetFileName(f) == "package.json"))
        {
            string text;
            try { text = File.ReadAllText(pkg); } catch (IOException) { continue; }
            var rel = Rel(root, pkg);
            foreach (var (package, framework, prefix) in Frameworks)
                if (text.Contains($"\"{package}\"", StringComparison.Ordinal))
                    found.Add($"{framework} in {rel} ({prefix}* is built in)");
            // A configured prefix (Vite's envPrefix, SvelteKit's kit.env.publicPrefix) is one Groundcrew cannot know.
            var folder = Path.GetDirectoryName(pkg)!;
            foreach (var config in Directory.EnumerateFiles(folder).Where(f => Path.GetFileName(f) is var n && (n.StartsWith("vite.config.", StringComparison.Ordinal) || n.StartsWith("svelte.config.", StringComparison.Ordinal))))
            {
                string source;
                try { source = File.ReadAllText(config); } catch (IOException) { continue; }
                foreach (Match m in ConfiguredPrefix().Matches(source))
                    foreach (Capture c in m.Groups["p"].Captures)
                        if (c.Value.Length > 0 && !Frameworks.Any(f => f.Prefix == c.Value) && extra.Add(c.Value + "*")) where.Add($"{c.Value}* from {m.Groups["key"].Value} in {Rel(root, config)}");
            }
        }
        yaml.AppendLine();
        yaml.AppendLine("# Env names whose values reach browsers, besides the built-in VITE_*, NEXT_PUBLIC_*, REACT_APP_*, ...:");
        yaml.AppendLine("# an internal address there fails in every real browser.");
        foreach (var f in found) yaml.AppendLine($"# Found {f}.");
        if (extra.Count > 0)
        {
            decisions.Add(new InitDecision("browserEnv", string.Join(", ", extra), string.Join("; ", where)));
            yaml.AppendLine($"# From: {string.Join("; ", where)}.");
            yaml.AppendLine("browserEnv:");
            foreach (var e in extra) yaml.AppendLine($"  - {Quote(e)}");
            return;
        }
        var why = found.Count > 0 ? $"{string.Join("; ", found)}; no custom prefix configured" : "no frontend framework found";
        decisions.Add(new InitDecision("browserEnv", "not set", why));
        yaml.AppendLine("# browserEnv:");
        yaml.AppendLine("#   - \"MYAPP_PUBLIC_*\"");
    }

    private static void Excludes(string root, StringBuilder yaml, List<InitDecision> decisions)
    {
        var vendored = new List<(string Rel, int Files)>();
        Walk(root, 0);
        yaml.AppendLine();
        yaml.AppendLine("# Paths not to scan (gitignore syntax, relative to this folder); .gitignore is honoured too.");
        if (vendored.Count == 0)
        {
            decisions.Add(new InitDecision("exclude", "not set", "no vendored folder (vendor/, third_party/, node_modules/, .terraform/) outside .gitignore"));
            yaml.AppendLine("# exclude:");
            yaml.AppendLine("#   - \"docs/**\"");
            return;
        }
        var why = string.Join("; ", vendored.Select(v => $"{v.Rel}/ holds {v.Files} file(s) of vendored code"));
        decisions.Add(new InitDecision("exclude", string.Join(", ", vendored.Select(v => v.Rel + "/**")), why));
        yaml.AppendLine("# Vendored code, not this repository's deployment:");
        yaml.AppendLine("exclude:");
        foreach (var v in vendored) yaml.AppendLine($"  - {Quote(v.Rel + "/**")}  # {v.Files} file(s)");
        return;

        void Walk(string dir, int depth)
        {
            if (depth > 6) return;
            IEnumerable<string> subdirs;
            try { subdirs = Directory.EnumerateDirectories(dir).OrderBy(d => d, StringComparer.Ordinal).ToList(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return; }
            foreach (var sub in subdirs)
            {
                var name = Path.GetFileName(sub);
                if (name == ".git" || new DirectoryInfo(sub).LinkTarget != null) continue;
                if (VendoredNames.Contains(name, StringComparer.Ordinal))
                {
                    var rel = Rel(root, sub);
                    if (!GitIgnored(root, rel)) vendored.Add((rel, CountFiles(sub)));
                    continue;
                }
                Walk(sub, depth + 1);
            }
        }
    }

    /// <summary>The scan honours .gitignore already: a folder it lists needs no exclude.</summary>
    private static bool GitIgnored(string root, string rel)
    {
        var name = rel.Split('/')[^1];
        foreach (var ignore in Files(root, f => Path.GetFileName(f) == ".gitignore"))
        {
            string[] lines;
            try { lines = File.ReadAllLines(ignore); } catch (IOException) { continue; }
            foreach (var raw in lines)
            {
                var line = raw.Trim().TrimStart('/').TrimEnd('/');
                if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('!')) continue;
                if (line == name || line == rel || line == "**/" + name || line == name + "/**") return true;
            }
        }
        return false;
    }

    private static int CountFiles(string dir)
    {
        try { return Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Count(); }
        catch (IOException) { return 0; }
    }

    /// <summary>Files under the root, outside .git and vendored folders.</summary>
    private static IEnumerable<string> Files(string root, Func<string, bool> wanted)
    {
        var stack = new Stack<(string Dir, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (dir, depth) = stack.Pop();
            string[] files, dirs;
            try { files = Directory.GetFiles(dir); dirs = Directory.GetDirectories(dir); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            foreach (var f in files.Order(StringComparer.Ordinal)) if (wanted(f)) yield return f;
            if (depth >= 8) continue;
            foreach (var d in dirs)
                if (Path.GetFileName(d) is var n && n != ".git" && !VendoredNames.Contains(n) && new DirectoryInfo(d).LinkTarget == null)
                    stack.Push((d, depth + 1));
        }
    }

    private static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    // envPrefix: 'APP_' | envPrefix: ['APP_', "X_"] (Vite); publicPrefix: 'X_' (SvelteKit kit.env).
    [GeneratedRegex(@"(?<key>envPrefix|publicPrefix)\s*:\s*(?:\[\s*)?(?:['""`](?<p>[A-Za-z0-9_]*)['""`]\s*,?\s*)+")]
    private static partial Regex ConfiguredPrefix();
}
