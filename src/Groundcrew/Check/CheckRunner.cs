using System.Collections.Concurrent;
using System.Diagnostics;
using Groundcrew.Core;
using Groundcrew.Discover;
using Groundcrew.Load;
using Groundcrew.Load.Kustomize;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Rules;

namespace Groundcrew.Check;

/// <summary>
/// The `check` pipeline: discover -> load (Kustomize overlays rendered, everything else parsed once) ->
/// model -> rules -> suppressions. Reporting is the caller's job.
/// </summary>
public sealed class CheckRunner(CheckOptions options)
{
    private readonly ConcurrentBag<InputProblem> _problems = new();
    private readonly ConcurrentBag<Resource> _resources = new();
    private readonly ConcurrentBag<OtherDocument> _others = new();
    private readonly ConcurrentBag<TerraformPlan> _plans = new();
    private readonly ConcurrentBag<TerraformLoader.Result> _terraform = new();
    private readonly ConcurrentBag<UnexpandedResource> _unexpanded = new();
    private readonly List<string> _notices = new();
    private readonly Suppressions _suppressions = new();
    private readonly List<Groundcrew.Discover.DiscoveredFile> _discovered = new();
    private long _bytes;
    private int _files;

    public CheckResult Run()
    {
        var clock = Stopwatch.StartNew();
        var phase = PhaseClock.Start();
        var config = options.Config;
        var root = ScanRoot();
        foreach (var path in options.Paths)
        {
            if (path == "-") { LoadStdin(); continue; }
            if (!File.Exists(path) && !Directory.Exists(path))
                throw new PathNotFoundException(path);
            LoadPath(path, root);
        }

        // Terraform plans and .tf of the same root module: the plan's values at the .tf positions, once (TerraformPlanMerge).
        TerraformPlanMerge.Merged terraform;
        try { terraform = TerraformPlanMerge.Merge(_terraform.ToList(), _plans.OrderBy(p => p.File, StringComparer.Ordinal).ToList()); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A plan shape we did not foresee: keep what the .tf files say, and say the plans were not used.
            terraform = new TerraformPlanMerge.Merged(_terraform.SelectMany(t => t.Resources).ToList(), _terraform.SelectMany(t => t.Unexpanded).ToList());
            foreach (var plan in _plans) _problems.Add(new InputProblem(SourceSpan.OfFile(plan.File), $"Terraform plan not used: {ex.GetType().Name}: {ex.Message}"));
        }
        foreach (var r in terraform.Resources) _resources.Add(r);
        foreach (var u in terraform.Unexpanded) _unexpanded.Add(u);
        foreach (var n in _terraform.SelectMany(t => t.Notices).Distinct()) _notices.Add(n);
        Timing("discover+load", phase);
        AppContractLoader.Result apps;
        try { apps = AppContractLoader.Load(root, _discovered, config.MaxFileBytes, _suppressions); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            apps = new AppContractLoader.Result([], [], []);
            _notices.Add($"application code and Dockerfiles were not read ({ex.GetType().Name}: {ex.Message}); the app-contract rules did not run");
        }
        foreach (var p in apps.Problems) _problems.Add(p);
        Timing("apps (Dockerfiles, app folders, code)", phase);
        var resources = _resources.OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Anchor.StartLine).ToList();
        _suppressions.ScanAnnotations(resources);
        var model = new DeploymentModel(root, resources, _others.ToList(), config.Complete)
        {
            InputProblems = _problems.ToList(),
            Suppressions = _suppressions,
            BaseRevision = options.BaseRevision,
            Dockerfiles = apps.Dockerfiles,
            Apps = apps.Apps,
            Builds = Load.Builds.BuildCommands.Scan(_discovered.Select(f => (Display(root, f.FullPath), f.FullPath))),
            ImageSources = Load.Builds.ImageSources.Scan(_discovered.Select(f => (Display(root, f.FullPath), f.FullPath))),
            ConfiguredPlatform = ConfiguredPlatform(config, root),
            UnexpandedTerraform = _unexpanded.OrderBy(u => u.Root, StringComparer.Ordinal).ThenBy(u => u.Address, StringComparer.Ordinal).ToList(),
            Inventory = options.Inventory,
            PreviousTaskDefinitions = options.BaseRevision is { } rev ? PreviousRevisions(root, rev, resources) : new Dictionary<string, IReadOnlyList<EcsTaskDefinition>>(),
        };

        Timing("apps, model (indexes, workloads, references)", phase);

        var redactor = new Redactor();
        // The repository's secrets reach the redactor beside the rules (which only add to it); both are done before any report.
        var secrets = Task.Run(() => RepositorySecrets.Register(redactor, model, _terraform, _plans));
        var context = new RuleContext(model, config, redactor);
        var findings = RunRules(context, out var suppressed);
        secrets.GetAwaiter().GetResult();
        Timing("rules, suppressions", phase);
        return new CheckResult
        {
            Root = root, Findings = findings, Model = model, Redactor = redactor, FilesScanned = _files, BytesScanned = _bytes,
            Notices = _notices, Suppressed = suppressed, Elapsed = clock.Elapsed, Inputs = options.Paths, Config = config,
        };
    }

    private static ConfiguredPlatform? ConfiguredPlatform(Config.GroundcrewConfig config, string root) =>
        config.Platform is { Length: > 0 } p
            ? new ConfiguredPlatform(p, CpuArchitectures.ParsePlatforms(p),
                new SourceSpan(config.Path is { } path ? Display(root, Path.GetFullPath(path)) : ".groundcrew.yaml", Math.Max(1, config.PlatformLine), 1))
            : null;

    /// <summary>Display paths are relative to the one folder scanned, or to the working directory when several paths are given.</summary>
    private string ScanRoot()
    {
        var real = options.Paths.Where(p => p != "-").ToList();
        if (real.Count == 1)
            return Path.GetFullPath(Directory.Exists(real[0]) ? real[0] : Path.GetDirectoryName(Path.GetFullPath(real[0]))!);
        return Environment.CurrentDirectory;
    }

    private static string Display(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    private List<Finding> RunRules(RuleContext context, out int suppressed)
    {
        var config = context.Config;
        var all = new ConcurrentBag<Finding>();
        var rules = RuleRegistry.Rules.Where(r => r.Enabled && config.EffectiveSeverity(r.Id, r.DefaultSeverity) != null).ToList();
        var timings = new ConcurrentDictionary<string, (TimeSpan Wall, double? Cpu)>();
        Parallel.ForEach(rules, rule =>
        {
            var clock = Stopwatch.StartNew();
            var cpu = ShowTimings ? CpuClock.ThreadMs() : null;
            // A configured severity replaces whatever the rule chose; otherwise the rule's own choice stands
            // (some rules report unknown references as notes and contradicted ones as errors).
            var overridden = config.RuleOverrides.TryGetValue(rule.Id, out var configured) ? configured : null;
            try
            {
                foreach (var f in rule.Check(context))
                    all.Add(overridden is { } s ? f with { Severity = s } : f);
            }
            catch (Exception ex)
            {
                // A bug in one rule must not hide every other finding; it shows as an input-error-like finding.
                all.Add(new Finding("internal-error", Severity.Error, $"rule {rule.Id} failed: {ex.GetType().Name}: {ex.Message}", SourceSpan.OfFile(context.Model.Root)));
            }
            timings[rule.Id] = (clock.Elapsed, ShowTimings ? CpuClock.ThreadMs() - cpu : null);
        });
        // GROUNDCREW_TIMINGS=1 shows where a slow scan spends its time (the benchmark in bench/ measures the whole).
        if (ShowTimings)
            foreach (var (id, t) in timings.OrderByDescending(kv => kv.Value.Wall).Take(10))
                Console.Error.WriteLine($"timing: rule {id}: {t.Wall.TotalMilliseconds:0} ms" + (t.Cpu is { } c ? $" ({c:0} ms CPU)" : ""));

        var owners = BuildOwnerIndex(context.Model);
        var kept = new List<Finding>();
        var seen = new HashSet<string>();
        suppressed = 0;
        foreach (var f in all.OrderBy(f => f.Span.File, StringComparer.Ordinal).ThenBy(f => f.Span.StartLine).ThenBy(f => f.Span.StartColumn).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal))
        {
            if (!seen.Add(f.DedupKey)) continue;
            if (f.RuleId != "suppression-without-reason" && _suppressions.IsSuppressed(f, owners)) { suppressed++; continue; }
            kept.Add(f);
        }
        return kept;
    }

    /// <summary>
    /// Which resource a finding sits in (same file, last resource starting at or before the line), for annotation
    /// suppressions; indexed when first asked, which is only when some resource carries a suppression annotation.
    /// </summary>
    private static Func<Finding, Resource?> BuildOwnerIndex(DeploymentModel model)
    {
        Dictionary<string, List<Resource>>? index = null;
        return f =>
        {
            var byFile = index ??= model.Resources
                .GroupBy(r => r.Metadata?.Span.File ?? r.File)
                .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Body.Span.StartLine).ToList());
            if (!byFile.TryGetValue(f.Span.File, out var list)) return null;
            Resource? owner = null;
            foreach (var r in list)
                if (r.Body.Span.StartLine <= f.Span.StartLine) owner = r;
            return owner;
        };
    }

    private void LoadStdin()
    {
        var text = (options.Stdin ?? Console.In).ReadToEnd();
        Interlocked.Increment(ref _files);
        Interlocked.Add(ref _bytes, text.Length);
        var trimmed = text.TrimStart();
        var isJson = trimmed.StartsWith('{') || trimmed.StartsWith('[');
        LoadText("<stdin>", text, isJson ? FileFormat.Json : FileFormat.Yaml);
    }

    private void LoadPath(string path, string root)
    {
        var phase = PhaseClock.Start();
        var discovery = new FileDiscovery(options.Config.Exclude, options.MaxFiles);
        var files = discovery.Discover(path);
        Timing($"discover {files.Count} files", phase);
        _discovered.AddRange(files);
        foreach (var p in discovery.Problems)
            _problems.Add(new InputProblem(SourceSpan.OfFile(Relativize(path, root, p.DisplayPath)), p.Message, Severity.Warning, p.RuleId));
        var display = files.ToDictionary(f => f.FullPath, f => Display(root, f.FullPath));

        // Terraform is evaluated beside Kustomize rendering (which mostly waits on kubectl).
        var terraform = Task.Run(() => LoadTerraform(files, root));

        // Kustomize trees: render the root overlays; their member files are not scanned again on their own.
        var kustomizeMembers = PlanAndRenderKustomize(files, root);
        Timing("kustomize", phase);

        var remaining = files.Where(f => !kustomizeMembers.Contains(f.FullPath) && (f.Format is FileFormat.Yaml or FileFormat.Json)).ToList();
        var helmSkipped = 0;
        var done = 0;
        Parallel.ForEach(remaining, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, file =>
        {
            if (IsHelmTemplate(file.FullPath)) { Interlocked.Increment(ref helmSkipped); return; }
            LoadFile(file.FullPath, display[file.FullPath], file.Format);
            options.Progress?.Invoke(Interlocked.Increment(ref done), remaining.Count);
        });
        Timing("load YAML/JSON", phase);
        terraform.GetAwaiter().GetResult();
        Timing("terraform (after YAML/JSON)", phase);
        if (helmSkipped > 0)
            _notices.Add($"skipped {helmSkipped} Helm template file(s): render them first, e.g. `helm template CHART | groundcrew check -`");
    }

    /// <summary>Terraform: each folder of .tf files is a module (see <see cref="TerraformLoader"/>).</summary>
    private void LoadTerraform(List<DiscoveredFile> files, string root)
    {
        var tf = files.Where(f => f.Format == FileFormat.Terraform).Select(f => f.FullPath).ToList();
        if (tf.Count == 0) return;
        var clock = Stopwatch.StartNew();
        TerraformLoader.Result result;
        var varFiles = options.Config.TerraformVarFiles.Select(v => new TerraformLoader.VarFile(Path.Combine(root, v.Path), v.Module is { } m ? Path.Combine(root, m) : null)).ToList();
        try { result = TerraformLoader.Load(tf, root, options.Config.MaxFileBytes, varFiles); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A loader bug must not stop the rest of the check.
            _problems.Add(new InputProblem(SourceSpan.OfFile(Display(root, Path.GetDirectoryName(tf[0])!)), $"could not read Terraform: {ex.GetType().Name}: {ex.Message}"));
            return;
        }
        if (Environment.GetEnvironmentVariable("GROUNDCREW_TIMINGS") == "1")
            Console.Error.WriteLine($"timing: terraform: {clock.ElapsedMilliseconds} ms ({result.Resources.Count} resources)");
        _terraform.Add(result); // its resources join the model with any plan of the same modules (see Run)
        foreach (var p in result.Problems) _problems.Add(p);
        Interlocked.Add(ref _files, result.Files);
        Interlocked.Add(ref _bytes, result.Bytes);
    }

    private static readonly bool ShowTimings = Environment.GetEnvironmentVariable("GROUNDCREW_TIMINGS") == "1";

    private static void Timing(string what, PhaseClock phase)
    {
        if (ShowTimings) Console.Error.WriteLine($"timing: {what}: {phase.Text()}");
        phase.Restart();
    }

    /// <summary>A phase's wall time and the CPU time all threads spent in it (the two differ on a busy or a multi-core machine).</summary>
    internal sealed class PhaseClock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private double _cpu = CpuClock.ProcessMs();
        private (int, int, int) _collections = Collections();
        private TimeSpan _paused = GC.GetTotalPauseDuration();

        public static PhaseClock Start() => new();

        public string Text()
        {
            var (g0, g1, g2) = Collections();
            var (s0, s1, s2) = _collections;
            var gcs = g0 - s0 == 0 ? "" : $"; garbage collections gen0/1/2 {g0 - s0}/{g1 - s1}/{g2 - s2}, paused {(GC.GetTotalPauseDuration() - _paused).TotalMilliseconds:0} ms";
            return $"{_wall.ElapsedMilliseconds} ms ({CpuClock.ProcessMs() - _cpu:0} ms CPU{gcs})";
        }

        public void Restart()
        {
            _wall.Restart();
            _cpu = CpuClock.ProcessMs();
            _collections = Collections();
            _paused = GC.GetTotalPauseDuration();
        }

        private static (int, int, int) Collections() => (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }

    private static string Relativize(string path, string root, string rel) =>
        Display(root, Path.GetFullPath(Path.Combine(Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!, rel)));

    // Asked for every file; answered once per folder (each answer costs a file-system look-up per parent folder).
    private readonly ConcurrentDictionary<string, bool> _helmTemplateDirs = new(StringComparer.Ordinal);

    private bool IsHelmTemplate(string fullPath) =>
        Path.GetDirectoryName(fullPath) is { } dir && _helmTemplateDirs.GetOrAdd(dir, InHelmTemplates);

    private static bool InHelmTemplates(string dir)
    {
        for (var d = dir; d != null; d = Path.GetDirectoryName(d))
        {
            if (Path.GetFileName(d) == "templates" && File.Exists(Path.Combine(Path.GetDirectoryName(d)!, "Chart.yaml"))) return true;
            if (d.Length < 2) break;
        }
        return false;
    }

    private void LoadFile(string fullPath, string display, FileFormat format)
    {
        Interlocked.Increment(ref _files);
        FileReader.Text text;
        try
        {
            text = FileReader.Read(fullPath, options.Config.MaxFileBytes);
        }
        catch (LoadException ex)
        {
            _problems.Add(new InputProblem(new SourceSpan(display, 1, 1), ex.Message));
            return;
        }
        Interlocked.Add(ref _bytes, text.Content.Length);
        if (text.Warning != null) _problems.Add(new InputProblem(new SourceSpan(display, 1, 1), text.Warning, Severity.Warning));
        LoadText(display, text.Content, format);
    }

    private void LoadText(string display, string text, FileFormat format)
    {
        if (format == FileFormat.Yaml) _suppressions.ScanComments(display, text);
        var loaded = format == FileFormat.Json ? JsonTreeLoader.Load(text, display) : YamlTreeLoader.Load(text, display);
        if (loaded.Error is { } e)
            _problems.Add(format == FileFormat.Yaml && TemplateFiles.TokenNear(text, e.Line) is { } token
                ? new InputProblem(new SourceSpan(display, e.Line, e.Column), TemplateFiles.Note(token, e.Message), Severity.Note)
                : new InputProblem(new SourceSpan(display, e.Line, e.Column), e.Message));
        foreach (var doc in loaded.Documents)
        {
            try
            {
                // An inventory snapshot kept in the repository describes the account, not a deployment file.
                if (doc.Root is MapNode snapshot && snapshot["groundcrewInventory"] != null)
                {
                    Interlocked.Decrement(ref _files); // nor is it counted as one
                    Interlocked.Add(ref _bytes, -text.Length);
                    continue;
                }
                if (doc.Root is MapNode plan && TerraformPlan.IsPlan(plan))
                {
                    _plans.Add(TerraformPlan.Read(plan, display));
                    continue;
                }
                var classified = DocumentClassifier.Classify(doc.Root, display).ToList(); // all or nothing for one document
                foreach (var r in classified) _resources.Add(r);
                if (classified.Count == 0) _others.Add(new OtherDocument(display, doc.Root));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A shape no reader foresaw must not end the scan: this document is reported and skipped.
                _problems.Add(new InputProblem(new SourceSpan(display, Math.Max(1, doc.Root.Span.StartLine), Math.Max(1, doc.Root.Span.StartColumn)),
                    $"could not read this document ({ex.GetType().Name}: {ex.Message}); the rest of the scan goes on"));
            }
        }
    }

    /// <summary>Render every root overlay; returns the files that belong to some kustomization (scanned through it, not alone).</summary>
    private HashSet<string> PlanAndRenderKustomize(List<DiscoveredFile> files, string root)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        // Read by every parallel render, and written when a render finds a base outside the scanned paths.
        var kustomizations = new System.Collections.Concurrent.ConcurrentDictionary<string, Kustomization>(StringComparer.Ordinal);
        foreach (var f in files.Where(f => Kustomization.IsKustomizationFile(Path.GetFileName(f.FullPath))))
        {
            try
            {
                var text = FileReader.Read(f.FullPath, options.Config.MaxFileBytes);
                kustomizations[Path.GetDirectoryName(f.FullPath)!] = Kustomization.Parse(f.FullPath, Display(root, f.FullPath), text.Content);
            }
            catch (LoadException ex)
            {
                _problems.Add(new InputProblem(SourceSpan.OfFile(Display(root, f.FullPath)), ex.Message));
            }
            members.Add(f.FullPath);
        }
        if (kustomizations.Count == 0) return members;

        var usedAsBase = kustomizations.Values.SelectMany(k => k.ChildDirectories).ToHashSet(StringComparer.Ordinal);
        var roots = kustomizations.Values.Where(k => !usedAsBase.Contains(k.Directory) && k.Root?.GetString("kind") != "Component").OrderBy(k => k.DisplayPath, StringComparer.Ordinal).ToList();
        foreach (var k in kustomizations.Values)
        {
            members.UnionWith(k.ResourceFiles);
            members.UnionWith(k.AuxiliaryFiles);
        }

        if (!KustomizeRenderer.IsAvailable)
        {
            _notices.Add("kubectl not found: Kustomize overlays were not rendered; their resource files were scanned as they are (install kubectl for overlay-aware results)");
            foreach (var k in kustomizations.Values)
                foreach (var file in k.ResourceFiles.Where(File.Exists))
                    LoadFile(file, Display(root, file), DiscoveryFormat(file));
            return members;
        }

        Parallel.ForEach(roots, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) },
            k => RenderOne(k, kustomizations, root));
        return members;
    }

    private static FileFormat DiscoveryFormat(string file) => FileDiscovery.FormatOf(Path.GetFileName(file)) == FileFormat.Json ? FileFormat.Json : FileFormat.Yaml;

    private void RenderOne(Kustomization overlay, System.Collections.Concurrent.ConcurrentDictionary<string, Kustomization> all, string root)
    {
        var result = KustomizeRenderer.Render(overlay.Directory);
        if (result.Refused)
        {
            // `kubectl apply -k` fetches a remote base and may well build: not the overlay's failure, only ours to skip, like Helm templates.
            lock (_notices) _notices.Add($"{overlay.DisplayPath}: overlay not rendered, so nothing it deploys was checked: {result.Stderr}");
            return;
        }
        if (result.ExitCode != 0)
        {
            // kubectl prefixes klog noise: `E1122 05:06:48.936626 6183 run.go:72] "command failed" err="...`; keep the error.
            var message = System.Text.RegularExpressions.Regex.Replace(result.Stderr.Trim(), @"^E\d{4} [\d:.]+\s+\d+ \S+\] ""command failed"" err=", "").Trim('"');
            if (message.Length > 600) message = message[..600] + "...";
            _problems.Add(new InputProblem(new SourceSpan(overlay.DisplayPath, 1, 1), $"`kubectl kustomize` failed: {message}", Severity.Error, "kustomize-build-failed"));
            return;
        }

        // Every kustomization in this overlay's tree, overlay first (its images: entries win), and the documents they include.
        var tree = new List<Kustomization>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Collect(Kustomization k)
        {
            if (!seen.Add(k.Directory)) return;
            tree.Add(k);
            foreach (var child in k.ChildDirectories)
                if (all.TryGetValue(child, out var ck)) Collect(ck);
                else if (Kustomization.FindIn(child) is { } path && File.Exists(path))
                {
                    // A base outside the scanned paths still defines values: read it for positions.
                    try
                    {
                        var parsed = Kustomization.Parse(path, Display(root, path), File.ReadAllText(path));
                        all.TryAdd(child, parsed);
                        Collect(parsed);
                    }
                    catch (IOException) { }
                }
        }
        Collect(overlay);

        var sources = new List<RenderedSpanMapper.SourceDoc>();
        var order = 0;
        // Deepest bases first so that overlays' patches (later Order) win over what they patch.
        foreach (var k in Enumerable.Reverse(tree))
            foreach (var file in k.ResourceFiles.Concat(k.AuxiliaryFiles))
            {
                if (!File.Exists(file)) continue;
                FileReader.Text text;
                try { text = FileReader.Read(file, options.Config.MaxFileBytes); }
                catch (LoadException) { continue; }
                var display = Display(root, file);
                Interlocked.Increment(ref _files);
                Interlocked.Add(ref _bytes, text.Content.Length);
                _suppressions.ScanComments(display, text.Content);
                var isJson = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
                var loaded = isJson ? JsonTreeLoader.Load(text.Content, display) : YamlTreeLoader.Load(text.Content, display);
                if (loaded.Error is { } e && k.ResourceFiles.Contains(file))
                    _problems.Add(new InputProblem(new SourceSpan(display, e.Line, e.Column), e.Message));
                foreach (var doc in loaded.Documents)
                    if (doc.Root is MapNode m && m.GetString("kind") is { } kind)
                        sources.Add(new RenderedSpanMapper.SourceDoc(m, kind, m.GetMap("metadata")?.GetString("name") ?? "", order++));
            }
        var images = tree.SelectMany(k => k.Images).ToList();

        var rendered = YamlTreeLoader.Load(result.Stdout, overlay.DisplayPath);
        if (rendered.Error is { } re)
            _problems.Add(new InputProblem(new SourceSpan(overlay.DisplayPath, 1, 1), $"could not read `kubectl kustomize` output: {re.Message}"));
        var fallback = overlay.Root?.Span ?? new SourceSpan(overlay.DisplayPath, 1, 1);
        foreach (var doc in rendered.Documents)
        {
            if (doc.Root is not MapNode m) continue;
            RenderedSpanMapper.Map(m, sources, images, fallback);
            foreach (var r in DocumentClassifier.Classify(m, overlay.DisplayPath, overlay.DisplayPath))
                _resources.Add(r);
        }
    }

    private IReadOnlyDictionary<string, IReadOnlyList<EcsTaskDefinition>> PreviousRevisions(string root, string revision, List<Resource> resources)
    {
        var result = new Dictionary<string, IReadOnlyList<EcsTaskDefinition>>(StringComparer.Ordinal);
        foreach (var file in resources.Where(r => r.Family == ResourceFamily.EcsTaskDefinition && !r.File.EndsWith(".tf", StringComparison.Ordinal) && !r.File.EndsWith(".tf.json", StringComparison.Ordinal)).Select(r => r.File).Distinct())
        {
            var previous = Git.Show(root, revision, file);
            if (previous.Error != null)
            {
                _notices.Add($"--base {revision}: {file}: {previous.Error}");
                continue;
            }
            var loaded = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JsonTreeLoader.Load(previous.Text!, file + "@" + revision) : YamlTreeLoader.Load(previous.Text!, file + "@" + revision);
            result[file] = loaded.Documents
                .SelectMany(d => DocumentClassifier.Classify(d.Root, file + "@" + revision))
                .Where(r => r.Family == ResourceFamily.EcsTaskDefinition)
                .Select(r => new EcsTaskDefinition(r)).ToList();
        }
        return result;
    }
}

/// <summary>A path given to scan does not exist: a usage error (exit code 2), unlike any other failure.</summary>
public sealed class PathNotFoundException(string path) : Exception($"path not found: {path}");
