using Groundcrew.Core;

namespace Groundcrew.Load.Npm;

/// <summary>
/// One peer dependency a lockfile records for an installed package, with the version the lockfile installs for that peer
/// where the package resolves it. <see cref="Importer"/> is the workspace folder (relative to the lockfile's folder, "" for the
/// root) that depends on <see cref="Dependent"/> directly, or null when the package is only a transitive dependency.
/// </summary>
public sealed record PeerRequirement(string Dependent, string DependentVersion, string Peer, string Range, bool Optional,
    string? Installed, string? Importer, SourceSpan LockSpan);

/// <summary>What a lockfile says about peers. <see cref="Manager"/>: npm, pnpm or yarn.</summary>
public sealed record LockfilePeers(string Manager, string File, IReadOnlyList<PeerRequirement> Peers);

/// <summary>
/// Reads peer dependencies from lockfiles: package-lock.json / npm-shrinkwrap.json v2 and v3 (the "packages" map; v1 records no
/// peers), pnpm-lock.yaml (v5 to v9: "packages" entries carry peerDependencies; importers give the installed versions) and Yarn
/// Berry's yarn.lock (entries carry peerDependencies). Yarn v1's yarn.lock records no peers: <see cref="YarnV1Versions"/> only
/// gives the versions it installs. Nothing here throws on odd input: what cannot be read yields no requirement.
/// </summary>
public static class Lockfiles
{
    public static readonly string[] NpmNames = ["package-lock.json", "npm-shrinkwrap.json"];

    // --- npm ---

    /// <summary>npm lockfile v2/v3: every installed package with peerDependencies, its peers resolved the way Node resolves them (nearest node_modules upwards).</summary>
    public static LockfilePeers? Npm(Node root, string file)
    {
        if (root is not MapNode m) return null;
        if (m["lockfileVersion"] is not ScalarNode { AsLong: >= 2 }) return null;
        if (m.GetMap("packages") is not { } packages) return null;
        var byPath = new Dictionary<string, MapNode>(StringComparer.Ordinal);
        foreach (var e in packages.Entries)
            if (e.Value is MapNode pm) byPath[e.Name] = pm;
        // Importers: the root ("") and workspace folders (keys without node_modules/ that are not links).
        var importerDeps = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (path, pm) in byPath)
        {
            if (path.Contains("node_modules", StringComparison.Ordinal)) continue;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in DependencySections)
                if (pm.GetMap(section) is { } deps) foreach (var d in deps.Entries) names.Add(d.Name);
            importerDeps[path] = names;
        }
        var result = new List<PeerRequirement>();
        foreach (var e in packages.Entries)
        {
            var path = e.Name;
            if (e.Value is not MapNode pm) continue;
            var idx = path.LastIndexOf("node_modules/", StringComparison.Ordinal);
            if (idx < 0) continue;
            if (pm["link"] is ScalarNode { Value: "true" }) continue; // a workspace symlink: its target is an entry of its own
            if (pm.GetMap("peerDependencies") is not { } peers) continue;
            var name = pm.GetString("name") ?? path[(idx + "node_modules/".Length)..];
            var version = pm.GetString("version") ?? "";
            var meta = pm.GetMap("peerDependenciesMeta");
            // A direct dependency of an importer sits in that importer's node_modules, or (hoisted) in the root's.
            var owner = idx == 0 ? "" : path[..(idx - 1)];
            string? importer = null;
            if (!owner.Contains("node_modules", StringComparison.Ordinal))
            {
                if (importerDeps.TryGetValue(owner, out var direct) && direct.Contains(name)) importer = owner;
                else if (owner.Length == 0)
                    importer = importerDeps.Where(kv => kv.Key.Length > 0 && kv.Value.Contains(name) && !byPath.ContainsKey(kv.Key + "/node_modules/" + name))
                        .Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal).FirstOrDefault();
            }
            foreach (var p in peers.Entries)
            {
                var peer = p.Name;
                if (peer == null || p.Value is not ScalarNode { Value: { } range }) continue;
                var installed = ResolveNpm(byPath, path, peer);
                result.Add(new PeerRequirement(name, version, peer, range, IsOptional(meta, peer), installed, importer, e.KeySpan));
            }
        }
        return new LockfilePeers("npm", file, result);
    }

    private static readonly string[] DependencySections = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

    /// <summary>The version Node would load for <paramref name="name"/> required from the package at <paramref name="from"/>.</summary>
    private static string? ResolveNpm(Dictionary<string, MapNode> byPath, string from, string name)
    {
        var dir = from;
        while (true)
        {
            if (!dir.EndsWith("/node_modules", StringComparison.Ordinal) && dir != "node_modules")
            {
                var candidate = dir.Length == 0 ? "node_modules/" + name : dir + "/node_modules/" + name;
                if (byPath.TryGetValue(candidate, out var entry))
                {
                    if (entry["link"] is ScalarNode { Value: "true" } && entry.GetString("resolved") is { } target && byPath.TryGetValue(target, out var linked))
                        return linked.GetString("version");
                    return entry.GetString("version");
                }
            }
            if (dir.Length == 0) return null;
            var slash = dir.LastIndexOf('/');
            dir = slash < 0 ? "" : dir[..slash];
        }
    }

    private static bool IsOptional(MapNode? meta, string peer) =>
        meta?.GetMap(peer)?["optional"] is ScalarNode { Value: "true" };

    // --- pnpm ---

    /// <summary>
    /// pnpm-lock.yaml: for each importer's direct dependencies with recorded peerDependencies, the peer version is the one the
    /// importer itself depends on, else the one pnpm wrote into the dependency's resolved version ("1.0.0(peer@2.0.0)").
    /// </summary>
    public static LockfilePeers? Pnpm(Node root, string file)
    {
        if (root is not MapNode m) return null;
        var packages = m.GetMap("packages");
        if (packages == null) return null;
        var importers = new List<(string Path, MapNode Map)>();
        if (m.GetMap("importers") is { } imps)
        {
            foreach (var e in imps.Entries) if (e.Value is MapNode im) importers.Add((e.Name ?? ".", im));
        }
        else importers.Add((".", m)); // single-project lockfiles (v5/v6) keep dependencies at the top level
        var result = new List<PeerRequirement>();
        foreach (var (impPath, im) in importers)
        {
            var deps = new Dictionary<string, (string Version, ScalarNode Key)>(StringComparer.Ordinal);
            foreach (var section in DependencySections)
                if (im.GetMap(section) is { } sec)
                    foreach (var d in sec.Entries)
                    {
                        var v = d.Value is MapNode dm ? dm.GetString("version") : (d.Value as ScalarNode)?.Value;
                        if (d.Name is { } n && v != null) deps.TryAdd(n, (v, d.Key));
                    }
            var importer = impPath is "." or "" ? "" : impPath.TrimStart('.', '/');
            foreach (var (name, (rawVersion, key)) in deps)
            {
                var version = PnpmBaseVersion(rawVersion);
                if (version == null) continue;
                if (PnpmPackage(packages, name, version) is not { } entry) continue;
                if (entry.GetMap("peerDependencies") is not { } peers) continue;
                var meta = entry.GetMap("peerDependenciesMeta");
                foreach (var p in peers.Entries)
                {
                    var peer = p.Name;
                    if (peer == null || p.Value is not ScalarNode { Value: { } range }) continue;
                    string? installed = deps.TryGetValue(peer, out var own) ? PnpmBaseVersion(own.Version) : PeerFromSuffix(rawVersion, peer);
                    result.Add(new PeerRequirement(name, version, peer, range, IsOptional(meta, peer), installed, importer, key.Span));
                }
            }
        }
        return new LockfilePeers("pnpm", file, result);
    }

    /// <summary>"3.2.0(@nestjs/common@10.0.0)" and "3.2.0_abc" -> "3.2.0"; links, files and URLs -> null.</summary>
    private static string? PnpmBaseVersion(string raw)
    {
        var v = raw;
        var paren = v.IndexOf('(');
        if (paren >= 0) v = v[..paren];
        var underscore = v.IndexOf('_');
        if (underscore >= 0) v = v[..underscore];
        return SemVersion.Parse(v) != null ? v : null;
    }

    private static MapNode? PnpmPackage(MapNode packages, string name, string version) =>
        packages.GetMap($"{name}@{version}") ?? packages.GetMap($"/{name}@{version}") ?? packages.GetMap($"/{name}/{version}");

    private static string? PeerFromSuffix(string raw, string peer)
    {
        var marker = "(" + peer + "@";
        var i = raw.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0) return null;
        var start = i + marker.Length;
        var end = start;
        while (end < raw.Length && raw[end] != ')' && raw[end] != '(') end++;
        return PnpmBaseVersion(raw[start..end]);
    }

    // --- Yarn Berry ---

    /// <summary>Yarn 2+ yarn.lock (YAML with __metadata): workspaces' direct dependencies with recorded peerDependencies.</summary>
    public static LockfilePeers? YarnBerry(Node root, string file)
    {
        if (root is not MapNode m || m.GetMap("__metadata") == null) return null;
        var byDescriptor = new Dictionary<string, MapNode>(StringComparer.Ordinal);
        var workspaces = new List<(string Path, MapNode Map)>();
        foreach (var e in m.Entries)
        {
            if (e.Value is not MapNode em || e.Name is not { } key || key == "__metadata") continue;
            foreach (var d in key.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                byDescriptor[d] = em;
                var ws = d.IndexOf("@workspace:", 1, StringComparison.Ordinal);
                if (ws > 0 && em.GetString("resolution") is { } res && res == d) workspaces.Add((d[(ws + "@workspace:".Length)..], em));
            }
        }
        var result = new List<PeerRequirement>();
        foreach (var (wsPath, wm) in workspaces.DistinctBy(w => w.Path))
        {
            var deps = new Dictionary<string, string>(StringComparer.Ordinal); // name -> installed version
            var entries = new Dictionary<string, MapNode>(StringComparer.Ordinal);
            foreach (var section in new[] { "dependencies", "devDependencies", "optionalDependencies" })
                if (wm.GetMap(section) is { } sec)
                    foreach (var d in sec.Entries)
                    {
                        if (d.Name is not { } n || d.Value is not ScalarNode { Value: { } spec }) continue;
                        var descriptor = n + "@" + (spec.Contains(':') ? spec : "npm:" + spec);
                        if (!byDescriptor.TryGetValue(descriptor, out var entry) || entry.GetString("version") is not { } v) continue;
                        deps.TryAdd(n, v);
                        entries.TryAdd(n, entry);
                    }
            var importer = wsPath is "." or "" ? "" : wsPath.TrimStart('.', '/');
            foreach (var (name, entry) in entries)
            {
                if (entry.GetMap("peerDependencies") is not { } peers) continue;
                var meta = entry.GetMap("peerDependenciesMeta");
                foreach (var p in peers.Entries)
                {
                    if (p.Name is not { } peer || p.Value is not ScalarNode { Value: { } range }) continue;
                    if (range.StartsWith("npm:", StringComparison.Ordinal)) range = range[4..];
                    result.Add(new PeerRequirement(name, deps[name], peer, range, IsOptional(meta, peer), deps.GetValueOrDefault(peer), importer,
                        entry.Span));
                }
            }
        }
        return new LockfilePeers("yarn", file, result);
    }

    // --- Yarn v1 ---

    /// <summary>Yarn v1 yarn.lock: descriptor ("name@range") -> installed version. Null when the text is not a v1 lockfile.</summary>
    public static Dictionary<string, string>? YarnV1Versions(string text)
    {
        if (text.Contains("__metadata:", StringComparison.Ordinal)) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                current = line.TrimEnd(':').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(d => d.Trim('"')).ToList();
                continue;
            }
            if (current == null) continue;
            var t = line.Trim();
            if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal) && t.StartsWith("version ", StringComparison.Ordinal))
            {
                var v = t["version ".Length..].Trim().Trim('"');
                foreach (var d in current) result[d] = v;
                current = null;
            }
        }
        return result;
    }
}
