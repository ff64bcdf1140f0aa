using System.Text.RegularExpressions;
using Groundcrew.Core;

namespace Groundcrew.Load.Builds;

/// <summary>
/// A GitHub Actions step `uses: aws-actions/amazon-ecs-render-task-definition` that rewrites a task definition file of
/// this repository before it is deployed: it inserts <see cref="Image"/> as the image of the named containers (and,
/// when given, their environment variables, secrets and command, and the task's role ARNs). What the file says at
/// those places is a stand-in, not what is deployed.
/// Source: https://github.com/aws-actions/amazon-ecs-render-task-definition (action.yml inputs).
/// </summary>
public sealed record TaskDefinitionRender
{
    /// <summary>The step's `uses:` line.</summary>
    public required SourceSpan Span { get; init; }
    /// <summary>The task definition file, as a display path (relative to the scan root, '/' separators).</summary>
    public required string TaskDefinitionFile { get; init; }
    /// <summary>The containers whose image is replaced; null when `container-name` is an expression we cannot resolve (any container may be).</summary>
    public IReadOnlyList<string>? Containers { get; init; }
    /// <summary>The `image:` input as written (`${{ steps.build.outputs.image }}`).</summary>
    public required string Image { get; init; }
    /// <summary>
    /// When the image is an output of an earlier step of the same job (`${{ steps.build.outputs.image }}`): that step's lines
    /// (StartLine..EndLine of the workflow), so the builds it runs can be tied to the rendered containers.
    /// </summary>
    public SourceSpan? ImageStep { get; init; }
    /// <summary>Names set by `environment-variables:` (KEY=value lines): these entries are added or overwritten.</summary>
    public IReadOnlySet<string> EnvironmentNames { get; init; } = new HashSet<string>();
    /// <summary>Names set by `secrets:` (KEY=valueFrom lines).</summary>
    public IReadOnlySet<string> SecretNames { get; init; } = new HashSet<string>();
    /// <summary>`command:` replaces the container's command.</summary>
    public bool ReplacesCommand { get; init; }
    public bool ReplacesTaskRoleArn { get; init; }
    public bool ReplacesExecutionRoleArn { get; init; }

    /// <summary>This step rewrites container <paramref name="container"/> of the task definition in <paramref name="file"/>.</summary>
    public bool Covers(string file, string container) =>
        string.Equals(file, TaskDefinitionFile, StringComparison.Ordinal) && (Containers == null || Containers.Contains(container, StringComparer.Ordinal));

    /// <summary>"the amazon-ecs-render-task-definition step at .github/workflows/deploy.yml:42".</summary>
    public string Describe() => $"the amazon-ecs-render-task-definition step at {Span.File}:{Span.StartLine}";
}

/// <summary>
/// A GitHub Actions step `uses: aws-actions/amazon-ecs-deploy-task-definition` that registers a task definition file of
/// this repository (as written, or as an earlier render step rewrote it) and updates ECS service <see cref="Service"/> to it.
/// Source: https://github.com/aws-actions/amazon-ecs-deploy-task-definition (action.yml inputs task-definition, service).
/// </summary>
public sealed record TaskDefinitionDeploy(SourceSpan Span, string TaskDefinitionFile, string Service);

/// <summary>
/// Reads amazon-ecs-render-task-definition steps from GitHub workflows. The `task-definition:` path is relative to the
/// repository root (the folder holding .github/workflows); `${{ env.X }}` is resolved from the step, job and workflow
/// env, and `${{ steps.ID.outputs.task-definition }}` (a chain of render steps, one per container) to the file that
/// step ID rendered.
/// </summary>
public static partial class TaskDefinitionRenders
{
    private const string Action = "aws-actions/amazon-ecs-render-task-definition";
    private const string DeployAction = "aws-actions/amazon-ecs-deploy-task-definition";

    [GeneratedRegex(@"^\$\{\{\s*env\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$")]
    private static partial Regex EnvExpression();
    [GeneratedRegex(@"^\$\{\{\s*steps\.(?<id>[A-Za-z_][A-Za-z0-9_-]*)\.outputs\.task-definition\s*\}\}$")]
    private static partial Regex StepOutput();
    [GeneratedRegex(@"^\$\{\{\s*steps\.(?<id>[A-Za-z_][A-Za-z0-9_-]*)\.outputs\.[A-Za-z0-9_-]+\s*\}\}$")]
    private static partial Regex AnyStepOutput();

    public static bool IsGitHubWorkflow(string display)
    {
        var p = display.Replace('\\', '/');
        return (p.StartsWith(".github/workflows/", StringComparison.Ordinal) || p.Contains("/.github/workflows/", StringComparison.Ordinal))
               && (p.EndsWith(".yml", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal));
    }

    /// <summary>The render steps of one workflow document (display path, parsed root). Never throws on odd shapes.</summary>
    public static IReadOnlyList<TaskDefinitionRender> Parse(string display, Node root)
    {
        var result = new List<TaskDefinitionRender>();
        Walk(display, root, result, []);
        return result;
    }

    /// <summary>The amazon-ecs-deploy-task-definition steps of one workflow whose task definition file and service name are known.</summary>
    public static IReadOnlyList<TaskDefinitionDeploy> ParseDeploys(string display, Node root)
    {
        var result = new List<TaskDefinitionDeploy>();
        Walk(display, root, [], result);
        return result;
    }

    private static void Walk(string display, Node root, List<TaskDefinitionRender> result, List<TaskDefinitionDeploy> deploys)
    {
        if (root is not MapNode workflow || !IsGitHubWorkflow(display)) return;
        var path = display.Replace('\\', '/');
        var at = path.IndexOf(".github/workflows/", StringComparison.Ordinal);
        var repoRoot = path[..at]; // "" or "services/api/" (ends with '/')
        foreach (var job in workflow.GetMap("jobs")?.Entries ?? [])
        {
            if (job.Value is not MapNode j) continue;
            var renderedById = new Dictionary<string, string>(StringComparer.Ordinal);
            var steps = j.GetSeq("steps")?.Maps.ToList() ?? [];
            // Each step with an id: its lines, up to the line before the next step (the last step of a job has no known end).
            var stepLines = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < steps.Count; i++)
                if (steps[i].GetString("id") is { } sid && steps[i].Span.StartLine > 0 && steps[i + 1].Span.StartLine > steps[i].Span.StartLine)
                    stepLines.TryAdd(sid, new SourceSpan(display, steps[i].Span.StartLine, 1, steps[i + 1].Span.StartLine - 1));
            foreach (var step in steps)
            {
                var uses = step.GetString("uses");
                if (uses != null && uses.StartsWith(DeployAction, StringComparison.OrdinalIgnoreCase) && (uses.Length == DeployAction.Length || uses[DeployAction.Length] == '@')
                    && step.GetMap("with") is { } deployWith && deployWith.GetString("service") is { Length: > 0 } service && !service.Contains('$')
                    && deployWith.GetString("task-definition")?.Trim() is { Length: > 0 } deployed)
                {
                    var tdFile = StepOutput().Match(deployed) is { Success: true } ch ? renderedById.GetValueOrDefault(ch.Groups["id"].Value)
                        : deployed.Contains('$') ? null : Join(repoRoot, deployed);
                    if (tdFile != null) deploys.Add(new TaskDefinitionDeploy(new SourceSpan(display, step.Span.StartLine, 1), tdFile, service.Trim()));
                    continue;
                }
                if (uses == null || !uses.StartsWith(Action, StringComparison.OrdinalIgnoreCase)) continue;
                if (uses.Length > Action.Length && uses[Action.Length] != '@') continue;
                if (step.GetMap("with") is not { } with) continue;
                string? Input(string key)
                {
                    var raw = with[key] is ScalarNode { Value: { } v } ? v.Trim() : null;
                    if (raw == null || raw.Length == 0) return null;
                    if (EnvExpression().Match(raw) is { Success: true } m)
                        return EnvValue(m.Groups["name"].Value, step, j, workflow);
                    return raw;
                }
                var file = Input("task-definition");
                if (file == null || Input("image") is not { } image) continue;
                if (StepOutput().Match(file) is { Success: true } chained)
                {
                    if (!renderedById.TryGetValue(chained.Groups["id"].Value, out var earlier)) continue;
                    file = earlier;
                }
                else if (file.Contains("${{", StringComparison.Ordinal) || file.Contains('$')) continue; // not resolvable: tie to no file
                else file = Join(repoRoot, file);
                if (file == null) continue;
                if (step.GetString("id") is { } id) renderedById[id] = file;

                var containerInput = Input("container-name");
                IReadOnlyList<string>? containers = containerInput == null ? [] // required input: missing renders nothing
                    : containerInput.Contains("${{", StringComparison.Ordinal) ? null
                    : containerInput.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (containers is { Count: 0 }) continue;
                var key = step.Entry("uses")!.Value.KeySpan;
                result.Add(new TaskDefinitionRender
                {
                    Span = new SourceSpan(display, key.StartLine, key.StartColumn), TaskDefinitionFile = file, Containers = containers, Image = image,
                    ImageStep = AnyStepOutput().Match(image) is { Success: true } o && stepLines.TryGetValue(o.Groups["id"].Value, out var lines) ? lines : null,
                    EnvironmentNames = Names(with["environment-variables"]), SecretNames = Names(with["secrets"]),
                    ReplacesCommand = Input("command") != null, ReplacesTaskRoleArn = Input("task-role-arn") != null, ReplacesExecutionRoleArn = Input("execution-role-arn") != null,
                });
            }
        }
    }

    /// <summary>${{ env.NAME }} from the step, then the job, then the workflow env; null when unset or itself an expression.</summary>
    private static string? EnvValue(string name, MapNode step, MapNode job, MapNode workflow)
    {
        foreach (var scope in new[] { step, job, workflow })
            if (scope.GetMap("env")?[name] is ScalarNode { Value: { } v })
                return v.Contains("${{", StringComparison.Ordinal) ? "${{ env." + name + " }}" : v.Trim();
        return null;
    }

    /// <summary>KEY=value lines (multi-line YAML string) -> the KEYs.</summary>
    private static HashSet<string> Names(Node? node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (node is not ScalarNode { Value: { } text }) return names;
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0) names.Add(line[..eq].Trim());
        }
        return names;
    }

    /// <summary>repoRoot + a workspace-relative path, with ./ and ../ folded; null when it leaves the repository or is absolute.</summary>
    private static string? Join(string repoRoot, string relative)
    {
        var rel = relative.Replace('\\', '/');
        if (rel.StartsWith('/') || rel.Contains(':')) return null;
        var parts = new List<string>();
        foreach (var part in (repoRoot + rel).Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }
}
