using System.Text;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load.Builds;

/// <summary>Where a build command runs, which decides the architecture of an image built without --platform.</summary>
public enum BuilderKind
{
    /// <summary>A GitHub Actions job: the runner's labels say the architecture.</summary>
    GitHubActions,
    /// <summary>Another CI system (GitLab CI, ...): the runner's tags may say it.</summary>
    OtherCi,
    /// <summary>A shell script, Makefile or package.json script run by whoever runs it: unknown.</summary>
    DeveloperScript,
}

/// <summary>
/// One image build found in a CI workflow, shell script, Makefile or package.json script: the line, the images it
/// tags (variables resolved where the file assigns them), the platform it asks for, whether the image is pushed,
/// and the builder that runs it.
/// </summary>
public sealed record BuildCommand
{
    public required SourceSpan Span { get; init; }
    /// <summary>docker build, docker buildx build, docker compose build, docker/build-push-action.</summary>
    public required string Tool { get; init; }
    /// <summary>The command as written (first line, for messages).</summary>
    public required string Text { get; init; }
    /// <summary>The images tagged (-t, and later `docker tag` of them), as written.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary><see cref="Tags"/> with the variables the same file assigns substituted.</summary>
    public IReadOnlyList<string> ResolvedTags { get; init; } = [];
    /// <summary>The --platform / platforms: value as written; null when none is given.</summary>
    public string? Platform { get; init; }
    /// <summary>The architectures --platform names; Unknown when it is absent or not literal (a variable).</summary>
    public CpuArch PlatformArch { get; init; }
    /// <summary>The platform is set some other way: DOCKER_DEFAULT_PLATFORM, a compose service's platform.</summary>
    public string? PlatformFrom { get; init; }
    public bool Pushes { get; init; }
    public string? DockerfilePath { get; init; }
    public string? Context { get; init; }
    public required BuilderKind BuilderKind { get; init; }
    public CpuArch Builder { get; init; }
    /// <summary>How the builder was found: "runs-on: macos-14", "developer script", "GitLab job tags [...]".</summary>
    public required string BuilderWhy { get; init; }
    /// <summary>
    /// Variables the build runs once per value of: a shell `for svc in a b c`, Make's `$(foreach s,a b c,...)`, a GitHub
    /// job's `strategy.matrix.service` list (keyed `matrix.service`). A variable in the tag and context that is not here
    /// (Make's `$*`, a loop over `$(ls services)`) may take any value.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LoopValues { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>
/// Finds image builds in the repository's build files. Line-based for shell and Makefiles (backslash continuations joined,
/// simple VAR=value assignments substituted), YAML-aware for GitHub Actions and GitLab CI (job runner, steps' run:,
/// docker/build-push-action), JSON-aware for package.json scripts.
/// </summary>
public static partial class BuildCommands
{
    private const long MaxBytes = 1024 * 1024;

    /// <summary>A file worth reading for builds: shell scripts, Makefiles, package.json, GitHub workflows, .gitlab-ci.yml.</summary>
    public static bool IsBuildFile(string displayPath)
    {
        var path = displayPath.Replace('\\', '/');
        var name = Path.GetFileName(path);
        if (name.EndsWith(".sh", StringComparison.Ordinal) || name.EndsWith(".mk", StringComparison.Ordinal) || name is "Makefile" or "package.json" or ".gitlab-ci.yml") return true;
        return path.Contains(".github/workflows/", StringComparison.Ordinal) && (name.EndsWith(".yml", StringComparison.Ordinal) || name.EndsWith(".yaml", StringComparison.Ordinal));
    }

    /// <summary>Read the given files (display path, full path) and return every build, sorted by file and line.</summary>
    public static IReadOnlyList<BuildCommand> Scan(IEnumerable<(string Display, string FullPath)> files)
    {
        var texts = new List<(string Display, string Text)>();
        foreach (var (display, full) in files)
        {
            if (!IsBuildFile(display)) continue;
            try
            {
                var info = new FileInfo(full);
                if (!info.Exists || info.Length > MaxBytes) continue;
                var text = File.ReadAllText(full);
                if (!text.Contains("docker", StringComparison.OrdinalIgnoreCase) && !text.Contains("build-push-action", StringComparison.Ordinal)) continue;
                texts.Add((display, text));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return Parse(texts);
    }

    /// <summary>Parse already-read files (display path, text).</summary>
    public static IReadOnlyList<BuildCommand> Parse(IReadOnlyList<(string Display, string Text)> files)
    {
        var result = new List<BuildCommand>();
        // Scripts that a GitHub job runs get that job's runner as their builder.
        var scriptRunners = new Dictionary<string, (CpuArch Arch, string Why)>(StringComparer.Ordinal);
        foreach (var (display, text) in files.Where(f => IsGitHubWorkflow(f.Display)))
            result.AddRange(Guarded(() => GitHubWorkflow(display, text, scriptRunners)));
        foreach (var (display, text) in files.Where(f => Path.GetFileName(f.Display) == ".gitlab-ci.yml"))
            result.AddRange(Guarded(() => GitLab(display, text)));
        foreach (var (display, text) in files)
        {
            var name = Path.GetFileName(display);
            if (name == "package.json") result.AddRange(Guarded(() => PackageJson(display, text)));
            else if (name == "Makefile" || name.EndsWith(".mk", StringComparison.Ordinal) || name.EndsWith(".sh", StringComparison.Ordinal))
            {
                var runner = scriptRunners.Where(kv => ReferencesScript(kv.Key, display)).Select(kv => kv.Value).FirstOrDefault();
                var (kind, arch, why) = runner.Why != null
                    ? (BuilderKind.GitHubActions, runner.Arch, $"run by a GitHub Actions job on {runner.Why}")
                    : (BuilderKind.DeveloperScript, CpuArch.Unknown, name == "Makefile" || name.EndsWith(".mk", StringComparison.Ordinal) ? "Makefile run by developers" : "developer script");
                result.AddRange(Guarded(() => ShellLike(display, text, 1, name == "Makefile" || name.EndsWith(".mk", StringComparison.Ordinal), kind, arch, why)));
            }
        }
        return result.OrderBy(b => b.Span.File, StringComparer.Ordinal).ThenBy(b => b.Span.StartLine).ToList();
    }

    /// <summary>
    /// One file's builds, or none when reading it gives up (a shape we did not foresee; the patterns are linear and cannot
    /// time out): build facts only ever add findings, so a file we cannot read simply adds none.
    /// </summary>
    private static List<BuildCommand> Guarded(Func<IEnumerable<BuildCommand>> read)
    {
        try { return read().ToList(); }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException or ArgumentException
                                   or IndexOutOfRangeException or NullReferenceException or FormatException) { return []; }
    }

    private static bool IsGitHubWorkflow(string display) =>
        display.Replace('\\', '/').Contains(".github/workflows/", StringComparison.Ordinal) && (display.EndsWith(".yml", StringComparison.Ordinal) || display.EndsWith(".yaml", StringComparison.Ordinal));

    /// <summary>A run: step mentions the script by its path (scripts/build.sh, ./build.sh), relative to the repository.</summary>
    private static bool ReferencesScript(string mention, string scriptDisplay)
    {
        var m = mention.TrimStart('.', '/');
        var s = scriptDisplay.Replace('\\', '/');
        return m.Length > 0 && (s == m || s.EndsWith("/" + m, StringComparison.Ordinal));
    }

    // --- GitHub Actions ---

    private static IEnumerable<BuildCommand> GitHubWorkflow(string display, string text, Dictionary<string, (CpuArch, string)> scriptRunners)
    {
        var loaded = YamlTreeLoader.Load(text, display);
        if (loaded.Documents.Count == 0 || loaded.Documents[0].Root is not MapNode root) yield break;
        var lines = SplitLines(text);
        var fileDefault = DefaultPlatformEnv(root.GetMap("env"));
        foreach (var job in root.GetMap("jobs")?.Entries ?? [])
        {
            if (job.Value is not MapNode j) continue;
            var (arch, why) = RunsOn(j["runs-on"]);
            var jobDefault = DefaultPlatformEnv(j.GetMap("env")) ?? fileDefault;
            var matrix = MatrixValues(j.GetMap("strategy")?.GetMap("matrix"));
            // The job's run: steps in order, as one script: an image built in one step is often pushed in the next.
            var runLines = new List<(int Line, string Text)>();
            foreach (var step in j.GetSeq("steps")?.Maps ?? [])
            {
                var stepDefault = DefaultPlatformEnv(step.GetMap("env")) ?? jobDefault;
                if (step["run"] is ScalarNode { Value: { } run } runNode)
                {
                    foreach (Match m in ScriptMention.Matches(run))
                        scriptRunners.TryAdd(m.Groups["path"].Value, (arch, why));
                    var firstLine = FirstContentLine(lines, runNode, run);
                    if (stepDefault != null) runLines.Add((firstLine, "export " + stepDefault));
                    runLines.AddRange(Lines(run, firstLine));
                }
                if (step.GetString("uses") is { } uses && uses.StartsWith("docker/build-push-action", StringComparison.Ordinal))
                {
                    var with = step.GetMap("with");
                    var platforms = with?["platforms"] is ScalarNode { Value: { } p } ? p : null;
                    var push = with?.GetString("push") is "true" or "True" || with?.GetString("outputs")?.Contains("push=true", StringComparison.Ordinal) == true;
                    var tags = with?["tags"] switch
                    {
                        ScalarNode { Value: { } t } => t.Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                        SeqNode seq => seq.Items.OfType<ScalarNode>().Select(s => s.Value ?? "").ToArray(),
                        _ => [],
                    };
                    var at = step.Entry("uses")!.Value.KeySpan;
                    yield return new BuildCommand
                    {
                        Span = new SourceSpan(display, at.StartLine, at.StartColumn), Tool = "docker/build-push-action", Text = "uses: " + uses,
                        Tags = tags.Where(t => t.Length > 0).ToList(), ResolvedTags = tags.Where(t => t.Length > 0).ToList(), Platform = platforms, PlatformArch = CpuArchitectures.ParsePlatforms(platforms),
                        PlatformFrom = platforms == null ? stepDefault : null, Pushes = push,
                        DockerfilePath = with?.GetString("file"), Context = with?.GetString("context"),
                        BuilderKind = BuilderKind.GitHubActions, Builder = arch, BuilderWhy = why, LoopValues = matrix,
                    };
                }
            }
            foreach (var b in ShellLike(display, runLines, makefile: false, BuilderKind.GitHubActions, arch, why, jobDefault))
                yield return matrix.Count == 0 ? b : b with { LoopValues = b.LoopValues.Concat(matrix).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value) };
        }
    }

    /// <summary>strategy.matrix KEY: [a, b] lists and include: entries' KEY values, keyed `matrix.KEY` as workflows write them.</summary>
    private static Dictionary<string, IReadOnlyList<string>> MatrixValues(MapNode? matrix)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (value == null) return;
            if (!result.TryGetValue("matrix." + key, out var l)) result["matrix." + key] = l = [];
            if (!l.Contains(value)) l.Add(value);
        }
        foreach (var e in matrix?.Entries ?? [])
        {
            if (e.Name is null or "exclude") continue;
            if (e.Name == "include")
            {
                foreach (var inc in (e.Value as SeqNode)?.Maps ?? [])
                    foreach (var ie in inc.Entries)
                        if (ie.Name != null && ie.Value is ScalarNode { Value: { } v }) Add(ie.Name, v);
                continue;
            }
            if (e.Value is SeqNode seq)
                foreach (var item in seq.Items.OfType<ScalarNode>()) Add(e.Name, item.Value);
        }
        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
    }

    // Linear (a long run of word characters timed out the backtracking form); the leftmost match already starts a word.
    private static readonly SafeRegex ScriptMention = new(@"(?:\./|bash\s+|sh\s+)?(?<path>[\w./-]*[\w-]+\.sh)\b", RegexOptions.None);

    /// <summary>runs-on: a label, a list of labels, or {group, labels}.</summary>
    private static (CpuArch Arch, string Why) RunsOn(Node? node)
    {
        var labels = node switch
        {
            ScalarNode { Value: { } v } => [v],
            SeqNode seq => seq.Items.OfType<ScalarNode>().Select(s => s.Value ?? "").ToList(),
            MapNode m when m["labels"] is ScalarNode { Value: { } l } => [l],
            MapNode m when m["labels"] is SeqNode ls => ls.Items.OfType<ScalarNode>().Select(s => s.Value ?? "").ToList(),
            _ => new List<string>(),
        };
        var text = labels.Count == 1 ? labels[0] : "[" + string.Join(", ", labels) + "]";
        return (CpuArchitectures.OfRunnerLabels(labels), $"runs-on: {text}");
    }

    private static string? DefaultPlatformEnv(MapNode? env) =>
        env?["DOCKER_DEFAULT_PLATFORM"] is ScalarNode { Value: { } v } && CpuArchitectures.ParsePlatforms(v) != CpuArch.Unknown ? $"DOCKER_DEFAULT_PLATFORM={v}" : null;

    /// <summary>The file line of the first line of a run: value (the line after `run: |`, or the `run:` line for a plain scalar).</summary>
    private static int FirstContentLine(string[] lines, ScalarNode node, string value)
    {
        var first = value.Split('\n')[0].Trim();
        if (first.Length == 0) return node.Span.StartLine;
        for (var i = node.Span.StartLine - 1; i < lines.Length && i < node.Span.StartLine + 3; i++)
            if (i >= 0 && lines[i].Contains(first, StringComparison.Ordinal)) return i + 1;
        return node.Span.StartLine;
    }

    // --- GitLab CI ---

    private static IEnumerable<BuildCommand> GitLab(string display, string text)
    {
        var loaded = YamlTreeLoader.Load(text, display);
        if (loaded.Documents.Count == 0 || loaded.Documents[0].Root is not MapNode root) yield break;
        var lines = SplitLines(text);
        var fileDefault = DefaultPlatformEnv(root.GetMap("variables"));
        foreach (var job in root.Entries)
        {
            if (job.Value is not MapNode j || job.Name is null || job.Name.StartsWith('.') && j["script"] is null) continue;
            var tags = j.GetSeq("tags")?.Items.OfType<ScalarNode>().Select(s => s.Value ?? "").ToList() ?? [];
            var arch = CpuArchitectures.OfRunnerLabels(tags);
            var why = tags.Count == 0 ? "GitLab CI job without runner tags" : $"GitLab CI job tags [{string.Join(", ", tags)}]";
            var jobDefault = DefaultPlatformEnv(j.GetMap("variables")) ?? fileDefault;
            var jobLines = new List<(int Line, string Text)>();
            foreach (var key in new[] { "before_script", "script", "after_script" })
            {
                var items = j[key] switch { SeqNode s => s.Items.OfType<ScalarNode>().ToList(), ScalarNode s => [s], _ => [] };
                foreach (var item in items)
                    if (item.Value is { } cmd) jobLines.AddRange(Lines(cmd, FirstContentLine(lines, item, cmd)));
            }
            foreach (var b in ShellLike(display, jobLines, makefile: false, BuilderKind.OtherCi, arch, why, jobDefault))
                yield return b;
        }
    }

    // --- package.json ---

    private static IEnumerable<BuildCommand> PackageJson(string display, string text)
    {
        var loaded = JsonTreeLoader.Load(text, display);
        if (loaded.Documents.Count == 0 || loaded.Documents[0].Root is not MapNode root) yield break;
        foreach (var e in root.GetMap("scripts")?.Entries ?? [])
            if (e.Value is ScalarNode { Value: { } cmd } s)
                foreach (var b in ShellLike(display, cmd, s.Span.StartLine, makefile: false, BuilderKind.DeveloperScript, CpuArch.Unknown, "package.json script run by developers"))
                    yield return b;
    }

    // --- shell text (scripts, Makefiles, run: blocks) ---

    // Every pattern here is linear (non-backtracking): the lookaround forms timed out on a line of many flags, and a file
    // whose lines timed out lost all its builds. The word boundaries around commands are ShellPattern's.
    private static readonly ShellPattern BuildVerb = new(
        @"(?:docker|podman)(?:\s+--?[\w-]+(?:[= ]\S+)?)*?\s+(?<verb>buildx\s+build|image\s+build|compose(?:\s+(?:-f|--file|-p|--project-name|--env-file|--profile)\s+\S+|\s+--?[\w-]+(?:=\S+)?)*\s+build|build)" +
        @"|docker-compose(?:\s+(?:-f|--file|-p|--project-name|--env-file|--profile)\s+\S+|\s+--?[\w-]+(?:=\S+)?)*\s+(?<verb>build)", endsAtBoundary: true);

    private static readonly ShellPattern PushCommand = new(
        @"(?:docker|podman)\s+(?:image\s+)?push\s+(?:(?:-a|--all-tags|-q|--quiet|--disable-content-trust(?:=\S+)?)\s+)*(?<image>(?:\$\{\{[^}]*\}\}|[^\s""';&|])+|""[^""]+""|'[^']+')", endsAtBoundary: false);

    private static readonly ShellPattern TagCommand = new(
        @"(?:docker|podman)\s+(?:image\s+)?tag\s+(?<src>(?:\$\{\{[^}]*\}\}|[^\s""';&|])+|""[^""]+""|'[^']+')\s+(?<dst>(?:\$\{\{[^}]*\}\}|[^\s""';&|])+|""[^""]+""|'[^']+')", endsAtBoundary: false);

    private static readonly ShellPattern ComposePush = new(@"(?:docker\s+compose|docker-compose)(?:\s+-\S+(?:\s+\S+)?)*?\s+push\b", endsAtBoundary: false);

    // NAME=value, export NAME=value, NAME := value (Make), NAME ?= value.
    private static readonly SafeRegex Assignment = new(@"^\s*(?:export\s+|readonly\s+|local\s+|declare\s+(?:-\w+\s+)?)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>:?=|\?=|\+=|=)\s*(?<value>.*?)\s*$", RegexOptions.None);

    // for svc in a b c; do ...   /   for svc in "${SERVICES[@]}"; do
    private static readonly SafeRegex ForLoop = new(@"(?:^|[;&|(]\s*|\s)for\s+(?<name>[A-Za-z_]\w*)\s+in\s+(?<words>[^;\n]*?)\s*(?:;|$|\bdo\b)", RegexOptions.None);

    // Make: $(foreach s,a b c,docker build ...)
    private static readonly SafeRegex MakeForeach = new(@"\$\(foreach\s+(?<name>[A-Za-z_]\w*)\s*,(?<words>[^,]*),", RegexOptions.None);

    private static readonly SafeRegex DefaultPlatformAssignment = new(@"DOCKER_DEFAULT_PLATFORM\s*[:?]?=\s*[""']?(?<v>[\w/,.-]+)", RegexOptions.None);

    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "-t", "--tag", "-f", "--file", "--platform", "--build-arg", "--target", "--label", "--cache-from", "--cache-to", "--secret", "--ssh",
        "-o", "--output", "--progress", "--network", "--iidfile", "--metadata-file", "--add-host", "--build-context", "--builder", "--shm-size",
        "-m", "--memory", "--ulimit", "--annotation", "--attest", "--provenance", "--sbom", "--allow", "--cgroup-parent", "--isolation",
        "--cpu-shares", "--cpuset-cpus", "--memory-swap", "--security-opt", "--call", "--policy",
    };

    /// <summary>Builds in shell text; <paramref name="firstLine"/> is the file line of the text's first line.</summary>
    public static IEnumerable<BuildCommand> ShellLike(string display, string text, int firstLine, bool makefile, BuilderKind kind, CpuArch builder, string builderWhy, string? inheritedDefault = null) =>
        ShellLike(display, Lines(text, firstLine), makefile, kind, builder, builderWhy, inheritedDefault);

    /// <summary>(file line, text) of each line of <paramref name="text"/>, the first at <paramref name="firstLine"/>.</summary>
    private static IEnumerable<(int Line, string Text)> Lines(string text, int firstLine) =>
        text.Replace("\r\n", "\n").Split('\n').Select((l, i) => (firstLine + i, l));

    /// <summary>Builds in shell lines (file line, text), in order; a pushed image may be pushed lines (or steps) later.</summary>
    private static IEnumerable<BuildCommand> ShellLike(string display, IEnumerable<(int Line, string Text)> physical, bool makefile, BuilderKind kind, CpuArch builder, string builderWhy, string? inheritedDefault)
    {
        // Logical lines: backslash continuations joined, each remembering its first physical line.
        var logical = new List<(int Line, string Text)>();
        var sb = new StringBuilder();
        var start = -1;
        var any = false;
        foreach (var (lineNo, line) in physical)
        {
            if (start < 0) start = lineNo;
            if (line.EndsWith('\\')) { sb.Append(line, 0, line.Length - 1).Append(' '); continue; }
            sb.Append(line);
            var joined = sb.ToString();
            any |= joined.Contains("build", StringComparison.Ordinal);
            logical.Add((start, joined));
            sb.Clear();
            start = -1;
        }
        if (sb.Length > 0) logical.Add((start, sb.ToString()));
        if (!any) yield break;

        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var loops = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var builds = new List<(BuildCommand Build, List<(string Written, string Resolved)> Tags)>();
        var pushed = new List<string>();
        var composePushes = false;
        string? defaultPlatform = inheritedDefault;
        for (var idx = 0; idx < logical.Count; idx++)
        {
            var (line, l) = logical[idx];
            var trimmed = l.TrimStart();
            if (trimmed.StartsWith('#') && !makefile) continue;
            if (!makefile || !l.StartsWith('\t'))
                if (Assignment.Match(l) is { Success: true } a && !a.Groups["value"].Value.StartsWith('(') && !l.Contains("docker", StringComparison.Ordinal))
                    vars[a.Groups["name"].Value] = Unquote(a.Groups["value"].Value);
            if (DefaultPlatformAssignment.Match(l) is { Success: true } dp && CpuArchitectures.ParsePlatforms(dp.Groups["v"].Value) != CpuArch.Unknown)
                defaultPlatform = $"DOCKER_DEFAULT_PLATFORM={dp.Groups["v"].Value}";
            foreach (var loop in ForLoop.Matches(l).Concat(MakeForeach.Matches(l)))
            {
                // Only literal lists are known values; `$(ls services)` or an unset variable may be anything.
                var words = Expand(loop.Groups["words"].Value, vars);
                if (words.Contains('$') || words.Contains('`') || words.Contains('*')) loops.Remove(loop.Groups["name"].Value);
                else loops[loop.Groups["name"].Value] = words.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Unquote).ToList();
            }
            foreach (var p in PushCommand.Matches(l)) pushed.Add(Expand(Unquote(p.Group("image")), vars));
            foreach (var t in TagCommand.Matches(l))
            {
                var src = Expand(Unquote(t.Group("src")), vars);
                var dst = Unquote(t.Group("dst"));
                foreach (var b in builds.Where(b => b.Tags.Any(x => SameImage(x.Resolved, src)))) b.Tags.Add((dst, Expand(dst, vars)));
            }
            if (ComposePush.IsMatch(l)) composePushes = true;
            foreach (var m in BuildVerb.Matches(l))
            {
                var verb = m.Group("verb").StartsWith("compose", StringComparison.Ordinal) ? "compose build" : string.Join(' ', m.Group("verb").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                var tool = m.Value.StartsWith("docker-compose", StringComparison.Ordinal) ? "docker-compose build" : (m.Value.StartsWith("podman", StringComparison.Ordinal) ? "podman " : "docker ") + verb;
                var rest = l[(m.Index + m.Length)..];
                var b = ParseArgs(rest, vars);
                var build = new BuildCommand
                {
                    Span = new SourceSpan(display, line, 1), Tool = tool, Text = l.Trim().Length > 200 ? l.Trim()[..200] + "..." : l.Trim(),
                    Platform = b.Platform, PlatformArch = CpuArchitectures.ParsePlatforms(b.Platform), PlatformFrom = b.Platform == null ? defaultPlatform : null,
                    Pushes = b.Push, DockerfilePath = b.File, Context = b.Context,
                    BuilderKind = kind, Builder = builder, BuilderWhy = builderWhy,
                    LoopValues = new Dictionary<string, IReadOnlyList<string>>(loops, StringComparer.Ordinal),
                };
                builds.Add((build, b.Tags.Select(t => (t, Expand(t, vars))).ToList()));
            }
        }
        foreach (var (build, tags) in builds)
        {
            var pushes = build.Pushes || tags.Any(t => pushed.Any(p => SameImage(p, t.Resolved))) || (build.Tool.Contains("compose", StringComparison.Ordinal) && composePushes);
            var distinct = tags.Distinct().ToList();
            yield return build with { Tags = distinct.Select(t => t.Written).ToList(), ResolvedTags = distinct.Select(t => t.Resolved).ToList(), Pushes = pushes };
        }
    }

    private sealed record Args(List<string> Tags, string? Platform, bool Push, string? File, string? Context);

    private static Args ParseArgs(string rest, Dictionary<string, string> vars)
    {
        var tokens = Tokenize(rest);
        var tags = new List<string>();
        string? platform = null, file = null, context = null;
        var push = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t is "&&" or "||" or ";" or "|" or ")" or "&") break;
            string? Value(string flag) => t == flag ? (i + 1 < tokens.Count ? tokens[++i] : null) : t.StartsWith(flag + "=", StringComparison.Ordinal) ? t[(flag.Length + 1)..] : null;
            if (t.StartsWith('-'))
            {
                if ((Value("-t") ?? Value("--tag")) is { } tag) { tags.Add(Unquote(tag)); continue; }
                if (Value("--platform") is { } p) { platform = Expand(Unquote(p), vars); continue; }
                if ((Value("-f") ?? Value("--file")) is { } f) { file = Expand(Unquote(f), vars); continue; }
                if ((Value("-o") ?? Value("--output")) is { } o)
                {
                    // --output type=image,name=REPO:TAG,push=true (buildx): the name is a tag.
                    if (o.Contains("type=registry", StringComparison.Ordinal) || o.Contains("push=true", StringComparison.Ordinal)) push = true;
                    foreach (var part in Unquote(o).Split(','))
                        if (part.StartsWith("name=", StringComparison.Ordinal)) tags.Add(part[5..]);
                    continue;
                }
                if (t == "--push") { push = true; continue; }
                if (t.StartsWith("-t", StringComparison.Ordinal) && t.Length > 2 && !t.StartsWith("--", StringComparison.Ordinal)) { tags.Add(Unquote(t[2..])); continue; }
                var name = t.Contains('=') ? t[..t.IndexOf('=')] : t;
                if (!t.Contains('=') && ValueFlags.Contains(name)) i++;
                continue;
            }
            context ??= Expand(Unquote(t), vars);
        }
        return new Args(tags, platform, push, file, context);
    }

    /// <summary>Shell-like words: quotes kept together, ${{ ... }} and $( ... ) kept whole, operators split off.</summary>
    private static List<string> Tokenize(string s)
    {
        var tokens = new List<string>();
        var sb = new StringBuilder();
        void Flush() { if (sb.Length > 0) { tokens.Add(sb.ToString()); sb.Clear(); } }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '"' or '\'')
            {
                var end = s.IndexOf(c, i + 1);
                if (end < 0) end = s.Length - 1;
                sb.Append(s, i, end - i + 1);
                i = end;
                continue;
            }
            if (c == '$' && i + 2 < s.Length && (s[i + 1] == '{' || s[i + 1] == '('))
            {
                var open = s[i + 1];
                var close = open == '{' ? '}' : ')';
                var depth = 0;
                var j = i + 1;
                for (; j < s.Length; j++)
                {
                    if (s[j] == open) depth++;
                    else if (s[j] == close && --depth == 0) break;
                }
                if (open == '{' && j + 1 < s.Length && s[j + 1] == '}') j++; // ${{ ... }}
                j = Math.Min(j, s.Length - 1);
                sb.Append(s, i, j - i + 1);
                i = j;
                continue;
            }
            if (char.IsWhiteSpace(c)) { Flush(); continue; }
            if (c is ';' or '|' or '&' or ')')
            {
                Flush();
                if (i + 1 < s.Length && (c == '|' || c == '&') && s[i + 1] == c) { tokens.Add(new string(c, 2)); i++; }
                else tokens.Add(c.ToString());
                continue;
            }
            sb.Append(c);
        }
        Flush();
        return tokens;
    }

    private static string Unquote(string s)
    {
        s = s.Trim();
        if (s.Length >= 2 && (s[0] == '"' && s[^1] == '"' || s[0] == '\'' && s[^1] == '\'')) return s[1..^1];
        return s;
    }

    // $(command args) or `command`; $(NAME) alone is a Make variable.
    // (Linear: "$(" followed by anything but NAME")", written without the lookahead the backtracking form used.)
    private static readonly SafeRegex RunsCommand = new(@"\$\((?:[^A-Za-z_]|$)|\$\([A-Za-z_][A-Za-z0-9_]*(?:[^A-Za-z0-9_)]|$)|`", RegexOptions.None);

    private static readonly SafeRegex VariableRef = new(@"\$\{(?<n>[A-Za-z_][A-Za-z0-9_]*)\}|\$\((?<n>[A-Za-z_][A-Za-z0-9_]*)\)|\$(?<n>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.None);

    // ${{ ... }}, ${...} and $(...) in an image reference (linear: an unclosed "${{" repeated made the backtracking form quadratic).
    private static readonly SafeRegex Interpolation = new(@"\$\{\{[^}]*\}\}|\$\{[^}]*\}|\$\([^)]*\)", RegexOptions.None);

    /// <summary>$VAR, ${VAR} and $(VAR) (Make) replaced by values the same file assigns (two rounds); others, and values that run a command, left as written.</summary>
    public static string Expand(string s, IReadOnlyDictionary<string, string> vars)
    {
        for (var round = 0; round < 2 && s.Contains('$'); round++)
            s = VariableRef.Replace(s, m => vars.TryGetValue(m.Groups["n"].Value, out var v) && !v.Contains("$" + m.Groups["n"].Value, StringComparison.Ordinal)
                && !RunsCommand.IsMatch(v) ? v : m.Value);
        return s;
    }

    /// <summary>Same repository and tag text, ignoring quotes.</summary>
    private static bool SameImage(string a, string b) => string.Equals(a.Trim('"', '\''), b.Trim('"', '\''), StringComparison.Ordinal);

    private static string[] SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

    /// <summary>
    /// The repository name an image reference ends with (os-service in $ECR/os-service:$TAG, team/api in
    /// registry.example.com/team/api:1), with the tag and variables in the host part ignored; null when the last
    /// path component is itself a variable.
    /// </summary>
    public static string? RepositoryName(string image)
    {
        var s = Interpolation.Replace(image.Trim('"', '\''), "$V");
        var at = s.IndexOf('@');
        if (at >= 0) s = s[..at];
        var slash = s.LastIndexOf('/');
        var colon = s.LastIndexOf(':');
        if (colon > slash) s = s[..colon];
        var last = s[(s.LastIndexOf('/') + 1)..];
        if (last.Length == 0 || last.Contains('$') || last.Contains('{')) return null;
        return last.ToLowerInvariant();
    }
}
