using Groundcrew.Core;
using Groundcrew.Load;
using Groundcrew.Load.Npm;
using Groundcrew.Model;

namespace Groundcrew.Rules.App;

/// <summary>
/// A package whose lockfile-recorded peerDependencies the lockfile's own installed versions do not satisfy
/// (@nestjs/config 3 asks for @nestjs/common ^8 || ^9 || ^10 beside NestJS 11). Read from package-lock.json / npm-shrinkwrap.json
/// v2/v3, pnpm-lock.yaml and Yarn Berry's yarn.lock; Yarn v1 records no peers, so its packages are checked only where the
/// package's own package.json is on disk (node_modules/NAME/package.json). A peer that is not installed, a range or version that
/// is not semver (tags, git, workspace:, file:) says nothing. npm stops `npm ci`/`npm install` with ERESOLVE (an error) unless
/// legacy-peer-deps or --force is set; pnpm and Yarn only warn (a warning), as they do.
/// </summary>
public sealed class UnmetPeerDependency : Rule
{
    public override string Title => "Installed package's peer dependency is not satisfied by the lockfile";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "npm error code ERESOLVE / npm error ERESOLVE could not resolve / While resolving: @nestjs/config@3.3.0 / Found: @nestjs/common@11.2.12 / Could not resolve dependency: peer @nestjs/common@\"^8.0.0 || ^9.0.0 || ^10.0.0\" from @nestjs/config@3.3.0 (and, when forced, a package running against a version it does not support)";
    public override string Fix => "Upgrade the dependent package to a release whose peerDependencies accept the installed version (or move the peer into the range), then regenerate the lockfile.";
    public override IReadOnlyList<string> Incidents => ["A9"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (model.Apps.Count == 0) yield break;
        var others = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var d in model.OtherDocuments) others.TryAdd(d.File, d.Root);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in model.Apps)
        {
            if (!File.Exists(Path.Combine(app.FullPath, "package.json"))) continue;
            foreach (var (peers, lenient) in LockfilesOf(app, others, context.Config.MaxFileBytes))
                foreach (var f in Report(model, app, peers, lenient))
                    if (seen.Add(f.DedupKey)) yield return f;
        }
    }

    private static string Join(string dir, string name) => dir is "." or "" ? name : dir.TrimEnd('/') + "/" + name;

    /// <summary>The lockfiles in an app folder, each with whether installs there tolerate peer conflicts (legacy-peer-deps, --force).</summary>
    private static IEnumerable<(LockfilePeers Peers, bool Lenient)> LockfilesOf(AppFolder app, Dictionary<string, Node> others, long maxBytes)
    {
        foreach (var name in Lockfiles.NpmNames)
            if (others.TryGetValue(Join(app.DisplayPath, name), out var root) && Lockfiles.Npm(root, Join(app.DisplayPath, name)) is { } npm)
            {
                yield return (npm, NpmIsLenient(app));
                break;
            }
        var pnpmFile = Join(app.DisplayPath, "pnpm-lock.yaml");
        if (others.TryGetValue(pnpmFile, out var pnpmRoot) && Lockfiles.Pnpm(pnpmRoot, pnpmFile) is { } pnpm)
            yield return (pnpm, !NpmrcSays(app, "strict-peer-dependencies", "true"));
        var yarnPath = Path.Combine(app.FullPath, "yarn.lock");
        if (File.Exists(yarnPath) && ReadYarn(app, yarnPath, maxBytes) is { } yarn)
            yield return (yarn, true);
    }

    private static LockfilePeers? ReadYarn(AppFolder app, string path, long maxBytes)
    {
        var display = Join(app.DisplayPath, "yarn.lock");
        string text;
        try { text = FileReader.Read(path, maxBytes).Content; }
        catch (Exception ex) when (ex is LoadException or IOException or UnauthorizedAccessException) { return null; }
        if (text.Contains("__metadata:", StringComparison.Ordinal))
        {
            var loaded = YamlTreeLoader.Load(text, display);
            return loaded.Documents.Count > 0 ? Lockfiles.YarnBerry(loaded.Documents[0].Root, display) : null;
        }
        // Yarn v1: no peers in the lockfile; only packages whose own package.json is installed can be checked.
        if (Lockfiles.YarnV1Versions(text) is not { } versions || PackageJson.Of(app) is not { } pkg) return null;
        var result = new List<PeerRequirement>();
        foreach (var section in PackageJson.DependencySections)
            foreach (var dep in pkg.Root.GetMap(section)?.Entries ?? [])
            {
                if (dep.Name is not { } name || dep.Value is not ScalarNode { Value: { } range }) continue;
                if (!versions.TryGetValue(name + "@" + range, out var version)) continue;
                var installedPkg = Path.Combine(app.FullPath, "node_modules", name, "package.json");
                if (!File.Exists(installedPkg) || PackageJson.Read(Path.GetDirectoryName(installedPkg)!, "node_modules/" + name) is not { } own) continue;
                if (own.Root.GetString("version") != version) continue; // node_modules is not what the lockfile installs
                var meta = own.Root.GetMap("peerDependenciesMeta");
                foreach (var p in own.Root.GetMap("peerDependencies")?.Entries ?? [])
                {
                    if (p.Name is not { } peer || p.Value is not ScalarNode { Value: { } peerRange }) continue;
                    var installed = pkg.DeclaredRange(peer) is { } declared ? versions.GetValueOrDefault(peer + "@" + declared) : null;
                    var optional = meta?.GetMap(peer)?["optional"] is ScalarNode { Value: "true" };
                    result.Add(new PeerRequirement(name, version, peer, peerRange, optional, installed, "", new SourceSpan(display, 1, 1)));
                }
            }
        return new LockfilePeers("yarn", display, result);
    }

    private static bool NpmIsLenient(AppFolder app)
    {
        if (NpmrcSays(app, "legacy-peer-deps", "true") || NpmrcSays(app, "force", "true")) return true;
        foreach (var doc in app.Dockerfiles)
            foreach (var line in doc.Instructions.Select(i => i.Arguments))
                if (line.Contains("--legacy-peer-deps", StringComparison.Ordinal) || line.Contains("npm ci --force", StringComparison.Ordinal)
                    || line.Contains("npm install --force", StringComparison.Ordinal) || line.Contains("npm i --force", StringComparison.Ordinal))
                    return true;
        return false;
    }

    /// <summary>`.npmrc` in the app folder or any folder above it (up to the scan root) sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    private static bool NpmrcSays(AppFolder app, string key, string value)
    {
        var dir = app.FullPath;
        for (var depth = 0; dir != null && depth < 8; depth++, dir = Path.GetDirectoryName(dir))
        {
            var path = Path.Combine(dir, ".npmrc");
            if (!File.Exists(path)) continue;
            try
            {
                foreach (var raw in File.ReadLines(path))
                {
                    var line = raw.Trim();
                    var eq = line.IndexOf('=');
                    if (eq <= 0 || line.StartsWith('#') || line.StartsWith(';')) continue;
                    if (line[..eq].Trim() == key && line[(eq + 1)..].Trim().Trim('"', '\'') == value) return true;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return false;
    }

    private IEnumerable<Finding> Report(DeploymentModel model, AppFolder app, LockfilePeers lockfile, bool lenient)
    {
        var unmet = new List<PeerRequirement>();
        foreach (var p in lockfile.Peers)
        {
            if (p.Installed is not { } installed || SemVersion.Parse(installed) is not { } v) continue;
            if (SemverRange.Parse(p.Range) is not { } range || range.IsSatisfiedBy(v)) continue;
            unmet.Add(p);
        }
        var severity = lockfile.Manager == "npm" && !lenient ? Severity.Error : Severity.Warning;
        var consequence = lockfile.Manager switch
        {
            "npm" when !lenient => "`npm ci` and `npm install` stop with ERESOLVE",
            "npm" => "legacy-peer-deps/--force lets npm install it anyway, so the mismatch surfaces at run time",
            "pnpm" => "pnpm installs it with an unmet-peer warning, and the package runs against a version it does not support",
            _ => "Yarn installs it with an incorrect-peer warning, and the package runs against a version it does not support",
        };
        var lockName = lockfile.File;
        foreach (var group in unmet.GroupBy(p => (p.Dependent, p.DependentVersion, p.Importer)))
        {
            var (dependent, version, importer) = group.Key;
            var peers = group.DistinctBy(p => (p.Peer, p.Installed)).ToList();
            var what = string.Join("; ", peers.Select(p => $"peer `{p.Peer}` `{p.Range}`{(p.Optional ? " (optional)" : "")}, but {lockName} installs {p.Peer} {p.Installed}"));
            var message = $"`{dependent}` {version} needs {what}: {consequence}.";
            var fix = $"Upgrade `{dependent}` to a release whose peerDependencies accept "
                + string.Join(" and ", peers.Select(p => $"{p.Peer} {p.Installed}"))
                + $" (see `npm view {dependent} peerDependencies`), or move {string.Join("/", peers.Select(p => p.Peer).Distinct())} into the range; then regenerate {Path.GetFileName(lockName)}.";
            var related = new List<RelatedLocation> { new(group.First().LockSpan, $"{lockName} entry of {dependent} {version}") };
            SourceSpan at = group.First().LockSpan;
            if (importer != null)
            {
                var dir = Join(app.DisplayPath, importer);
                var pkg = importer.Length == 0 ? PackageJson.Of(app) : PackageJson.Read(Path.Combine(app.FullPath, importer), dir);
                if (pkg?.Dependency(dependent) is { } entry)
                {
                    at = entry.KeySpan;
                    foreach (var p in peers)
                        if (pkg.Dependency(p.Peer) is { } peerEntry)
                            related.Add(new RelatedLocation(peerEntry.KeySpan, $"{p.Peer} declared here ({(peerEntry.Value as ScalarNode)?.Value}); installed {p.Installed}"));
                }
            }
            yield return new Finding(Id, severity, message, at, fix, related);
        }
    }
}
