using Groundcrew.Core;
using Groundcrew.Load.AppCode;
using Groundcrew.Model;
using Groundcrew.Rules.Values;

namespace Groundcrew.Rules.App;

/// <summary>
/// A variable the app needs (it reads it without a default, or fails without it) that its container does not get:
/// not in env, not in envFrom of a ConfigMap/Secret with known keys, not in ECS environment/secrets, not set by
/// the Dockerfile's ENV, and not one the platform sets. Anything unknowable (envFrom of an object we did not scan,
/// ECS environmentFiles, an env-injecting webhook) silences the container.
/// </summary>
public sealed class RequiredEnvMissing : Rule
{
    public override string Title => "App reads a required variable its container does not get";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "CrashLoopBackOff: the app exits at start (e.g. `MongooseError: The `uri` parameter to `openUri()` must be a string, got \"undefined\"`, `Config validation error: \"DATABASE_URL\" is required`)";
    public override string Fix => "Add the variable to the container's env (value, secretKeyRef or configMapKeyRef), or give the app a default.";
    public override IReadOnlyList<string> Incidents => ["A12"];

    private sealed record NotRuntime(HashSet<string> Names, List<string> Prefixes);

    private static readonly Lazy<NotRuntime> Skip = new(() =>
    {
        var y = DataFiles.ReadYaml("app/env-not-required-at-runtime.yaml");
        var names = (y.GetSeq("names")?.Maps ?? []).Select(m => m.GetString("name")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var prefixes = (y.GetSeq("prefixes")?.Maps ?? []).Select(m => m.GetString("prefix")).OfType<string>().ToList();
        prefixes.AddRange(BrowserEnv.Prefixes); // inlined into the bundle at build time
        return new NotRuntime(names, prefixes);
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (model.Apps.Count == 0 && context.Config.AppFolders.Count == 0) yield break;
        var tied = new List<(AppTie Tie, Container Container, HashSet<string> Provided, string Platform, string Owner)>();
        var untied = new List<(Container Container, HashSet<string> Provided, string Platform, string Owner)>();
        foreach (var w in model.Workloads)
        {
            if (InjectsEnv(w)) continue;
            foreach (var c in w.Containers)
            {
                if (c.IsInit) continue;
                if (KubernetesEnv(model, w.Resource, c) is not { } provided) continue;
                var owner = $"{w.Resource.Kind} {w.Resource.Namespace}/{w.Resource.Name}";
                if (AppTies.Find(model, context.Config, c) is { } tie) tied.Add((tie, c, provided, "eks", owner));
                else untied.Add((c, provided, "eks", owner));
            }
        }
        foreach (var td in model.TaskDefinitions)
            foreach (var c in td.Containers)
            {
                if (EcsEnv(c) is not { } provided) continue;
                if (AppTies.Find(model, context.Config, c) is { } tie) tied.Add((tie, c, provided, "ecs", $"task definition {td.Family}"));
                else untied.Add((c, provided, "ecs", $"task definition {td.Family}"));
            }
        tied.AddRange(EnvContractTies(model, tied.Select(t => t.Tie.App).ToHashSet(), untied));
        // What any container of the same app gets elsewhere (another environment, overlay or file): the evidence
        // that turns a plain read (Inferred) into a finding.
        var elsewhere = new Dictionary<AppFolder, HashSet<string>>();
        foreach (var t in tied)
        {
            if (!elsewhere.TryGetValue(t.Tie.App, out var set)) elsewhere[t.Tie.App] = set = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(t.Provided);
        }
        var needs = new Dictionary<AppFolder, List<EnvNeed>>(); // one scan and one combine per app, however many containers run it
        foreach (var t in tied)
        {
            if (!needs.TryGetValue(t.Tie.App, out var appNeeds)) needs[t.Tie.App] = appNeeds = t.Tie.App.Scan.Needs();
            foreach (var f in Missing(t.Tie, appNeeds, t.Container, t.Provided, elsewhere[t.Tie.App], t.Platform, t.Owner)) yield return f;
        }
    }

    private IEnumerable<Finding> Missing(AppTie tie, List<EnvNeed> needs, Container c, HashSet<string> provided, HashSet<string> providedElsewhere, string platform, string owner)
    {
        var dockerEnv = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in tie.App.Dockerfiles)
            if (doc.FinalStage is { } final)
                foreach (var kv in final.Env()) dockerEnv.Add(kv.Key);
        var upper = provided.Concat(dockerEnv).Select(n => n.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var skip = Skip.Value;
        var at = c.Node.Entry(platform == "ecs" ? "environment" : "env")?.Key ?? (Node?)(c.Node["name"] as ScalarNode) ?? c.Node;

        foreach (var need in needs)
        {
            if (!need.Required) continue;
            if (need.Reads.All(r => r.Language == AppLanguages.DotEnv)) continue; // an example file alone is not proof the app reads it
            if (need.Reads.Any(r => r.ConfigKey != null)) continue; // .NET configuration: appsettings*.json may provide it
            var name = need.Name;
            if (skip.Names.Contains(name) || skip.Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) continue;
            if (provided.Contains(name) || dockerEnv.Contains(name)) continue;
            if (need.CaseInsensitive && upper.Contains(name.ToUpperInvariant())) continue;
            if (PlatformEnv.Find(name, platform) != null) continue; // conditional entries count as provided: no alarm on a maybe

            var anchor = need.Anchor;
            var inferred = need.Certainty == EnvCertainty.Inferred;
            // A plain read proves little (it may sit in an optional feature's branch): report it only when another
            // container of the same app is given the variable, i.e. this one looks like an environment that forgot it.
            if (inferred && !providedElsewhere.Contains(name)) continue;
            var message = $"{tie.App.DisplayPath}/ reads {name} ({anchor.Evidence}) at {anchor.Span.File}:{anchor.Span.StartLine}, " +
                          $"but container '{c.Name}' of {owner} does not get it: it is not in the container's environment, " +
                          $"{(tie.App.Dockerfiles.Count > 0 ? "not set by ENV in the Dockerfile's final stage, " : "")}and the platform does not set it. " +
                          $"App tied by {tie.How}." + (inferred ? " The code reads it without a default but does not check it, and another container of this app gets it, so this is a warning." : "");
            message += tie.CertaintyNote;
            var f = At(at, message, related: [new RelatedLocation(anchor.Span, $"{name} is read here")]);
            yield return f with { Severity = tie.Cap(inferred ? Severity.Warning : f.Severity) };
        }
    }

    /// <summary>The variables an app checks for and fails without (explicitly required), minus those nobody must set.</summary>
    private static List<EnvNeed> Demands(List<EnvNeed> needs, string platform)
    {
        var skip = Skip.Value;
        return needs.Where(n => n.Required && n.Certainty == EnvCertainty.Explicit && n.Reads.All(r => r.ConfigKey == null)
                                && n.Reads.Any(r => r.Language != AppLanguages.DotEnv)
                                && !skip.Names.Contains(n.Name) && !skip.Prefixes.Any(p => n.Name.StartsWith(p, StringComparison.Ordinal))
                                && PlatformEnv.Find(n.Name, platform) == null).ToList();
    }

    /// <summary>
    /// With no build or name tie, the env contract itself: an app folder that no container is tied to, whose explicitly
    /// required variables are given (at least two of them, and at least half) to the containers of exactly one image
    /// among the untied ones, runs in that image. Likely, not certain: its findings are warnings.
    /// </summary>
    private static IEnumerable<(AppTie, Container, HashSet<string>, string, string)> EnvContractTies(DeploymentModel model, HashSet<AppFolder> tiedApps,
        List<(Container Container, HashSet<string> Provided, string Platform, string Owner)> untied)
    {
        if (untied.Count == 0) yield break;
        var claims = new List<(AppFolder App, string Image, List<string> Matched, int Of)>();
        foreach (var app in model.Apps)
        {
            if (app.ContainsOtherApps || tiedApps.Contains(app)) continue;
            var byImage = new Dictionary<string, (List<string> Matched, int Of)>(StringComparer.Ordinal);
            foreach (var u in untied)
            {
                if (u.Container.Image is not { Length: > 0 } image) continue;
                var demands = Demands(app.Scan.Needs(), u.Platform);
                if (demands.Count < 2) break;
                var matched = demands.Where(d => u.Provided.Contains(d.Name)).Select(d => d.Name).ToList();
                if (matched.Count >= 2 && matched.Count * 2 >= demands.Count && !byImage.ContainsKey(image)) byImage[image] = (matched, demands.Count);
            }
            if (byImage.Count == 1) claims.Add((app, byImage.Keys.First(), byImage.Values.First().Matched, byImage.Values.First().Of));
        }
        foreach (var claim in claims)
        {
            if (claims.Count(c => c.Image == claim.Image) != 1) continue; // two apps fit the same image: neither is known
            var shown = string.Join(", ", claim.Matched.Take(5)) + (claim.Matched.Count > 5 ? ", ..." : "");
            var tie = new AppTie(claim.App, AppTies.RepositoryName(claim.Image) ?? claim.Image,
                $"its env contract: no build or name ties image `{claim.Image}` to an app, but it is the only image given {claim.Matched.Count} of the {claim.Of} variables {claim.App.DisplayPath}/ requires ({shown})",
                TieCertainty.Likely);
            foreach (var u in untied.Where(u => u.Container.Image == claim.Image))
                yield return (tie, u.Container, u.Provided, u.Platform, u.Owner);
        }
    }

    /// <summary>Names the container gets; null when some source's keys cannot be known.</summary>
    private static HashSet<string>? KubernetesEnv(DeploymentModel model, Resource owner, Container c)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (c.Node["env"] is SeqNode env)
            foreach (var e in env.Maps)
                if (e.GetString("name") is { } n) names.Add(n);
        if (c.Node["envFrom"] is SeqNode envFrom)
            foreach (var e in envFrom.Maps)
            {
                var prefix = e.GetString("prefix") ?? "";
                var (kind, refNode) = e.GetMap("configMapRef") is { } cm ? ("ConfigMap", cm) : e.GetMap("secretRef") is { } s ? ("Secret", s) : ("", null);
                if (refNode?.GetString("name") is not { Length: > 0 } refName) return null;
                var provider = model.FindKeyProvider(kind, owner.Namespace, refName);
                if (provider?.Keys == null) return null;
                foreach (var k in provider.Keys) names.Add(prefix + k);
            }
        else if (c.Node["envFrom"] != null) return null;
        return names;
    }

    private static HashSet<string>? EcsEnv(Container c)
    {
        if (c.Node["environmentFiles"] is SeqNode { Items.Count: > 0 }) return null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in new[] { "environment", "secrets" })
            if (c.Node[key] is SeqNode seq)
                foreach (var e in seq.Maps)
                    if (e.GetString("name") is { } n) names.Add(n);
                    else return null;
            else if (c.Node[key] != null) return null; // templated or odd shape: unknown
        return names;
    }

    /// <summary>Admission webhooks that add env vars to the pod (Vault agent env injection, Doppler, Infisical, Akeyless...): what the container gets is unknown.</summary>
    private static bool InjectsEnv(Workload w) =>
        w.TemplateAnnotations.Keys.Concat(w.Resource.Annotations.Keys)
            .Any(k => k.Contains("inject", StringComparison.OrdinalIgnoreCase) && !MeshSidecarKeys.Contains(k));

    // Service-mesh sidecar injection adds a proxy container, not env vars to the app's container.
    private static readonly HashSet<string> MeshSidecarKeys = new(StringComparer.Ordinal)
    {
        "sidecar.istio.io/inject", "linkerd.io/inject", "kuma.io/sidecar-injection", "appmesh.k8s.aws/sidecarInjectorWebhook",
    };
}
