using Groundcrew.Core;
using Groundcrew.Load.Builds;
using Groundcrew.Model;

namespace Groundcrew.Rules.Images;

/// <summary>
/// An image pushed by a build whose architecture differs from the machines that run it: `docker build` without
/// --platform on an arm64 builder (Apple Silicon, macos-14 runners, *-arm runners) for amd64 nodes or tasks, or an amd64
/// builder for Graviton ones, or an explicit --platform that names the wrong architecture. The target comes from the
/// containers that use the image (pod nodeSelector, node groups, task definition runtimePlatform), else `platform:` in
/// `.groundcrew.yaml`, else, for images pushed to ECR, the one architecture every scanned target agrees on.
/// A developer script's builder is unknown: without --platform it is a warning.
/// </summary>
public sealed class ImageBuiltForWrongArchitecture : Rule
{
    public override string Title => "Image built for the wrong CPU architecture";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`exec /usr/bin/dumb-init: exec format error` (the container starts a binary built for another CPU) and CrashLoopBackOff (incident A6)";
    public override string Fix => "Build for the target's platform: `docker build --platform linux/amd64 ...` (or `platforms: linux/amd64` in docker/build-push-action, or `--platform linux/amd64,linux/arm64` for a multi-architecture image).";
    public override IReadOnlyList<string> Incidents => ["A6"];

    private sealed record Target(ArchitectureFact Fact, string What, SourceSpan? Container);

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var builds = model.Builds.Where(b => b.Pushes && b.Tags.Count > 0).ToList();
        if (builds.Count == 0) yield break;
        var index = TargetsByRepository(model);
        var rendered = RenderedTargets(model);
        var configured = model.ConfiguredPlatform is { Arch: CpuArch.Amd64 or CpuArch.Arm64 } cp
            ? new ArchitectureFact(ArchTargetKind.Config, ".groundcrew.yaml", cp.Arch, cp.Span, $"platform: {cp.Value}")
            : null;
        var deploymentWide = DeploymentWide(model);

        foreach (var build in builds)
        {
            var (built, builtWhy, platformSet) = BuiltArchitecture(build, model);
            if (platformSet && built == CpuArch.Unknown) continue; // --platform $VAR: not ours to guess

            var repos = build.ResolvedTags.Concat(build.Tags).Select(BuildCommands.RepositoryName).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var tied = repos.SelectMany(r => index.GetValueOrDefault(r) ?? []).Concat(rendered.GetValueOrDefault(build) ?? []).ToList();
            var targets = tied.Where(t => t.Fact.Arch is CpuArch.Amd64 or CpuArch.Arm64).ToList();
            if (targets.Count == 0 && configured != null)
                targets = tied.Count > 0 ? tied.Select(t => t with { Fact = configured }).DistinctBy(t => t.What).Take(1).ToList() : [new Target(configured, "the deployment", null)];
            if (targets.Count == 0 && deploymentWide != null && PushesToEcr(build, model))
                targets = [new Target(deploymentWide, "every scanned target", null)];
            if (targets.Count == 0) continue;

            var image = ShowImage(build);
            var tool = $"`{build.Tool}`";
            foreach (var target in targets)
            {
                var related = new List<RelatedLocation> { new(target.Fact.Span, target.Fact.Describe()) };
                if (target.Container is { } c) related.Insert(0, new RelatedLocation(c, $"{target.What} uses this image"));
                var runs = target.Fact.Kind == ArchTargetKind.Config
                    ? $"{target.What} runs on linux/{CpuArchitectures.Name(target.Fact.Arch)} (`{target.Fact.Why}` in .groundcrew.yaml)"
                    : target.Fact.Kind is ArchTargetKind.PodSelector or ArchTargetKind.EcsTaskDefinition
                        ? $"{target.What} runs on {CpuArchitectures.Name(target.Fact.Arch)} ({target.Fact.Why})"
                        : $"{target.What} runs on {CpuArchitectures.Name(target.Fact.Arch)} ({target.Fact.KindName} {target.Fact.Target}: {target.Fact.Why})";
                var want = $"linux/{CpuArchitectures.Name(target.Fact.Arch)}";
                if (built != CpuArch.Unknown)
                {
                    if ((built & target.Fact.Arch) != 0) continue;
                    yield return At(build.Span,
                        $"{tool} pushes {image} built for {CpuArchitectures.Name(built)} ({builtWhy}), but {runs}: the container will fail with `exec format error`",
                        $"Add `--platform {want}` to this build{(build.Tool.Contains("build-push-action", StringComparison.Ordinal) ? $" (`platforms: {want}` under `with:`)" : "")}, or build a multi-architecture image.",
                        related);
                    break;
                }
                if (build.BuilderKind != BuilderKind.DeveloperScript) break; // a CI runner we cannot place: say nothing
                yield return At(build.Span,
                    $"developer script: the builder's architecture is unknown. {tool} pushes {image} without --platform, so it is built for whichever machine runs the script (arm64 on Apple Silicon, amd64 on most PCs), but {runs}",
                    $"Add `--platform {want}` so the image is the same whoever builds it.",
                    related) with { Severity = Severity.Warning };
                break;
            }
        }
    }

    /// <summary>The pushed name as written, or as resolved when it is written as one variable ($IMAGE).</summary>
    private static string ShowImage(BuildCommand build)
    {
        var i = build.Tags.Count - 1;
        var written = build.Tags[i];
        return System.Text.RegularExpressions.Regex.IsMatch(written, @"^\$\{?\w+\}?$") && i < build.ResolvedTags.Count ? build.ResolvedTags[i] : written;
    }

    /// <summary>What the build produces: an explicit platform, DOCKER_DEFAULT_PLATFORM, the Dockerfile's final FROM --platform, else the builder's own architecture.</summary>
    private static (CpuArch Arch, string Why, bool PlatformSet) BuiltArchitecture(BuildCommand build, DeploymentModel model)
    {
        if (build.Platform != null) return (build.PlatformArch, build.Tool.Contains("build-push-action", StringComparison.Ordinal) ? $"platforms: {build.Platform}" : $"--platform {build.Platform}", true);
        if (build.PlatformFrom != null) return (CpuArchitectures.ParsePlatforms(build.PlatformFrom[(build.PlatformFrom.IndexOf('=') + 1)..]), build.PlatformFrom, true);
        if (FinalStagePlatform(build, model) is { } fixedPlatform) return (fixedPlatform.Item1, fixedPlatform.Item2, true);
        return (build.Builder, build.Builder == CpuArch.Unknown ? build.BuilderWhy : $"no --platform, so the builder's architecture: {build.BuilderWhy}", false);
    }

    /// <summary>
    /// A literal `FROM --platform=linux/amd64` on the Dockerfile's final stage (or the stage it builds on) fixes the image's
    /// architecture. `--platform=$BUILDPLATFORM` and other variables say nothing.
    /// </summary>
    private static (CpuArch, string)? FinalStagePlatform(BuildCommand build, DeploymentModel model)
    {
        if (model.Dockerfiles.Count == 0) return null;
        var buildDir = Path.GetDirectoryName(build.Span.File)?.Replace('\\', '/') ?? "";
        var context = build.Context is { Length: > 0 } c && !c.Contains('$') && !c.Contains("://", StringComparison.Ordinal) ? c : ".";
        var file = build.DockerfilePath is { Length: > 0 } f && !f.Contains('$') ? f : null;
        var candidates = new List<string>();
        foreach (var baseDir in new[] { buildDir, "" })
        {
            if (file != null) { candidates.Add(Join(baseDir, file)); candidates.Add(Join(Join(baseDir, context), file)); }
            else candidates.Add(Join(Join(baseDir, context), "Dockerfile"));
        }
        var doc = model.Dockerfiles.FirstOrDefault(d => candidates.Contains(d.File.Replace('\\', '/'), StringComparer.Ordinal));
        for (var stage = doc?.FinalStage; stage != null; stage = stage.BaseStage == stage ? null : stage.BaseStage)
            if (stage.Platform is { } p)
            {
                var arch = CpuArchitectures.ParsePlatforms(p);
                return arch == CpuArch.Unknown ? null : (arch, $"{doc!.File}:{stage.From.StartLine} FROM --platform={p}");
            }
        return null;
    }

    private static string Join(string a, string b)
    {
        var parts = new List<string>();
        foreach (var p in (a.Length == 0 || b.StartsWith('/') ? b : a + "/" + b).Split('/'))
        {
            if (p is "" or ".") continue;
            if (p == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(p);
        }
        return string.Join('/', parts);
    }

    /// <summary>Repository name (last path component, lower case) -> the containers that run it and where they run.</summary>
    private static Dictionary<string, List<Target>> TargetsByRepository(DeploymentModel model)
    {
        var index = new Dictionary<string, List<Target>>(StringComparer.Ordinal);
        void Add(string? image, Target t)
        {
            if (image == null || BuildCommands.RepositoryName(image) is not { } repo) return;
            if (!index.TryGetValue(repo, out var list)) index[repo] = list = [];
            list.Add(t);
        }
        var arch = model.Architectures;
        foreach (var w in model.Workloads)
        {
            var fact = arch.ForWorkload(w);
            foreach (var c in w.Containers)
                Add(c.Image, new Target(fact ?? Unknown(w.Resource), $"{w.Resource.Kind}/{w.Resource.Name} (container {c.Name})", c.ImageNode?.Span));
        }
        foreach (var td in model.TaskDefinitions)
        {
            var fact = arch.Of(td.Resource);
            foreach (var c in td.Containers)
                Add(c.Image, new Target(fact ?? Unknown(td.Resource), $"task definition {td.Family} (container {c.Name})", c.ImageNode?.Span));
        }
        return index;
    }

    /// <summary>
    /// Builds whose image a workflow's amazon-ecs-render-task-definition step inserts into a task definition
    /// (`image: ${{ steps.build.outputs.image }}` and the build runs in step `build`) -> those containers: tied by the
    /// workflow itself, whatever stand-in image the file names.
    /// </summary>
    private static Dictionary<BuildCommand, List<Target>> RenderedTargets(DeploymentModel model)
    {
        var result = new Dictionary<BuildCommand, List<Target>>(ReferenceEqualityComparer.Instance);
        var renders = model.TaskDefinitionRenders.Where(r => r.ImageStep != null).ToList();
        if (renders.Count == 0) return result;
        var arch = model.Architectures;
        foreach (var td in model.TaskDefinitions)
        {
            var fact = arch.Of(td.Resource);
            foreach (var c in td.Containers)
                foreach (var r in renders)
                {
                    if (!r.Covers(c.Node.Span.File, c.Name)) continue;
                    var step = r.ImageStep!.Value;
                    foreach (var b in model.Builds)
                    {
                        if (b.Span.File != step.File || b.Span.StartLine < step.StartLine || b.Span.StartLine > step.EndLine) continue;
                        if (!result.TryGetValue(b, out var list)) result[b] = list = [];
                        list.Add(new Target(fact ?? Unknown(td.Resource), $"task definition {td.Family} (container {c.Name}, image set by {r.Describe()})", c.ImageNode?.Span ?? c.Node.Span));
                    }
                }
        }
        return result;
    }

    private static ArchitectureFact Unknown(Resource r) => new(ArchTargetKind.PodSelector, r.Name, CpuArch.Unknown, r.Anchor, "unknown", r);

    /// <summary>The one architecture every known target runs (cluster nodes and task definitions), when they agree and at least one is known.</summary>
    private static ArchitectureFact? DeploymentWide(DeploymentModel model)
    {
        var arch = model.Architectures;
        var known = arch.Nodes.Concat(arch.TaskDefinitions).Where(f => f.IsKnown).ToList();
        if (known.Count == 0) return null;
        if (arch.Nodes.Any(n => !n.IsKnown)) return null;
        var first = known[0];
        if (first.Arch is not (CpuArch.Amd64 or CpuArch.Arm64) || known.Any(f => f.Arch != first.Arch)) return null;
        return known.Count == 1 ? first : first with { Why = $"{first.Why}; all {known.Count} scanned node groups and task definitions agree" };
    }

    /// <summary>The image goes to Amazon ECR: an ECR host, a variable named like one ($ECR_REGISTRY), or an aws_ecr_repository of that name.</summary>
    private static bool PushesToEcr(BuildCommand build, DeploymentModel model)
    {
        var ecrNames = model.OfKind("aws_ecr_repository").Select(r => r.Body.GetString("name")).OfType<string>().Select(n => n.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return build.ResolvedTags.Concat(build.Tags).Any(t => t.Contains(".dkr.ecr.", StringComparison.Ordinal) || t.Contains("ECR", StringComparison.Ordinal) || t.Contains("ecr_", StringComparison.OrdinalIgnoreCase)
            || (ecrNames.Count > 0 && BuildCommands.RepositoryName(t) is { } repo && ecrNames.Any(n => n == repo || n.EndsWith("/" + repo, StringComparison.Ordinal))));
    }
}
