using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load.Terraform;

/// <summary>
/// Turns the Terraform folders of a scan into model resources.
/// <list type="bullet">
/// <item>Every folder holding a scanned <c>.tf</c> file is a module.</item>
/// <item>A folder that another scanned module calls as a local module (<c>source = "./x"</c>, without count or
/// for_each) is evaluated only through its callers, with the arguments they pass; it is not also evaluated on its
/// own, so nothing is reported twice and its variables are known where the caller sets them. Every other folder is a
/// root module (terraform.tfvars and *.auto.tfvars apply).</item>
/// <item><c>aws_ecs_task_definition</c> instances become <see cref="ResourceFamily.EcsTaskDefinition"/> resources in the
/// RegisterTaskDefinition shape; every other resource and data source becomes a <see cref="ResourceFamily.Terraform"/>
/// resource (Kind = type, Name = address, Body = evaluated attributes).</item>
/// <item>Files that fail to parse become input errors at the line and column of the syntax error.</item>
/// </list>
/// </summary>
public static class TerraformLoader
{
    public sealed record Result(List<Resource> Resources, List<InputProblem> Problems, int Files, long Bytes)
    {
        /// <summary>The modules evaluated as roots, with what each produced (for merging a plan of the same configuration).</summary>
        public List<RootModule> Roots { get; } = new();
        /// <summary>Things the user should know once (several unread var files...).</summary>
        public List<string> Notices { get; } = new();
        /// <summary>Resources whose count or for_each is unknown: left out of <see cref="Resources"/>, listed so rules know something is missing.</summary>
        public List<UnexpandedResource> Unexpanded { get; init; } = [];
        /// <summary>Literal values of variables declared <c>sensitive = true</c> (defaults, var files, literal module arguments): never printed.</summary>
        public HashSet<string> SensitiveValues { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A module evaluated as a root: its resources (with the local modules it calls) and their configuration blocks.</summary>
    public sealed class RootModule(TerraformModule module, string display)
    {
        public TerraformModule Module { get; } = module;
        /// <summary>The root's folder relative to the scan root ("." for the root itself): <see cref="Resource.TerraformRoot"/>.</summary>
        public string Display { get; } = display;
        public List<HclResource> Resources { get; } = new();
        public List<UnexpandedResource> Unexpanded { get; } = new();
        /// <summary>Configuration address (<c>module.lb.aws_lb.this</c>, <c>data.x.y</c>) -> its block.</summary>
        public Dictionary<string, HclBlock> Blocks { get; } = new(StringComparer.Ordinal);

        /// <summary>The root module's own addresses, as a plan's configuration lists them (<c>aws_lb.web</c>, <c>data.x.y</c>, <c>module.lb</c>).</summary>
        public HashSet<string> RootAddresses { get; } = new(StringComparer.Ordinal);
    }

    /// <param name="Address">The instance address (<c>module.lb.aws_lb.this[0]</c>).</param>
    public sealed record HclResource(string Address, string ConfigAddress, Resource Resource);

    /// <summary>A var file given at plan time (<c>terraform.varFiles</c> in .groundcrew.yaml).</summary>
    /// <param name="Path">Full path of the var file.</param>
    /// <param name="Module">Full path of the root module it is for; null: the folder holding the file, or the nearest folder above it that is a module.</param>
    public sealed record VarFile(string Path, string? Module = null);

    /// <param name="tfFiles">Full paths of the discovered Terraform files (.tf, .tf.json, .tfvars...).</param>
    /// <param name="root">The scan root: spans are relative to it, and local modules are followed only inside it.</param>
    /// <param name="varFiles">Var files to read after the automatic ones, as <c>-var-file</c> would.</param>
    public static Result Load(IEnumerable<string> tfFiles, string root, long maxFileBytes = 5_000_000, IReadOnlyList<VarFile>? varFiles = null)
    {
        var resources = new List<Resource>();
        var problems = new List<InputProblem>();
        var all = tfFiles.ToList();
        var dirs = all.Where(IsConfigurationFile)
            .Select(f => Path.GetFullPath(Path.GetDirectoryName(f)!)).Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal).ToList();
        var empty = new Result(resources, problems, 0, 0);
        if (dirs.Count == 0) return empty;
        var dirSet = dirs.ToHashSet(StringComparer.Ordinal);

        // Var files given at plan time, by the root module they are for.
        var extra = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var v in varFiles ?? [])
        {
            var full = Path.GetFullPath(v.Path);
            var module = v.Module != null ? Path.GetFullPath(v.Module) : NearestModule(Path.GetDirectoryName(full)!, dirSet);
            if (!File.Exists(full))
            {
                problems.Add(new InputProblem(SourceSpan.OfFile(Shown(root, full)), "terraform.varFiles: this var file does not exist", Severity.Warning));
                continue;
            }
            if (module == null || !dirSet.Contains(module))
            {
                problems.Add(new InputProblem(SourceSpan.OfFile(Shown(root, full)),
                    "terraform.varFiles: no scanned Terraform module in this folder or above it; say which with `module:`", Severity.Warning));
                continue;
            }
            if (!extra.TryGetValue(module, out var list)) extra[module] = list = new List<string>();
            list.Add(full);
        }

        var cache = new Dictionary<string, TerraformModule>(StringComparer.Ordinal);
        var files = 0;
        long bytes = 0;
        // Modules are independent until they are evaluated, so they are parsed on every core (parsing is about half of a
        // repository's Terraform time); the results are then taken in folder order, so problems keep their order.
        var parsed = new TerraformModule[dirs.Count];
        Parallel.For(0, dirs.Count, i => parsed[i] = TerraformModule.Load(dirs[i], root, readVarFiles: true, maxFileBytes, extra.TryGetValue(dirs[i], out var chosen) ? chosen : []));
        for (var i = 0; i < dirs.Count; i++)
        {
            var dir = dirs[i];
            var module = parsed[i];
            cache[dir] = module;
            files += module.Files.Count + module.VarFiles.Count;
            bytes += module.ConfigurationBytes;
            foreach (var e in module.Errors)
                problems.Add(new InputProblem(new SourceSpan(e.File, Math.Max(1, e.Line), Math.Max(1, e.Column)), $"Terraform syntax error: {e.Message}"));
        }

        // Folders called as a plain local module by another scanned module are evaluated through their callers.
        var called = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in cache.Values.ToList())
            foreach (var (_, call) in module.ModuleCalls)
            {
                if (call.Body.Attribute("count") != null || call.Body.Attribute("for_each") != null) continue;
                if (call.Body.Attribute("source") is not { Expression: HclTemplate { LiteralValue: { } source } }) continue;
                if (module.LocalModuleDirectory(source) is { } child && child != module.Directory && cache.ContainsKey(child)) called.Add(child);
            }

        var result = new Result(resources, problems, files, bytes);
        // Modules are parsed once, whether the evaluator follows them or only their blocks are indexed.
        TerraformModule LoadOnce(string dir)
        {
            if (!cache.TryGetValue(dir, out var m)) cache[dir] = m = TerraformModule.Load(dir, root, readVarFiles: false, maxFileBytes);
            return m;
        }
        foreach (var dir in dirs)
        {
            if (called.Contains(dir)) continue;
            var evaluator = new HclEvaluator(cache[dir], cache);
            var rel = Path.GetRelativePath(Path.GetFullPath(root), dir).Replace('\\', '/');
            var rootModule = new RootModule(cache[dir], rel.Length == 0 ? "." : rel);
            foreach (var a in cache[dir].Resources.Keys) rootModule.RootAddresses.Add(a);
            foreach (var a in cache[dir].DataSources.Keys) rootModule.RootAddresses.Add("data." + a);
            foreach (var a in cache[dir].ModuleCalls.Keys) rootModule.RootAddresses.Add("module." + a);
            Collect(evaluator, "", rootModule, new HashSet<string>(StringComparer.Ordinal) { dir }, LoadOnce);
            foreach (var (span, message) in evaluator.CapsReached.DistinctBy(c => (c.Span.File, c.Span.StartLine, c.Message)).Take(20))
                problems.Add(new InputProblem(span, message, Severity.Warning, "scan-limit-reached"));
            resources.AddRange(rootModule.Resources.Select(r => r.Resource));
            result.Unexpanded.AddRange(rootModule.Unexpanded);
            result.Roots.Add(rootModule);
        }

        foreach (var module in cache.Values) CollectSensitive(module, cache, result.SensitiveValues);

        // Var files Terraform only reads with -var-file: say once when a root module has several and none was chosen.
        var unchosen = new List<string>();
        var candidatesByModule = all.Where(TerraformModule.IsOptionalVarFile).Select(Path.GetFullPath)
            .GroupBy(f => NearestModule(Path.GetDirectoryName(f)!, dirSet) ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var dir in dirs.Where(d => !called.Contains(d) && !extra.ContainsKey(d)))
        {
            if (!candidatesByModule.TryGetValue(dir, out var found) || found.Count < 2) continue;
            var candidates = found.Select(f => Shown(dir, f)).OrderBy(f => f, StringComparer.Ordinal).ToList();
            unchosen.Add($"{Shown(root, dir)} ({string.Join(", ", candidates.Take(4))}{(candidates.Count > 4 ? ", ..." : "")})");
        }
        if (unchosen.Count > 0)
            result.Notices.Add($"Terraform: {string.Join("; ", unchosen.Take(5))}{(unchosen.Count > 5 ? $" and {unchosen.Count - 5} more module(s)" : "")}: " +
                "several var files that Terraform reads only with -var-file, and none chosen, so none was read (variables without a default stay unknown). " +
                "Choose with `terraform: { varFiles: [path/to/prod.tfvars] }` in .groundcrew.yaml, or scan a plan (`terraform show -json plan.out`).");
        return result;
    }

    /// <summary>
    /// The literal text given to a module's sensitive variables: their defaults, the var files' values, and the literal
    /// arguments a caller passes to a local child module's sensitive variables. Terraform hides these in its own output; so do we.
    /// </summary>
    private static void CollectSensitive(TerraformModule module, Dictionary<string, TerraformModule> modules, HashSet<string> into)
    {
        foreach (var (name, variable) in module.Variables)
        {
            if (!IsSensitive(variable.Body)) continue;
            if (variable.Body.Attribute("default") is { } d) Literals(d.Expression, into, 0);
            if (module.VarFileValues.TryGetValue(name, out var given)) Literals(given.Expression, into, 0);
        }
        foreach (var (_, call) in module.ModuleCalls)
        {
            if (call.Body.Attribute("source") is not { Expression: HclTemplate { LiteralValue: { } source } }) continue;
            if (module.LocalModuleDirectory(source) is not { } dir || !modules.TryGetValue(dir, out var child)) continue;
            foreach (var argument in call.Body.Attributes)
                if (child.Variables.TryGetValue(argument.Name, out var v) && IsSensitive(v.Body)) Literals(argument.Expression, into, 0);
        }
    }

    private static bool IsSensitive(HclBody variable) => variable.Attribute("sensitive") is { Expression: HclLiteral { Kind: HclLiteralKind.Bool, BoolValue: true } };

    private static void Literals(HclExpr expression, HashSet<string> into, int depth)
    {
        if (depth > 16) return;
        switch (expression)
        {
            case HclTemplate t when t.LiteralValue is { Length: > 0 } text: into.Add(text); break;
            case HclTemplate t:
                foreach (var part in t.Parts.OfType<HclTemplateLiteral>()) if (part.Text.Trim().Length >= 8) into.Add(part.Text.Trim());
                break;
            case HclTuple tuple: foreach (var item in tuple.Items) Literals(item, into, depth + 1); break;
            case HclObject obj: foreach (var item in obj.Items) Literals(item.Value, into, depth + 1); break;
            case HclParens p: Literals(p.Inner, into, depth + 1); break;
        }
    }

    /// <summary>A file that is part of a module's configuration (.tf, .tf.json), not a var file.</summary>
    private static bool IsConfigurationFile(string f) => TerraformModule.IsConfigurationFile(f);

    private static string? NearestModule(string dir, HashSet<string> modules)
    {
        for (var d = Path.GetFullPath(dir); d != null; d = Path.GetDirectoryName(d))
            if (modules.Contains(d)) return d;
        return null;
    }

    private static string Shown(string root, string path)
    {
        var rel = Path.GetRelativePath(root, path).Replace('\\', '/');
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }

    private static void Collect(HclEvaluator ev, string prefix, RootModule root, HashSet<string> stack, Func<string, TerraformModule> load)
    {
        var module = ev.Module;
        foreach (var (address, block) in module.Resources)
            AddInstances(ev, block, block.Labels[0], block.Labels[1], data: false, prefix, root);
        foreach (var (address, block) in module.DataSources)
            AddInstances(ev, block, block.Labels[0], block.Labels[1], data: true, prefix, root);

        foreach (var (name, call) in module.ModuleCalls)
        {
            // A module whose resources are not read (remote source, count/for_each) is listed like an unexpanded resource.
            var notRead = new UnexpandedResource(root.Display, "module", $"{prefix}module.{name}", call.Span.File)
            {
                Arguments = call.Body.Attributes.Select(a => a.Name).ToList(),
                Source = call.Body.Attribute("source") is { Expression: HclTemplate { LiteralValue: { } source } } ? source : null,
            };
            if (call.Body.Attribute("count") != null || call.Body.Attribute("for_each") != null) { root.Unexpanded.Add(notRead); continue; }
            HclEvaluator? child;
            try { child = ev.ChildModule(name, call, out _); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { root.Unexpanded.Add(notRead); continue; }
            if (child == null)
            {
                root.Unexpanded.Add(notRead);
                AddRemoteModuleCall(ev, name, call, prefix, root);
                continue;
            }
            if (!stack.Add(child.Module.Directory)) continue; // too deep, or a cycle
            Collect(child, $"{prefix}module.{name}.", root, stack, load);
            stack.Remove(child.Module.Directory);
        }
        // Blocks of modules called with count/for_each are indexed too (a plan expands them; positions still come from the .tf).
        foreach (var (name, call) in module.ModuleCalls)
        {
            if (call.Body.Attribute("count") == null && call.Body.Attribute("for_each") == null) continue;
            if (call.Body.Attribute("source") is not { Expression: HclTemplate { LiteralValue: { } source } }) continue;
            if (module.LocalModuleDirectory(source) is not { } dir || !stack.Add(dir)) continue;
            try { IndexBlocks(load(dir), $"{prefix}module.{name}.", root, stack, load, depth: 0); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            stack.Remove(dir);
        }
    }

    /// <summary>
    /// A module call whose source is not followed (a registry or git module): its resources are unknown, but the inputs
    /// it is called with are kept as a resource of Kind <c>module</c> (Body = evaluated arguments, with <c>source</c>
    /// and <c>version</c>), so rules can read well-known modules such as terraform-aws-modules/iam's IRSA role.
    /// </summary>
    private static void AddRemoteModuleCall(HclEvaluator ev, string name, HclBlock call, string prefix, RootModule root)
    {
        if (call.Body.Attribute("source") is not { Expression: HclTemplate { LiteralValue: { } source } } || source.StartsWith('.')) return;
        var body = ev.BodyValue(call.Body, null, open: false, call.Span);
        if (TerraformValueToTree.Convert(body, call.Span) is not MapNode tree) return;
        if (tree["source"] == null) tree.Add(new ScalarNode { Value = "source", Kind = ScalarKind.Quoted, Span = call.Span }, new ScalarNode { Value = source, Kind = ScalarKind.Quoted, Span = call.Span });
        root.Resources.Add(new HclResource($"{prefix}module.{name}", $"{prefix}module.{name}", new Resource
        {
            Family = ResourceFamily.Terraform, Kind = "module", Name = $"{prefix}module.{name}", Body = tree, File = call.Span.File,
            Address = $"{prefix}module.{name}", Scope = ev.RootModuleDirectory, TerraformRoot = root.Display,
        }));
    }

    private static void IndexBlocks(TerraformModule module, string prefix, RootModule root, HashSet<string> stack, Func<string, TerraformModule> load, int depth)
    {
        foreach (var (address, block) in module.Resources) root.Blocks.TryAdd(prefix + address, block);
        foreach (var (address, block) in module.DataSources) root.Blocks.TryAdd(prefix + "data." + address, block);
        if (depth > 8) return;
        foreach (var (name, call) in module.ModuleCalls)
        {
            if (call.Body.Attribute("source") is not { Expression: HclTemplate { LiteralValue: { } source } }) continue;
            if (module.LocalModuleDirectory(source) is not { } dir || !stack.Add(dir)) continue;
            IndexBlocks(load(dir), $"{prefix}module.{name}.", root, stack, load, depth + 1);
            stack.Remove(dir);
        }
    }

    private static void AddInstances(HclEvaluator ev, HclBlock block, string type, string name, bool data, string prefix, RootModule root)
    {
        var configAddress = prefix + (data ? "data." : "") + type + "." + name;
        root.Blocks.TryAdd(configAddress, block);
        foreach (var (address, instance) in ev.Instances(type, name, data))
        {
            if (!instance.IsKnown || instance.Kind != TfKind.Map)
            {
                // unknown count/for_each: nothing to check, but rules that need every instance of a type must know one is missing
                if (!data) root.Unexpanded.Add(new UnexpandedResource(root.Display, type, prefix + address, block.Span.File));
                continue;
            }
            var file = block.Span.File;
            if (!data && type == "aws_ecs_task_definition")
            {
                var body = TerraformValueToTree.EcsTaskDefinition(instance, block.Span);
                root.Resources.Add(new HclResource(prefix + address, configAddress, new Resource
                {
                    Family = ResourceFamily.EcsTaskDefinition, Kind = "TaskDefinition",
                    Name = body.GetString("family") ?? prefix + address, Body = body, File = file, Address = prefix + address, Scope = ev.RootModuleDirectory,
                    TerraformRoot = root.Display,
                }));
                continue;
            }
            if (TerraformValueToTree.Convert(instance, block.Span) is not MapNode tree) continue;
            root.Resources.Add(new HclResource(prefix + address, configAddress, new Resource
            {
                Family = ResourceFamily.Terraform, Kind = type, Name = prefix + address, Body = tree, File = file, Address = prefix + address, Scope = ev.RootModuleDirectory,
                TerraformRoot = root.Display,
            }));
        }
    }
}

/// <summary>
/// A resource whose instances are not known (unknown count or for_each), or a module call whose resources are not read
/// (<see cref="Type"/> "module": a registry, git or http source, or count/for_each), in the root module folder it was
/// evaluated from. Rules that need every resource of some types (all routes of a VPC, say) use these to stay silent.
/// </summary>
public sealed record UnexpandedResource(string Root, string Type, string Address, string File)
{
    /// <summary>For a module call: the names of the arguments it is given (vpc_id, subnet_ids, ...).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>For a module call: its literal source, if any.</summary>
    public string? Source { get; init; }
}
