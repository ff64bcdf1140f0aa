using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Load;
using Groundcrew.Load.Npm;
using Groundcrew.Model;

namespace Groundcrew.Rules.App;

/// <summary>
/// A deployed app with a Prisma schema for a SQL database whose tables nothing creates: no <c>prisma/migrations</c> folder and
/// nothing runs <c>prisma db push</c> (an error: <c>migrate deploy</c> has nothing to apply), or migrations that nothing in the
/// repository applies (a warning: they may be applied from a pipeline we do not see). "Applies" means the command appears in a
/// Kubernetes Job, init container or container command/args, an ECS or Terraform definition, a Dockerfile, a shell script,
/// Makefile/Procfile, a CI workflow, app code (execSync), or a package.json script that one of those (or npm's start hooks) runs.
/// Only apps a scanned workload or task definition runs are checked (tied by image name, see <see cref="AppTies"/>); MongoDB
/// schemas (no migrations) are skipped.
/// </summary>
public sealed partial class PrismaMigrationsNotApplied : Rule
{
    public override string Title => "Prisma schema whose tables nothing in the deployment creates";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "PrismaClientKnownRequestError P2021: The table `public.Order` does not exist in the current database.";
    public override string Fix => "Commit migrations (`prisma migrate dev`) and apply them on every deploy before the app starts: a Kubernetes Job or init container, or a CI step, running `npx prisma migrate deploy` with the app's DATABASE_URL.";
    public override IReadOnlyList<string> Incidents => ["A1"];

    // Words apart by spaces, by the quotes and commas of an exec-form array, or by the "- " of a YAML block list.
    [GeneratedRegex(@"\b(migrate[\s""',\-]+(deploy|dev|reset)|db[\s""',\-]+push)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Applier();

    [GeneratedRegex(@"^\s*datasource\s+\w+\s*\{", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex Datasource();

    [GeneratedRegex(@"^\s*provider\s*=\s*""([^""]*)""", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex Provider();

    private sealed record Schema(string FullPath, string Display, int DatasourceLine, string Provider);

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (model.Apps.Count == 0) yield break;
        List<(AppFolder App, Schema Schema, List<RelatedLocation> RunBy)>? candidates = null;
        foreach (var app in model.Apps)
        {
            if (FindSchema(app) is not { } schema || schema.Provider == "mongodb") continue;
            var runBy = RunBy(context, app);
            if (runBy.Count == 0) continue; // not deployed from here: nothing to say
            (candidates ??= []).Add((app, schema, runBy));
        }
        if (candidates == null) yield break;
        var all = ApplierEvidence.Collect(model);
        foreach (var (app, schema, runBy) in candidates)
        {
            var evidence = all.For(app, model.Apps);
            var migrationsDir = Path.Combine(Path.GetDirectoryName(schema.FullPath)!, "migrations");
            var hasMigrations = Directory.Exists(migrationsDir)
                && Directory.EnumerateDirectories(migrationsDir).Any(d => File.Exists(Path.Combine(d, "migration.sql")));
            var span = new SourceSpan(schema.Display, schema.DatasourceLine, 1);
            var relDir = Path.GetRelativePath(model.Root, Path.GetDirectoryName(schema.FullPath)!).Replace('\\', '/') + "/migrations";
            if (!hasMigrations)
            {
                if (evidence.Push) continue;
                var deployOnly = evidence.DeployAt is { } d ? $" `prisma migrate deploy` runs ({d.File}:{d.StartLine}) but has no migration to apply." : "";
                yield return At(span,
                    $"{app.DisplayPath}/ uses a {schema.Provider} database through Prisma, but there is no {relDir} folder and nothing in the deployment runs `prisma db push`:{deployOnly} its tables are never created, and the first query fails with P2021 `The table ... does not exist in the current database`.",
                    Fix, runBy);
            }
            else if (!evidence.Any)
            {
                yield return new Finding(Id, Severity.Warning, $"{app.DisplayPath}/ has Prisma migrations in {relDir}, but nothing in the scanned deployment applies them (no Job, init container, container command, Dockerfile, script or CI step runs `prisma migrate deploy`): unless they are applied elsewhere, new tables are missing at run time (P2021 `The table ... does not exist in the current database`).",
                    span, Fix, runBy);
            }
        }
    }

    /// <summary>
    /// The line of a schema's <c>datasource</c> block and the provider it names (empty when it names none), or null
    /// when the text has no datasource block. Internal so that the fuzz harness can feed it any text.
    /// </summary>
    internal static (int Line, string Provider)? ReadDatasource(string text)
    {
        var m = Datasource().Match(text);
        if (!m.Success) return null;
        var close = text.IndexOf('}', m.Index);
        var block = close > 0 ? text[m.Index..close] : text[m.Index..];
        var provider = Provider().Match(block) is { Success: true } pm ? pm.Groups[1].Value : "";
        var line = text[..(m.Index + m.Value.TakeWhile(char.IsWhiteSpace).Count())].Count(c => c == '\n') + 1;
        return (line, provider);
    }

    /// <summary>prisma/schema.prisma, schema.prisma, prisma/schema/*.prisma, or package.json's "prisma": { "schema": ... }: the file with the datasource.</summary>
    private static Schema? FindSchema(AppFolder app)
    {
        var candidates = new List<string>();
        if (PackageJson.Of(app)?.Root.GetMap("prisma")?.GetString("schema") is { Length: > 0 } configured && !configured.Contains(".."))
        {
            var p = Path.Combine(app.FullPath, configured);
            if (Directory.Exists(p)) candidates.AddRange(SafeFiles(p));
            else candidates.Add(p);
        }
        candidates.Add(Path.Combine(app.FullPath, "prisma", "schema.prisma"));
        candidates.Add(Path.Combine(app.FullPath, "schema.prisma"));
        candidates.AddRange(SafeFiles(Path.Combine(app.FullPath, "prisma", "schema")));
        foreach (var file in candidates.Distinct())
        {
            if (!File.Exists(file)) continue;
            string text;
            try { text = FileReader.Read(file, 2_000_000).Content; }
            catch (Exception ex) when (ex is LoadException or IOException or UnauthorizedAccessException) { continue; }
            if (ReadDatasource(text) is not var (line, provider)) continue;
            var rel = Path.GetRelativePath(app.FullPath, file).Replace('\\', '/');
            return new Schema(file, app.DisplayPath == "." ? rel : app.DisplayPath + "/" + rel, line, provider);
        }
        return null;
    }

    private static IEnumerable<string> SafeFiles(string dir)
    {
        try { return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.prisma").OrderBy(f => f, StringComparer.Ordinal).ToList() : []; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return []; }
    }

    private static List<RelatedLocation> RunBy(RuleContext context, AppFolder app)
    {
        var result = new List<RelatedLocation>();
        var model = context.Model;
        foreach (var w in model.Workloads)
            foreach (var c in w.Containers)
                if (!c.IsInit && AppTies.Find(model, context.Config, c)?.App == app)
                    result.Add(new RelatedLocation((c.ImageNode ?? (Node)c.Node).Span, $"{w.Resource.Kind} {w.Resource.Name} runs {app.DisplayPath}/ (container {c.Name})"));
        foreach (var td in model.TaskDefinitions)
            foreach (var c in td.Containers)
                if (AppTies.Find(model, context.Config, c)?.App == app)
                    result.Add(new RelatedLocation((c.ImageNode ?? (Node)c.Node).Span, $"task definition {td.Family} runs {app.DisplayPath}/ (container {c.Name})"));
        return result;
    }

    /// <summary>Where the repository runs Prisma's schema commands.</summary>
    private sealed class ApplierEvidence
    {
        public bool Push;
        public SourceSpan? DeployAt;
        public bool Any => Push || DeployAt != null;
        private readonly List<(bool Push, SourceSpan At)> _found = [];

        /// <summary>
        /// What counts for one app: everything outside app folders (k8s/, .github/, scripts/) and everything in its own folder,
        /// but not what sits in another app's folder (that app's own scripts and package.json).
        /// </summary>
        public ApplierEvidence For(AppFolder app, IReadOnlyList<AppFolder> apps)
        {
            var others = apps.Where(a => a != app && a.DisplayPath != "." && !a.ContainsOtherApps && !IsUnder(app.DisplayPath, a.DisplayPath))
                .Select(a => a.DisplayPath).ToList();
            var e = new ApplierEvidence();
            foreach (var (push, at) in _found)
            {
                if (!IsUnder(at.File, app.DisplayPath) && others.Any(o => IsUnder(at.File, o))) continue;
                if (push) e.Push = true;
                else e.DeployAt ??= at;
            }
            return e;
        }

        private static bool IsUnder(string path, string folder) =>
            folder == "." || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

        private static readonly HashSet<string> SkipDirs = new(StringComparer.OrdinalIgnoreCase)
        {
            "node_modules", ".git", "dist", "build", "out", ".next", ".terraform", "vendor", "coverage", ".venv", "venv", "__pycache__", "bin", "obj",
        };

        private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
        {
            ".sh", ".bash", ".yaml", ".yml", ".json", ".ts", ".js", ".mjs", ".cjs", ".toml", ".tf", ".hcl", ".py", ".mk",
        };

        private static bool Interesting(string name) =>
            Extensions.Contains(Path.GetExtension(name)) && name is not ("package-lock.json" or "pnpm-lock.yaml" or "npm-shrinkwrap.json")
            && !name.EndsWith(".d.ts", StringComparison.Ordinal)
            || name is "Makefile" or "Procfile" or "Jenkinsfile" or "Tiltfile" || name.StartsWith("Dockerfile", StringComparison.Ordinal)
            || name.EndsWith(".dockerfile", StringComparison.OrdinalIgnoreCase) || name.StartsWith("entrypoint", StringComparison.OrdinalIgnoreCase);

        public static ApplierEvidence Collect(DeploymentModel model)
        {
            var e = new ApplierEvidence();
            var texts = new List<(string Display, string Text)>();
            var scripts = new List<(string Display, string Name, string Command, int Line)>();
            long budget = 64L * 1024 * 1024;
            var files = 0;
            var stack = new Stack<string>();
            var root = Path.GetFullPath(model.Root);
            if (File.Exists(root)) root = Path.GetDirectoryName(root)!;
            stack.Push(root);
            while (stack.Count > 0 && files < 20_000 && budget > 0)
            {
                var dir = stack.Pop();
                IEnumerable<string> entries;
                try { entries = Directory.EnumerateFileSystemEntries(dir).ToList(); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
                foreach (var entry in entries)
                {
                    var name = Path.GetFileName(entry);
                    if (Directory.Exists(entry))
                    {
                        if (!SkipDirs.Contains(name) && (File.GetAttributes(entry) & FileAttributes.ReparsePoint) == 0) stack.Push(entry);
                        continue;
                    }
                    if (!Interesting(name)) continue;
                    files++;
                    string text;
                    try { text = FileReader.Read(entry, 2_000_000).Content; }
                    catch (Exception ex) when (ex is LoadException or IOException or UnauthorizedAccessException) { continue; }
                    budget -= text.Length;
                    var display = Path.GetRelativePath(root, entry).Replace('\\', '/');
                    if (name == "package.json")
                    {
                        // Scripts count only when something runs them; keep them apart.
                        if (PackageJson.Read(Path.GetDirectoryName(entry)!, Path.GetDirectoryName(display) ?? "") is { } pkg)
                            foreach (var (sname, cmd) in pkg.Scripts())
                                scripts.Add((display, sname, cmd.Value!, cmd.Span.StartLine));
                        continue;
                    }
                    if (!text.Contains("migrate", StringComparison.Ordinal) && !text.Contains("push", StringComparison.Ordinal) && !text.Contains("run", StringComparison.Ordinal)
                        && !text.Contains("start", StringComparison.Ordinal)) continue;
                    texts.Add((display, text));
                }
            }
            foreach (var (display, text) in texts)
                foreach (Match m in Applier().Matches(text))
                    e.Note(m.Value, display, text[..m.Index].Count(c => c == '\n') + 1);
            // package.json scripts: applied when a lifecycle hook npm runs at start, or when anything (another script included) runs them.
            var allText = string.Join("\n", texts.Select(t => t.Text).Concat(scripts.Select(s => s.Command)));
            foreach (var (display, name, command, line) in scripts)
            {
                if (Applier().Match(command) is not { Success: true } m) continue;
                var started = name is "start" or "prestart" or "poststart" || name.StartsWith("start:", StringComparison.Ordinal) || name.StartsWith("prestart:", StringComparison.Ordinal);
                // `npm run NAME`, `yarn NAME`, and the exec form ["npm", "run", "NAME"].
                var invoked = Regex.IsMatch(allText, @"\b(run|run-script|yarn|pnpm|bun)[""',\s]+(-[^\s""',]+[""',\s]+)*" + Regex.Escape(name) + @"([""',\s;&)]|$)", RegexOptions.CultureInvariant | RegexOptions.Multiline);
                if (started || invoked) e.Note(m.Value, display, line);
            }
            return e;
        }

        private void Note(string command, string file, int line)
        {
            _found.Add((command.StartsWith("db", StringComparison.Ordinal) || command.Contains("dev") || command.Contains("reset"), new SourceSpan(file, line, 1)));
        }
    }
}
