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
    public sealed record Result(List<Resource> Resources, List<InputProblem> Problems, int Files, long Bytes);

    /// <param name="tfFiles">Full paths of the discovered .tf files.</param>
    /// <param name="root">The scan root: spans are relative to it, and local modules are followed only inside it.</param>
    public static Result Load(IEnumerable<string> tfFiles, string root, long maxFileBytes = 5_000_000)
    {
        var resources = new List<Resource>();
        var problems = new List<InputProblem>();
        var dirs = tfFiles.Where(f => f.EndsWith(".tf", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetFullPath(Path.GetDirectoryName(f)!)).Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal).ToList();
        if (dirs.Count == 0) return new Result(resources, problems, 0, 0);

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
            Collect(evaluator, "", resources, new HashSet<string>(StringComparer.Ordinal) { dir });
        }
        return new Result(resources, problems, files, bytes);
    }

    private static void Collect(HclEvaluator ev, string prefix, List<Resource> resources, HashSet<string> stack)
    {
        var module = ev.Module;
        foreach (var (address, block) in module.Resources)
            AddInstances(ev, block, block.Labels[0], block.Labels[1], data: false, prefix, resources);
        foreach (var (address, block) in module.DataSources)
            AddInstances(ev, block, block.Labels[0], block.Labels[1], data: true, prefix, resources);

        foreach (var (name, call) in module.ModuleCalls)
        {
            if (call.Body.Attribute("count") != null || call.Body.Attribute("for_each") != null) continue;
            HclEvaluator? child;
            try { child = ev.ChildModule(name, call, out _); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            if (child == null) { AddRemoteModuleCall(ev, name, call, prefix, resources); continue; }
            if (!stack.Add(child.Module.Directory)) continue; // a cycle
            Collect(child, $"{prefix}module.{name}.", resources, stack);
            stack.Remove(child.Module.Directory);
        }
    }

    /// <summary>
    /// A call of a registry or Git module (terraform-aws-modules/eks/aws...) becomes a resource of Kind "module" whose body
    /// is the evaluated arguments (source included): its resources are not scanned, but what the caller passes is known.
    /// </summary>
    private static void AddRemoteModuleCall(HclEvaluator ev, string name, HclBlock call, string prefix, List<Resource> resources)
    {
        var source = call.Body.Attribute("source") is { Expression: HclTemplate t } ? t.LiteralValue : null;
        if (source == null || source.StartsWith('.') || source.StartsWith('/')) return;
        var value = ev.BodyValue(call.Body, null, open: true, call.Span);
        if (TerraformValueToTree.Convert(value, call.Span) is not MapNode tree) return;
        resources.Add(new Resource
        {
            Family = ResourceFamily.Terraform, Kind = "module", Name = $"{prefix}module.{name}", Body = tree, File = call.Span.File, Address = $"{prefix}module.{name}",
        });
    }

    private static void AddInstances(HclEvaluator ev, HclBlock block, string type, string name, bool data, string prefix, List<Resource> resources)
    {
        foreach (var (address, instance) in ev.Instances(type, name, data))
        {
            if (!instance.IsKnown || instance.Kind != TfKind.Map) continue; // unknown count/for_each: nothing to check
            var file = block.Span.File;
            if (!data && type == "aws_ecs_task_definition")
            {
                var body = TerraformValueToTree.EcsTaskDefinition(instance, block.Span);
                resources.Add(new Resource
                {
                    Family = ResourceFamily.EcsTaskDefinition, Kind = "TaskDefinition",
                    Name = body.GetString("family") ?? prefix + address, Body = body, File = file, Address = prefix + address,
                });
                continue;
            }
            if (TerraformValueToTree.Convert(instance, block.Span) is not MapNode tree) continue;
            resources.Add(new Resource
            {
                Family = ResourceFamily.Terraform, Kind = type, Name = prefix + address, Body = tree, File = file, Address = prefix + address,
            });
        }
    }
}
