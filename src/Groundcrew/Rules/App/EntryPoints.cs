using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.App;

/// <summary>
/// Ties a container to an app folder by the entry point its command names: `uvicorn orders.main:app`,
/// `gunicorn orders.wsgi:application`, `python -m orders`, `python orders/main.py`, `node dist/main.js` (its source
/// src/main.ts). The tie holds when exactly one app folder holds that file. It is certain when the entry point names a
/// package or folder of its own (`orders.main`), likely when only a generic file name matches (`main:app`).
/// </summary>
public static class EntryPoints
{
    private static readonly HashSet<string> AsgiServers = new(StringComparer.Ordinal) { "uvicorn", "gunicorn", "hypercorn", "daphne", "granian" };
    private static readonly HashSet<string> Interpreters = new(StringComparer.Ordinal) { "python", "python3", "node", "ts-node", "tsx", "bun", "deno" };
    private static readonly HashSet<string> GenericSegments = new(StringComparer.OrdinalIgnoreCase)
    {
        "main", "app", "server", "index", "wsgi", "asgi", "manage", "run", "start", "src", "dist", "build", "lib", "__main__", "__init__", "application", "api",
    };

    public static AppTie? Tie(DeploymentModel model, Container c)
    {
        if (Parse(Words(c)) is not { } entry) return null;
        var hits = new List<(AppFolder App, string File)>();
        foreach (var app in model.Apps)
        {
            if (app.ContainsOtherApps) continue;
            var file = entry.Candidates.FirstOrDefault(rel => File.Exists(Path.Combine(app.FullPath, rel)));
            if (file != null) hits.Add((app, file));
        }
        if (hits.Count != 1) return null;
        var (hit, path) = hits[0];
        var distinctive = entry.Segments.Any(s => !GenericSegments.Contains(s));
        return new AppTie(hit, c.Image ?? "", $"command `{entry.Text}` names {(hit.DisplayPath == "." ? "" : hit.DisplayPath + "/")}{path}, found in no other app folder" +
                                             (distinctive ? "" : " (a generic entry point name)"),
            distinctive ? TieCertainty.Certain : TieCertainty.Likely);
    }

    private sealed record Entry(string Text, List<string> Candidates, List<string> Segments);

    /// <summary>command + args (Kubernetes), entryPoint + command (ECS); a `sh -c "..."` script split into words.</summary>
    private static List<string> Words(Container c)
    {
        var words = new List<string>();
        foreach (var key in new[] { "entryPoint", "command", "args" })
            switch (c.Node[key])
            {
                case SeqNode seq: words.AddRange(seq.Items.OfType<ScalarNode>().Select(s => s.Value ?? "")); break;
                case ScalarNode { Value: { } v }: words.Add(v); break;
            }
        if (words.Count >= 3 && words[0] is "sh" or "/bin/sh" or "bash" or "/bin/bash" && words[1] == "-c")
            words = words.Skip(2).SelectMany(w => w.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)).ToList();
        else
            words = words.SelectMany(w => w.Contains(' ') ? w.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [w]).ToList();
        return words;
    }

    private static Entry? Parse(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var program = Path.GetFileName(words[i]);
            if (AsgiServers.Contains(program))
            {
                // uvicorn [options] module:attr — the first argument that looks like module:attr.
                var target = words.Skip(i + 1).FirstOrDefault(w => !w.StartsWith('-') && w.Contains(':') && !w.Contains('/') && !w.Contains('='));
                if (target == null) return null;
                return ModuleEntry(target[..target.IndexOf(':')], $"{program} {target}");
            }
            if (Interpreters.Contains(program) || program.StartsWith("python3.", StringComparison.Ordinal))
            {
                var rest = words.Skip(i + 1).SkipWhile(w => w.StartsWith('-') && w != "-m").ToList();
                if (rest.Count >= 2 && rest[0] == "-m") return ModuleEntry(rest[1], $"{program} -m {rest[1]}");
                if (rest.Count >= 1 && Path.HasExtension(rest[0])) return FileEntry(rest[0], $"{program} {rest[0]}");
                return null;
            }
        }
        return null;
    }

    private static Entry? ModuleEntry(string module, string text)
    {
        var parts = module.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => !p.All(ch => char.IsLetterOrDigit(ch) || ch == '_'))) return null;
        var path = string.Join('/', parts);
        var candidates = new List<string>();
        foreach (var prefix in new[] { "", "src/", "app/" })
            candidates.AddRange([prefix + path + ".py", prefix + path + "/__main__.py", prefix + path + "/__init__.py"]);
        return new Entry(text, candidates, parts.ToList());
    }

    private static Entry? FileEntry(string file, string text)
    {
        var rel = file.Replace('\\', '/');
        if (rel.StartsWith('/')) rel = string.Join('/', rel.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1)); // /app/main.py: the image's work dir
        rel = rel.TrimStart('.', '/');
        if (rel.Length == 0) return null;
        var candidates = new List<string> { rel };
        // node dist/main.js runs what the build compiled from src/main.ts.
        foreach (var outDir in new[] { "dist/", "build/", "out/" })
            if (rel.StartsWith(outDir, StringComparison.Ordinal) && Path.GetExtension(rel) is ".js" or ".mjs" or ".cjs")
            {
                var stem = Path.ChangeExtension(rel[outDir.Length..], null);
                candidates.AddRange([$"src/{stem}.ts", $"src/{stem}.js", $"{stem}.ts", $"{stem}.js"]);
            }
        var segments = Path.ChangeExtension(rel, null)!.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        return new Entry(text, candidates, segments);
    }
}
