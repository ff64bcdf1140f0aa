using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Load.Builds;
using Groundcrew.Config;
using Groundcrew.Model;

namespace Groundcrew.Rules.App;

/// <summary>How sure a tie is: a certain tie lets a rule report at its own severity, a likely one only at warning.</summary>
public enum TieCertainty { Certain, Likely }

/// <summary>Which application folder a container runs, and how we know (said in every finding).</summary>
public sealed record AppTie(AppFolder App, string ImageName, string How, TieCertainty Certainty = TieCertainty.Certain)
{
    /// <summary>The severity a finding that rests on this tie gets: a likely tie never makes an error.</summary>
    public Severity Cap(Severity s) => Certainty == TieCertainty.Likely && s > Severity.Warning ? Severity.Warning : s;

    /// <summary>A sentence for findings that rest on a likely tie.</summary>
    public string CertaintyNote => Certainty == TieCertainty.Likely ? " The tie is likely, not certain, so this is a warning." : "";
}

/// <summary>
/// Ties a container to the app folder its image is built from, by the image's repository name (last path segment,
/// registry and tag removed): an explicit `apps:` mapping in .groundcrew.yaml first, then docker compose `build:` +
/// `image:`, then a `docker build -t` in CI/scripts whose Dockerfile or context is the folder, then a unique package.json
/// "name", then a unique folder name, then a unique folder named like the image without a `-service` / `service-` affix.
/// Builds whose tag and context share one variable (a shell `for` loop, Make's `$*`, a GitHub `matrix.service`) tie
/// each app folder the context pattern matches; skaffold, Tilt and buildx bake files tie like docker compose; package
/// names come from package.json, pyproject.toml, setup.cfg, go.mod or a .csproj. A folder with neither Dockerfile nor
/// manifest ties by name when its code imports a web framework. A container's `command` naming an entry point
/// (`uvicorn orders.main:app`, `python -m orders`) ties the one app folder that holds it (<see cref="EntryPoints"/>).
/// Ambiguous names tie to nothing, and so does a folder holding other apps (a monorepo root mixes their reads)
/// unless the config names it.
/// </summary>
public static class AppTies
{
    private sealed class Index
    {
        public readonly Dictionary<string, AppTie> ByConfig = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<string, List<AppTie>> ByCompose = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<string, List<AppTie>> ByBuild = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<string, List<AppFolder>> ByPackage = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<string, List<AppFolder>> ByFolder = new(StringComparer.OrdinalIgnoreCase);
        public FrameworkFolders? Frameworks;
    }

    private static readonly ConditionalWeakTable<DeploymentModel, Index> Cache = new();

    public static AppTie? Find(DeploymentModel model, GroundcrewConfig config, string? image)
    {
        if (model.Apps.Count == 0 && config.AppFolders.Count == 0) return null;
        var name = RepositoryName(image);
        if (name == null) return null;
        var index = Cache.GetValue(model, m => Build(m, config));
        if (index.ByConfig.TryGetValue(name, out var configured)) return configured;
        if (index.ByCompose.TryGetValue(name, out var composed) && composed.Select(t => t.App).Distinct().Count() == 1) return composed[0];
        if (index.ByBuild.TryGetValue(name, out var built) && built.Select(t => t.App).Distinct().Count() == 1) return built[0];
        if (Unique(index.ByPackage, name) is { } byPackage)
            return new AppTie(byPackage, name, $"image `{name}` = {byPackage.PackageManifest} name of {byPackage.DisplayPath}/");
        if (Unique(index.ByFolder, name) is { } byFolder)
            return new AppTie(byFolder, name, $"image `{name}` = name of folder {byFolder.DisplayPath}/");
        foreach (var affix in new[] { "-service", "-svc" })
            if (name.EndsWith(affix, StringComparison.OrdinalIgnoreCase) && name.Length > affix.Length
                && Unique(index.ByFolder, name[..^affix.Length]) is { } v)
                return new AppTie(v, name, $"image `{name}` = folder {v.DisplayPath}/ + `{affix}`");
        if (name.StartsWith("service-", StringComparison.OrdinalIgnoreCase) && name.Length > 8 && Unique(index.ByFolder, name[8..]) is { } p)
            return new AppTie(p, name, $"image `{name}` = `service-` + folder {p.DisplayPath}/");
        // A folder with neither a Dockerfile nor a manifest (built by a root Dockerfile or by buildpacks) whose code
        // imports a web framework is an app too, tied when it is the one folder named like the image.
        lock (index) index.Frameworks ??= new FrameworkFolders(model.Root, model.Apps);
        if (index.Frameworks.Unique(name) is { } fw)
            return new AppTie(fw.App, name, $"image `{name}` = name of folder {fw.App.DisplayPath}/ ({fw.Why})");
        return null;
    }

    /// <summary>The app a container runs: by its image, else by the entry point its command names (<see cref="EntryPoints"/>).</summary>
    public static AppTie? Find(DeploymentModel model, GroundcrewConfig config, Container c) =>
        Find(model, config, c.Image) ?? EntryPoints.Tie(model, c);

    private static AppFolder? Unique(Dictionary<string, List<AppFolder>> d, string key) =>
        d.TryGetValue(key, out var l) && l.Count == 1 && !l[0].ContainsOtherApps ? l[0] : null;

    private static Index Build(DeploymentModel model, GroundcrewConfig config)
    {
        var index = new Index();
        var byPath = model.Apps.ToDictionary(a => a.DisplayPath, StringComparer.Ordinal);
        foreach (var (image, folder) in config.AppFolders)
        {
            if (!byPath.TryGetValue(folder, out var app))
            {
                var full = Path.GetFullPath(Path.Combine(model.Root, folder));
                if (!Directory.Exists(full)) continue;
                byPath[folder] = app = new AppFolder(full, folder, null, []);
            }
            index.ByConfig[image] = new AppTie(app, image, $"`apps: {{ {image}: {folder} }}` in .groundcrew.yaml");
        }
        // docker compose: services.<x>.build (a context folder, or {context, dockerfile}) beside services.<x>.image.
        foreach (var doc in model.OtherDocuments)
        {
            if (doc.Root is not MapNode root || root.GetMap("services") is not { } services) continue;
            var composeDir = Path.GetDirectoryName(doc.File)?.Replace('\\', '/') ?? "";
            foreach (var e in services.Entries)
            {
                if (e.Value is not MapNode svc || svc.GetString("image") is not { } image || RepositoryName(image) is not { } imageName) continue;
                string? context = null, dockerfile = null;
                if (svc["build"] is ScalarNode { Value: { Length: > 0 } b }) context = b;
                else if (svc.GetMap("build") is { } bm) { context = bm.GetString("context") ?? "."; dockerfile = bm.GetString("dockerfile"); }
                if (context == null || context.Contains("://") || context.Contains('$')) continue;
                var folder = Norm(Path.Combine(composeDir, context));
                if (dockerfile != null && !dockerfile.Contains('$'))
                    folder = Norm(Path.GetDirectoryName(Path.Combine(folder, dockerfile)) ?? folder);
                if (!byPath.TryGetValue(folder, out var app) || app.ContainsOtherApps) continue;
                if (!index.ByCompose.TryGetValue(imageName, out var l)) index.ByCompose[imageName] = l = [];
                l.Add(new AppTie(app, imageName, $"`build:` + `image: {image}` of service {e.Name} in {doc.File}"));
            }
        }
        // docker build -t IMAGE [-f DIR/Dockerfile] CONTEXT in CI workflows, scripts and Makefiles: the folder of the
        // Dockerfile (or the context). CI runs from the repository root, a script perhaps from its own folder: a
        // candidate counts only when exactly one of the two readings is an app folder.
        foreach (var build in model.Builds)
        {
            var scriptDir = Path.GetDirectoryName(build.Span.File)?.Replace('\\', '/') ?? "";
            var patterned = build.DockerfilePath is { } pdf && pdf.Contains('$') ? Path.GetDirectoryName(pdf) : build.Context is { } pc && pc.Contains('$') ? pc : null;
            if (patterned != null && !patterned.Contains("://")) PatternBuild(index, model, build, patterned, scriptDir);
            var source = build.DockerfilePath is { } df && !df.Contains('$') ? Path.GetDirectoryName(df) ?? "." : build.Context;
            if (source == null || source.Contains('$') || source.Contains("://")) continue;
            var candidates = new[] { Norm(source), Norm(Path.Combine(scriptDir, source)) }.Distinct()
                .Select(f => byPath.GetValueOrDefault(f)).Where(a => a != null && !a.ContainsOtherApps).Distinct().ToList();
            if (candidates.Count != 1) continue;
            foreach (var tag in build.ResolvedTags.Concat(build.Tags))
            {
                if (tag.Contains('$') || RepositoryName(tag) is not { } imageName) continue;
                if (!index.ByBuild.TryGetValue(imageName, out var l)) index.ByBuild[imageName] = l = [];
                if (l.All(t => t.App != candidates[0]))
                    l.Add(new AppTie(candidates[0]!, imageName, $"`{build.Tool} -t {tag}` at {build.Span.File}:{build.Span.StartLine} builds {candidates[0]!.DisplayPath}/"));
            }
        }
        // skaffold artifacts, Tiltfile docker_build, buildx bake targets: like compose, the context is relative to the file.
        foreach (var src in model.ImageSources)
        {
            if (RepositoryName(src.Image) is not { } imageName || src.Context.Contains('$') || src.Context.Contains("://")) continue;
            var fileDir = Path.GetDirectoryName(src.Span.File)?.Replace('\\', '/') ?? "";
            var folder = Norm(Path.Combine(fileDir, src.Context));
            if (src.Dockerfile is { } sdf && !sdf.Contains('$'))
                folder = Norm(Path.GetDirectoryName(Path.Combine(folder, sdf)) ?? folder);
            if (!byPath.TryGetValue(folder, out var app) || app.ContainsOtherApps) continue;
            if (!index.ByCompose.TryGetValue(imageName, out var l)) index.ByCompose[imageName] = l = [];
            if (l.All(t => t.App != app)) l.Add(new AppTie(app, imageName, src.Evidence));
        }
        foreach (var app in model.Apps)
        {
            if (app.PackageName is { } pn)
            {
                Add(index.ByPackage, pn, app);
                // Python distribution names compare with -, _ and . as one (PEP 503); image names use -.
                var normalized = Regex.Replace(pn, "[-_.]+", "-");
                if (normalized != pn) Add(index.ByPackage, normalized, app);
            }
            if (app.DisplayPath != ".") Add(index.ByFolder, app.Name, app);
        }
        return index;
    }

    // $svc, ${svc}, $(SVC), ${{ matrix.service }}, Make's $* (a pattern rule's stem).
    private static readonly Regex VarToken = new(@"\$\{\{\s*(?<n>[\w.-]+)\s*\}\}|\$\{(?<n>\w+)\}|\$\((?<n>\w+|\*F?)\)|\$(?<n>\w+|\*)",
        RegexOptions.None, TimeSpan.FromMilliseconds(250));

    /// <summary>
    /// A build whose context (or Dockerfile folder) holds one variable: each app folder the path matches, with the
    /// variable standing for one path segment, ties to the tag with the variable replaced by that segment (when the
    /// tag's repository is then a name). A loop or matrix that lists its values limits the segments to those.
    /// </summary>
    private static void PatternBuild(Index index, DeploymentModel model, BuildCommand build, string source, string scriptDir)
    {
        var names = VarToken.Matches(source).Select(m => m.Groups["n"].Value).Distinct().ToList();
        if (names.Count != 1) return;
        var v = names[0];
        build.LoopValues.TryGetValue(v, out var values);
        foreach (var reading in new[] { Norm(source), Norm(Path.Combine(scriptDir, source)) }.Distinct())
        {
            var literal = VarToken.Replace(reading, "\u0000");
            if (!literal.Contains('\u0000') || literal.Trim('\u0000', '/').Length == 0) continue; // a bare `$svc` matches every folder: too weak
            var pattern = "^" + string.Join("(?<stem>[^/]+)", literal.Split('\u0000').Select(Regex.Escape)) + "$";
            foreach (var app in model.Apps)
            {
                if (app.ContainsOtherApps) continue;
                var m = Regex.Match(app.DisplayPath, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(250));
                if (!m.Success) continue;
                var stems = m.Groups["stem"].Captures.Select(c => c.Value).Distinct().ToList();
                if (stems.Count != 1 || values != null && !values.Contains(stems[0])) continue;
                foreach (var tag in build.ResolvedTags.Distinct())
                {
                    var concrete = VarToken.Replace(tag, t => t.Groups["n"].Value == v ? stems[0] : t.Value);
                    if (concrete == tag || RepositoryName(concrete) is not { } imageName) continue;
                    if (!index.ByBuild.TryGetValue(imageName, out var l)) index.ByBuild[imageName] = l = [];
                    if (l.All(t => t.App != app))
                        l.Add(new AppTie(app, imageName, $"`{build.Tool} -t {tag}` at {build.Span.File}:{build.Span.StartLine} builds {app.DisplayPath}/ ({Shown(v)} = {stems[0]})"));
                }
            }
        }
    }

    private static string Shown(string variable) =>
        variable.StartsWith("matrix.", StringComparison.Ordinal) ? "${{ " + variable + " }}" : variable is "*" or "*F" ? "Make's $*" : "$" + variable;

    private static string Norm(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == ".." ) { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static void Add(Dictionary<string, List<AppFolder>> d, string key, AppFolder app)
    {
        if (!d.TryGetValue(key, out var l)) d[key] = l = [];
        if (!l.Contains(app)) l.Add(app);
    }

    /// <summary>The last path segment of an image reference, without registry, tag or digest: `123.dkr.ecr.../team/api:1.2` -> `api`.</summary>
    public static string? RepositoryName(string? image)
    {
        if (string.IsNullOrWhiteSpace(image)) return null;
        var s = image.Trim();
        var at = s.IndexOf('@');
        if (at >= 0) s = s[..at];
        var slash = s.LastIndexOf('/');
        var last = slash >= 0 ? s[(slash + 1)..] : s;
        var colon = last.IndexOf(':');
        if (colon >= 0) last = last[..colon];
        if (last.Length == 0 || last.Contains('$') || last.Contains('{')) return null; // templated, not a name
        return last;
    }
}
