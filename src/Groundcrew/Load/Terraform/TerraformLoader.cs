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
        /// <summary>Resources whose count or for_each is unknown: left out of <see cref="Resources"/>, listed so rules know something is missing.</summary>
        public List<UnexpandedResource> Unexpanded { get; init; } = [];
    }

    /// <param name="tfFiles">Full paths of the discovered .tf files.</param>
    /// <param name="root">The scan root: spans are relative to it, and local modules are followed only inside it.</param>
    public static Result Load(IEnumerable<string> tfFiles, string root, long maxFileBytes = 5_000_000)
    {
        var resources = new List<Resource>();
        var problems = new List<InputProblem>();
        var unexpanded = new List<UnexpandedResource>();
        var dirs = tfFiles.Where(f => f.EndsWith(".tf", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetFullPath(Path.GetDirectoryName(f)!)).Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal).ToList();
        if (dirs.Count == 0) return new Result(resources, problems, 0, 0) { Unexpanded = unexpanded };

        var cache = new Dictionary<string, TerraformModule>(StringComparer.Ordinal);
        var files = 0;
        long bytes = 0;
        foreach (var dir in dirs)
        {
            var module = TerraformModule.Load(dir, root, readVarFiles: true, maxFileBytes);
            cache[dir] = module;
            files += module.Files.Count + module.VarFiles.Count;
            foreach (var e in module.Errors)
                problems.Add(new InputProblem(new SourceSpan(e.File, Math.Max(1, e.Line), Math.Max(1, e.Column)), $"Terraform syntax error: {e.Message}"));
        }
        foreach (var dir in dirs)
            foreach (var f in System.IO.Directory.EnumerateFiles(dir, "*.tf"))
                try { bytes += new FileInfo(f).Length; } catch (IOException) { }

        // Folders called as a plain local module by another scanned module are evaluated through their callers.
        var called = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in cache.Values.ToList())
            foreach (var (_, call) in module.ModuleCalls)
            {
                if (call.Body.Attribute("count") != null || call.Body.Attribute("for_each") != null) continue;
                if (call.Body.Attribute("source") is not { Expression: HclTemplate { LiteralValue: { } source } }) continue;
                if (module.LocalModuleDirectory(source) is { } child && child != module.Directory && cache.ContainsKey(child)) called.Add(child);
            }

        foreach (var dir in dirs)
        {
            if (called.Contains(dir)) continue;
            var evaluator = new HclEvaluator(cache[dir], cache);
            var rel = Path.GetRelativePath(Path.GetFullPath(root), dir).Replace('\\', '/');
            var sink = new Sink(resources, unexpanded, rel.Length == 0 ? "." : rel);
            Collect(evaluator, "", sink, new HashSet<string>(StringComparer.Ordinal) { dir });
        }
        return new Result(resources, problems, files, bytes) { Unexpanded = unexpanded };
    }

    /// <summary>Where one root module's resources go, with the root's folder (relative to the scan root) they are tagged with.</summary>
    private sealed record Sink(List<Resource> Resources, List<UnexpandedResource> Unexpanded, string Root);

    private static void Collect(HclEvaluator ev, string prefix, Sink sink, HashSet<string> stack)
    {
        var module = ev.Module;
        foreach (var (address, block) in module.Resources)
            AddInstances(ev, block, block.Labels[0], block.Labels[1], data: false, prefix, sink);
        foreach (var (address, block) in module.DataSources)
            AddInstances(ev, block, block.Labels[0], block.Labels[1], data: true, prefix, sink);

        foreach (var (name, call) in module.ModuleCalls)
        {
            // A module whose resources are not read (remote source, count/for_each) is listed like an unexpanded resource.
            var notRead = new UnexpandedResource(sink.Root, "module", $"{prefix}module.{name}", call.Span.File)
            {
                Arguments = call.Body.Attributes.Select(a => a.Name).ToList(),
                Source = call.Body.Attribute("source") is { Expression: HclTemplate { LiteralValue: { } source } } ? source : null,
            };
            if (call.Body.Attribute("count") != null || call.Body.Attribute("for_each") != null) { sink.Unexpanded.Add(notRead); continue; }
            HclEvaluator? child;
            try { child = ev.ChildModule(name, call, out _); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { sink.Unexpanded.Add(notRead); continue; }
            if (child == null)
            {
                sink.Unexpanded.Add(notRead);
                AddRemoteModuleCall(ev, name, call, prefix, sink);
                continue;
            }
            if (!stack.Add(child.Module.Directory)) continue; // too deep, or a cycle
            Collect(child, $"{prefix}module.{name}.", sink, stack);
            stack.Remove(child.Module.Directory);
        }
    }

    /// <summary>
    /// A module call whose source is not followed (a registry or git module): its resources are unknown, but the inputs
    /// it is called with are kept as a resource of Kind <c>module</c> (Body = evaluated arguments, with <c>source</c>
    /// and <c>version</c>), so rules can read well-known modules such as terraform-aws-modules/iam's IRSA role.
    /// </summary>
    private static void AddRemoteModuleCall(HclEvaluator ev, string name, HclBlock call, string prefix, Sink sink)
    {
        if (call.Body.Attribute("source") is not { Expression: HclTemplate { LiteralValue: { } source } } || source.StartsWith('.')) return;
        var body = ev.BodyValue(call.Body, null, open: false, call.Span);
        if (TerraformValueToTree.Convert(body, call.Span) is not MapNode tree) return;
        if (tree["source"] == null) tree.Add(new ScalarNode { Value = "source", Kind = ScalarKind.Quoted, Span = call.Span }, new ScalarNode { Value = source, Kind = ScalarKind.Quoted, Span = call.Span });
        sink.Resources.Add(new Resource
        {
            Family = ResourceFamily.Terraform, Kind = "module", Name = $"{prefix}module.{name}", Body = tree, File = call.Span.File,
            Address = $"{prefix}module.{name}", Scope = ev.RootModuleDirectory, TerraformRoot = sink.Root,
        });
    }

    private static void AddInstances(HclEvaluator ev, HclBlock block, string type, string name, bool data, string prefix, Sink sink)
    {
        var resources = sink.Resources;
        foreach (var (address, instance) in ev.Instances(type, name, data))
        {
            if (!instance.IsKnown || instance.Kind != TfKind.Map)
            {
                // unknown count/for_each: nothing to check, but rules that need every instance of a type must know one is missing
                if (!data) sink.Unexpanded.Add(new UnexpandedResource(sink.Root, type, prefix + address, block.Span.File));
                continue;
            }
            var file = block.Span.File;
            if (!data && type == "aws_ecs_task_definition")
            {
                var body = TerraformValueToTree.EcsTaskDefinition(instance, block.Span);
                resources.Add(new Resource
                {
                    Family = ResourceFamily.EcsTaskDefinition, Kind = "TaskDefinition",
                    Name = body.GetString("family") ?? prefix + address, Body = body, File = file, Address = prefix + address, Scope = ev.RootModuleDirectory,
                    TerraformRoot = sink.Root,
                });
                continue;
            }
            if (TerraformValueToTree.Convert(instance, block.Span) is not MapNode tree) continue;
            resources.Add(new Resource
            {
                Family = ResourceFamily.Terraform, Kind = type, Name = prefix + address, Body = tree, File = file, Address = prefix + address, Scope = ev.RootModuleDirectory,
                TerraformRoot = sink.Root,
            });
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
