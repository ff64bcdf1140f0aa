using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Load;
using Groundcrew.Load.Dockerfile;

namespace Groundcrew.Rules.Docker;

/// <summary>
/// `RUN npx <pkg>` without a version, at a point of the stage where the package is not installed: npx then downloads
/// whatever version is latest on the registry, not the one package.json pins (Prisma 7 instead of 6, incident A10).
/// Error when package.json pins the package (a devDependency removed by `npm ci --omit=dev`, or nothing installed yet);
/// warning when the package is in no package.json we can see. Silent once node_modules is installed or copied in.
/// </summary>
public sealed partial class NpxUnpinned : Rule
{
    public override string Title => "npx runs a package that is not installed, so it downloads the latest version";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "the image is built with a different CLI version than package.json pins (e.g. `npx prisma generate` fetching Prisma 7 for a Prisma 6 project: the generated client and the runtime disagree)";
    public override string Fix => "Run it where the dependency is installed (in the build stage, or before `npm prune --omit=dev`) and copy the result, or pin the version: `npx prisma@6.5.0 generate`.";
    public override IReadOnlyList<string> Incidents => ["A10"];

    private enum Installed { None, Production, All }

    private static readonly Lazy<Dictionary<string, string>> Bins = new(() =>
        (DataFiles.ReadYaml("npx-bins.yaml").GetSeq("bins")?.Maps ?? [])
            .Where(m => m.GetString("bin") != null && m.GetString("package") != null)
            .ToDictionary(m => m.GetString("bin")!, m => m.GetString("package")!, StringComparer.Ordinal));

    [GeneratedRegex(@"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")]
    private static partial Regex PackageName();

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var manifests = new Dictionary<string, Manifest?>(StringComparer.Ordinal);
        var folderOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var app in context.Model.Apps)
            foreach (var d in app.Dockerfiles) folderOf[d.File] = app.FullPath;
        foreach (var doc in context.Model.Dockerfiles)
        {
            Manifest? manifest = null;
            if (folderOf.TryGetValue(doc.File, out var folder))
            {
                if (!manifests.TryGetValue(folder, out manifest)) manifests[folder] = manifest = Manifest.Read(folder);
            }
            foreach (var stage in doc.Stages)
                foreach (var f in CheckStage(doc, stage, manifest)) yield return f;
        }
    }

    private IEnumerable<Finding> CheckStage(DockerfileDocument doc, DockerStage stage, Manifest? manifest)
    {
        var state = Installed.None;
        int? prodLine = null;
        string? prodCommand = null;
        var nodeEnvProduction = false;
        var explicitlyInstalled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ins in DockerSupport.Instructions(stage))
        {
            switch (ins.Keyword)
            {
                case "ENV":
                    foreach (var kv in ins.KeyValues)
                        if (kv.Key == "NODE_ENV") nodeEnvProduction = kv.Value == "production";
                    continue;
                case "COPY" or "ADD":
                    // node_modules copied in (from a build stage or the context): whatever npx needs is probably there.
                    if (ins.ArgumentsWithoutFlags.Contains("node_modules", StringComparison.Ordinal)) state = Installed.All;
                    continue;
                case "RUN":
                    break;
                default:
                    continue;
            }
            var shell = DockerSupport.ShellText(ins);
            foreach (var cmd in DockerSupport.Commands(shell))
            {
                var words = StripPrefix(cmd);
                if (words.Count == 0) continue;
                if (words[0] == "npx" && ins.StageIndex == stage.Index && state != Installed.All)
                {
                    if (Unpinned(words) is { } pkgWord && Finding(doc, ins, pkgWord, state, prodLine, prodCommand, manifest, explicitlyInstalled) is { } f) yield return f;
                    continue;
                }
                var (kind, packages) = InstallKind(words, nodeEnvProduction);
                explicitlyInstalled.UnionWith(packages);
                if (kind == Installed.All) state = Installed.All;
                else if (kind == Installed.Production) { state = Installed.Production; prodLine = ins.StartLine; prodCommand = string.Join(' ', words); }
            }
        }
    }

    private Finding? Finding(DockerfileDocument doc, DockerInstruction ins, string bin, Installed state, int? prodLine, string? prodCommand, Manifest? manifest, HashSet<string> explicitlyInstalled)
    {
        var package = Bins.Value.GetValueOrDefault(bin, bin);
        if (explicitlyInstalled.Contains(bin) || explicitlyInstalled.Contains(package)) return null; // npm i -g <pkg> earlier
        string? version = null;
        var dev = false;
        if (manifest != null)
        {
            if (manifest.Dependencies.TryGetValue(package, out var v)) version = v;
            else if (manifest.DevDependencies.TryGetValue(package, out var dv)) { version = dv; dev = true; }
        }
        if (state == Installed.Production && version != null && !dev) return null; // a production dependency stays installed
        var offset = ins.Arguments.IndexOf("npx", StringComparison.Ordinal);
        var line = offset >= 0 ? ins.LineOfOffset(offset) : ins.StartLine;
        var span = new SourceSpan(doc.File, line, 1);
        var why = state == Installed.Production
            ? $"`{prodCommand}` (line {prodLine}) installed production dependencies only"
            : "no dependencies are installed in this stage before it";
        if (version != null)
        {
            var where = dev ? "devDependencies" : "dependencies";
            return At(span, $"`npx {bin}` runs where {package} is not installed: {why}, so npx downloads the latest {package} from the registry instead of the {version} that package.json pins ({where}).",
                related: [new RelatedLocation(new SourceSpan(manifest!.DisplayHint(doc.File), manifest.Lines.GetValueOrDefault(package, 1), 1), $"{package} is pinned to {version} here")]);
        }
        var f = At(span, $"`npx {bin}` without a version runs where {bin} is not installed ({why}): npx downloads whatever version of {package} is latest when the image is built, so two builds of the same commit can differ. Pin it (`npx {package}@<version>`) or install it first.");
        return f with { Severity = Severity.Warning };
    }

    /// <summary>The package npx runs when it is unpinned and npx may fetch it; null when pinned, local-only or not a package name.</summary>
    private static string? Unpinned(List<string> words)
    {
        for (var i = 1; i < words.Count; i++)
        {
            var w = words[i];
            if (w is "--no-install" or "--no" or "--offline" or "--prefer-offline") return null; // never fetches (or uses the cache)
            if (w is "-p" or "--package" || w.StartsWith("--package=", StringComparison.Ordinal)) return null; // -p names the package; the command is a bin of it (not judged)
            if (w == "-c" || w == "--call") return null;
            if (w.StartsWith('-')) continue;
            // The command: scoped names carry @ first; a version follows a later @.
            if (w.LastIndexOf('@') > 0) return null;
            return PackageName().IsMatch(w) ? w : null;
        }
        return null;
    }

    /// <summary>Drop leading `VAR=value` assignments and wrappers (`exec`, `env`, `sudo`).</summary>
    private static List<string> StripPrefix(List<string> cmd)
    {
        var i = 0;
        while (i < cmd.Count && (cmd[i].Contains('=') && !cmd[i].StartsWith('-') || cmd[i] is "exec" or "env" or "sudo" or "time")) i++;
        return cmd.Skip(i).ToList();
    }

    /// <summary>What a command installs: all dependencies, production ones only, or nothing; plus packages named explicitly.</summary>
    private static (Installed? Kind, List<string> Packages) InstallKind(List<string> w, bool nodeEnvProduction)
    {
        if (w.Count < 2 && !(w.Count == 1 && w[0] == "yarn")) return (null, []);
        var tool = w[0];
        var sub = w.Count > 1 ? w[1] : "install";
        var flags = w.Skip(2).Where(x => x.StartsWith('-')).ToList();
        var args = w.Skip(2).Where(x => !x.StartsWith('-')).ToList();
        bool Prod() => flags.Any(f => f is "--production" or "--prod" or "-P" or "--omit=dev" or "--only=production" or "--only=prod" or "--production=true")
                       || (w.Skip(2).ToList() is var rest && rest.Zip(rest.Skip(1)).Any(p => p.First == "--omit" && p.Second == "dev"));
        switch (tool)
        {
            case "npm":
                if (sub is "ci" or "install" or "i" or "add" or "isntall")
                {
                    var global = flags.Any(f => f is "-g" or "--global" or "--location=global");
                    if (global) return (null, args.Select(Bare).ToList()); // npm install -g <pkg>: only those
                    // npm install [<pkg>...] in a project installs the project's dependencies too.
                    return (Prod() || (nodeEnvProduction && !flags.Contains("--include=dev")) ? Installed.Production : Installed.All, args.Select(Bare).ToList());
                }
                if (sub == "prune" && (Prod() || nodeEnvProduction)) return (Installed.Production, []);
                return (null, []);
            case "yarn":
                if (w.Count == 1 || sub == "install" || sub.StartsWith('-')) return (w.Any(x => x is "--production" or "--prod") ? Installed.Production : Installed.All, []);
                if (sub == "add" || (sub == "global" && w.Count > 2 && w[2] == "add")) return (null, w.Skip(2).Where(x => !x.StartsWith('-') && x != "add").Select(Bare).ToList());
                if (sub == "workspaces" && w.Contains("focus")) return (Prod() ? Installed.Production : Installed.All, []);
                return (null, []);
            case "pnpm" or "bun":
                if (sub is "install" or "i") return (Prod() ? Installed.Production : Installed.All, []);
                if (sub == "add") return (null, args.Select(Bare).ToList());
                if (sub == "prune" && Prod()) return (Installed.Production, []);
                return (null, []);
            default:
                return (null, []);
        }
    }

    private static string Bare(string spec)
    {
        var at = spec.LastIndexOf('@');
        return at > 0 ? spec[..at] : spec;
    }

    private sealed record Manifest(string Path, Dictionary<string, string> Dependencies, Dictionary<string, string> DevDependencies, Dictionary<string, int> Lines)
    {
        public string DisplayHint(string dockerfileDisplay)
        {
            var dir = System.IO.Path.GetDirectoryName(dockerfileDisplay)?.Replace('\\', '/');
            return string.IsNullOrEmpty(dir) ? "package.json" : dir + "/package.json";
        }

        public static Manifest? Read(string folder)
        {
            var path = System.IO.Path.Combine(folder, "package.json");
            if (!File.Exists(path)) return null;
            try
            {
                var loaded = JsonTreeLoader.Load(FileReader.Read(path, 2_000_000).Content, path);
                if (loaded.Documents.Count == 0 || loaded.Documents[0].Root is not MapNode m) return null;
                var lines = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var key in new[] { "devDependencies", "dependencies" })
                    foreach (var e in m.GetMap(key)?.Entries ?? [])
                        if (e.Name != null) lines[e.Name] = e.KeySpan.StartLine;
                return new Manifest(path, Deps(m, "dependencies"), Deps(m, "devDependencies"), lines);
            }
            catch (Exception ex) when (ex is LoadException or IOException or UnauthorizedAccessException) { return null; }
        }

        private static Dictionary<string, string> Deps(MapNode m, string key) =>
            (m.GetMap(key)?.Entries ?? []).Where(e => e.Name != null && e.Value is ScalarNode { Value: not null })
                .GroupBy(e => e.Name).ToDictionary(g => g.Key, g => ((ScalarNode)g.Last().Value).Value!, StringComparer.Ordinal);
    }
}
