using Groundcrew.Core;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;

namespace Groundcrew.Rules.Live;

/// <summary>
/// D2: a resource exists in the account, its name claims it for the stack the repository's state describes, but
/// that state (a `pulumi stack export`, or `terraform show -json` of a state) holds no resource of its type with its
/// id, ARN, name or URL. The next `pulumi up` / `terraform apply` tries to create it and fails with "already
/// exists". The fix is the exact import command. A name claims a resource when it starts with the stack's prefix:
/// the Pulumi project (from the URNs), or for Terraform the prefix every named resource of the state shares.
/// Silent without a state in the scan, and for each kind the inventory could not collect.
/// </summary>
public sealed class LiveResourceNotInState : Rule
{
    public override string Title => "A resource the stack's names claim exists in the account but not in the stack's state";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "`Resource already exists but not in Pulumi state` / `error creating ...: EntityAlreadyExists` / `ResourceAlreadyExistsException`: the deploy stops half-way, and people finish it by hand";
    public override string Fix => "Import the resource into the state (the exact `pulumi import` / `terraform import` command is in the finding), or delete it if it is a leftover.";
    public override IReadOnlyList<string> Incidents => ["D2"];

    /// <summary>One live resource as the state would hold it: its type in each tool, the import id, and every identifier a state may record for it.</summary>
    private sealed record LiveResource(string What, string PulumiType, string TerraformType, string Name, string ImportId, IReadOnlyList<string> Ids,
        IReadOnlyDictionary<string, string>? Tags = null);

    /// <summary>One state in the scan: its file, the name prefix it claims, the identifiers it holds per type, and where findings point.</summary>
    private sealed record StackState(string Tool, string File, string Prefix, Dictionary<string, HashSet<string>> IdsByType, Node Anchor,
        IReadOnlyDictionary<string, string> TieTags);

    /// <summary>The tag CloudFormation puts on every resource of a stack: such a resource is CloudFormation's, not this state's.</summary>
    private const string CloudFormationStack = "aws:cloudformation:stack-name";

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws)) yield break;
        var states = PulumiStates(context.Model).Concat(TerraformStates(context.Model)).ToList();
        if (states.Count == 0) yield break;
        var live = LiveResources(snapshot, aws).ToList();
        foreach (var state in states)
            foreach (var resource in live)
            {
                var byName = Claims(state.Prefix, resource.Name);
                var (byTags, against) = TagEvidence(state, resource);
                if (against != null || !(byName || byTags != null)) continue;
                var type = state.Tool == "Pulumi" ? resource.PulumiType : resource.TerraformType;
                if (state.IdsByType.TryGetValue(type, out var held) && resource.Ids.Any(held.Contains)) continue;
                var logical = LogicalName(state.Prefix, resource.Name);
                var command = state.Tool == "Pulumi"
                    ? $"pulumi import {type} {logical} {resource.ImportId}"
                    : $"terraform import {type}.{logical.Replace('-', '_').Replace('/', '_').Replace('.', '_')} {resource.ImportId}";
                yield return At(state.Anchor,
                    $"{resource.What} `{resource.Name}` exists in the account {LiveFacts.Observed(snapshot)} and " +
                    (byName && byTags != null ? $"its name and its tags ({byTags}) claim it for `{state.Prefix}`, "
                        : byName ? $"its name claims it for `{state.Prefix}`{(resource.Tags == null ? " (it has no tags to confirm it)" : "")}, "
                        : $"its tags ({byTags}) claim it for `{state.Prefix}`, ") +
                    $"but the {state.Tool} state in `{state.File}` holds no {type} with its id: the next " +
                    $"{(state.Tool == "Pulumi" ? "`pulumi up`" : "`terraform apply`")} tries to create it again and fails with \"already exists\".",
                    $"Import it: `{command}` (then keep the resource's arguments in the code as the import prints them), or delete it if it is a leftover of an abandoned deploy.");
            }
    }

    /// <summary>
    /// What the resource's tags say about the state: the tags that tie it (every tag the state's own resources all
    /// carry, as Terraform's default_tags or a Pulumi tagging transform put them, and Pulumi's `pulumi:project`),
    /// or the tag that ties it elsewhere (another value for one of those keys, or CloudFormation's stack tag), which
    /// outweighs the name.
    /// </summary>
    private static (string? For, string? Against) TagEvidence(StackState state, LiveResource resource)
    {
        if (resource.Tags is not { Count: > 0 } tags) return (null, null);
        if (tags.TryGetValue(CloudFormationStack, out var cfn)) return (null, $"{CloudFormationStack}={cfn}");
        var wanted = new Dictionary<string, string>(state.TieTags, StringComparer.Ordinal);
        if (state.Tool == "Pulumi") wanted.TryAdd("pulumi:project", state.Prefix);
        var matched = new List<string>();
        foreach (var (key, value) in wanted)
        {
            if (!tags.TryGetValue(key, out var has)) continue;
            if (!string.Equals(has, value, StringComparison.OrdinalIgnoreCase)) return (null, $"{key}={has}");
            matched.Add($"{key}={has}");
        }
        // Pulumi's project tag alone ties it; otherwise every tag the state's resources share must be there.
        var tied = matched.Count > 0 && (state.TieTags.Keys.All(tags.ContainsKey) || (state.Tool == "Pulumi" && tags.ContainsKey("pulumi:project")));
        return (tied ? string.Join(", ", matched) : null, null);
    }

    /// <summary>The tags every tagged resource of a state carries with the same value (none when fewer than two are tagged).</summary>
    private static Dictionary<string, string> SharedTags(IEnumerable<MapNode?> tagMaps)
    {
        var maps = tagMaps.OfType<MapNode>().Where(m => m.Entries.Count > 0).ToList();
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        if (maps.Count < 2) return shared;
        foreach (var e in maps[0].Entries)
            if (e.Value is ScalarNode { Value: { } v } && maps.All(m => m.GetString(e.Name) == v)) shared[e.Name] = v;
        return shared;
    }

    private static bool Claims(string prefix, string name) =>
        name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name[prefix.Length] is '-' or '_' or '/' or '.';

    /// <summary>The name without the stack's prefix, as a logical name for the import ("agentic-aws-stage3v3-task-execution-role" -> "task-execution-role").</summary>
    private static string LogicalName(string prefix, string name)
    {
        if (!Claims(prefix, name)) return name; // tied by its tags only
        var rest = name[prefix.Length..].TrimStart('-', '_', '/', '.');
        return rest.Length > 0 ? rest : name;
    }

    private static IEnumerable<StackState> PulumiStates(DeploymentModel model)
    {
        // Only a stack export is the whole state; a preview lists what changes.
        var exported = model.Resources.Where(r => r.PulumiState is { Parent: SeqNode { KeyInParent: "resources", Parent: MapNode { KeyInParent: "deployment" } } });
        foreach (var file in exported.GroupBy(r => r.File))
        {
            var states = file.Select(r => r.PulumiState!).ToList();
            // urn:pulumi:STACK::PROJECT::TYPE::NAME
            var project = states.Select(s => s.GetString("urn")!.Split("::")).Where(p => p.Length >= 4).Select(p => p[1]).FirstOrDefault();
            if (project is not { Length: >= 3 }) continue;
            var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var s in states)
            {
                var outputs = s.GetMap("outputs");
                Add(ids, s.GetString("type")!, s.GetString("id"), outputs?.GetString("arn"), outputs?.GetString("name"), outputs?.GetString("url"), outputs?.GetString("repositoryUrl"));
            }
            var stack = states.FirstOrDefault(s => s.GetString("type") == "pulumi:pulumi:Stack") ?? states[0];
            var tags = SharedTags(states.Select(s => s.GetMap("outputs") is { } o ? o.GetMap("tagsAll") ?? o.GetMap("tags") : null));
            yield return new StackState("Pulumi", file.Key, project, ids, stack["urn"] ?? stack, tags);
        }
    }

    private static IEnumerable<StackState> TerraformStates(DeploymentModel model)
    {
        // Resources read from `terraform show -json` with a known id: what the state holds (a plan's resources to create have none yet).
        var stated = model.Resources.Where(r => r.Plan != null && r.Address != null && !r.Address.StartsWith("data.", StringComparison.Ordinal)
                                                && !r.Address.Contains(".data.", StringComparison.Ordinal) && r.Body.GetString("id") is { Length: > 0 });
        foreach (var file in stated.GroupBy(r => r.Plan!))
        {
            var names = file.Select(r => r.Body.GetString("name")).OfType<string>().Where(n => n.Length > 0).ToList();
            var tags = SharedTags(file.Select(r => r.Body.GetMap("tags_all") ?? r.Body.GetMap("tags")));
            if (names.Count < 2 || CommonPrefix(names) is not { Length: >= 3 } prefix)
            {
                if (tags.Count == 0) continue;
                prefix = names.Count > 0 ? names[0] : file.Key; // tags alone tie resources to it; the name only labels it
            }
            var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var r in file)
                Add(ids, TerraformType(r), r.Body.GetString("id"), r.Body.GetString("arn"), r.Body.GetString("name"), r.Body.GetString("url"), r.Body.GetString("repository_url"));
            yield return new StackState("Terraform", file.Key, prefix, ids, file.First().Body, tags);
        }
    }

    // An aws_ecs_task_definition from a plan is an ECS task definition resource; its Terraform type is not its Kind.
    private static string TerraformType(Resource r) => r.Family == ResourceFamily.EcsTaskDefinition ? "aws_ecs_task_definition" : r.Kind;

    /// <summary>The prefix all names share, cut back to its last separator ("hokusai-api", "hokusai-auth" -> "hokusai"); null when they share none.</summary>
    private static string? CommonPrefix(IReadOnlyList<string> names)
    {
        var prefix = names[0];
        foreach (var n in names.Skip(1))
        {
            var i = 0;
            while (i < prefix.Length && i < n.Length && char.ToLowerInvariant(prefix[i]) == char.ToLowerInvariant(n[i])) i++;
            prefix = prefix[..i];
        }
        var cut = prefix.LastIndexOfAny(['-', '_', '/', '.']);
        return cut > 0 ? prefix[..cut] : null;
    }

    private static void Add(Dictionary<string, HashSet<string>> ids, string type, params string?[] values)
    {
        if (!ids.TryGetValue(type, out var set)) ids[type] = set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values) if (v is { Length: > 0 }) set.Add(v);
    }

    /// <summary>
    /// The tags the snapshot's Resource Groups Tagging API answer holds for a resource by (the end of) its ARN; null when
    /// that answer was not collected or the resource has no tags (then only its name can claim it, as before).
    /// </summary>
    private static IReadOnlyDictionary<string, string>? Tags(Snapshot s, AwsFacts aws, string arnOrSuffix) =>
        s.Knows("tagging.resources") ? aws.TagsEndingIn(arnOrSuffix) : null;

    /// <summary>The account's resources that a stack creates and that can be imported, each with every identifier a state records for it.</summary>
    private static IEnumerable<LiveResource> LiveResources(Snapshot s, AwsFacts aws)
    {
        if (s.Knows("iam.roles"))
            foreach (var r in aws.Roles.Where(r => !r.Arn.Contains(":role/aws-service-role/", StringComparison.Ordinal)))
                yield return new("IAM role", "aws:iam/role:Role", "aws_iam_role", r.Name, r.Name, [r.Name, r.Arn], r.Tags);
        if (s.Knows("secretsmanager.secrets"))
            foreach (var x in aws.Secrets)
                yield return new("Secrets Manager secret", "aws:secretsmanager/secret:Secret", "aws_secretsmanager_secret", x.Name, x.Arn, [x.Arn, x.Name], x.Tags);
        if (s.Knows("ecr.repositories"))
            foreach (var r in aws.EcrRepositories)
                yield return new("ECR repository", "aws:ecr/repository:Repository", "aws_ecr_repository", r.Name, r.Name, [r.Name, r.Uri], Tags(s, aws, $":repository/{r.Name}"));
        if (s.Knows("ecs.clusters"))
            foreach (var c in aws.EcsClusters)
            {
                yield return new("ECS cluster", "aws:ecs/cluster:Cluster", "aws_ecs_cluster", c.Name, c.Name, [c.Name, c.Arn]);
                if (s.NotCollected.Any(n => n.Part == $"ecs.services:{c.Name}")) continue;
                foreach (var svc in c.Services)
                    yield return new("ECS service", "aws:ecs/service:Service", "aws_ecs_service", svc.Name, $"{c.Name}/{svc.Name}",
                        [svc.Name, $"{c.Name}/{svc.Name}", $"{c.Arn.Replace(":cluster/", ":service/")}/{svc.Name}"], Tags(s, aws, $"{c.Arn.Replace(":cluster/", ":service/")}/{svc.Name}"));
            }
        if (s.Knows("sqs.queues"))
            foreach (var q in aws.Queues)
                yield return new("SQS queue", "aws:sqs/queue:Queue", "aws_sqs_queue", q.Name, q.Url, [q.Url, q.Name, .. q.Arn is { } a ? [a] : Array.Empty<string>()],
                    q.Arn is { } qa ? Tags(s, aws, qa) : null);
        if (s.Knows("events.rules"))
            foreach (var r in aws.EventRules)
                yield return new("EventBridge rule", "aws:cloudwatch/eventRule:EventRule", "aws_cloudwatch_event_rule", r.Name, r.Name, [r.Name, r.Arn]);
        if (s.Knows("elbv2.loadBalancers"))
            foreach (var lb in aws.LoadBalancers)
                if (lb.P("name").Str() is { } name && lb.P("arn").Str() is { } arn)
                    yield return new("Load balancer", "aws:lb/loadBalancer:LoadBalancer", "aws_lb", name, arn, [arn, name], Tags(s, aws, arn));
        if (s.Knows("elbv2.targetGroups"))
            foreach (var tg in aws.TargetGroups)
                if (tg.P("name").Str() is { } name && tg.P("arn").Str() is { } arn)
                    yield return new("Target group", "aws:lb/targetGroup:TargetGroup", "aws_lb_target_group", name, arn, [arn, name], Tags(s, aws, arn));
        if (s.Knows("ec2.securityGroups"))
            foreach (var g in aws.SecurityGroups)
                if (g.P("groupName").Str() is { } name && name != "default" && g.P("groupId").Str() is { } id)
                    yield return new("Security group", "aws:ec2/securityGroup:SecurityGroup", "aws_security_group", name, id, [id, name], Tags(s, aws, $":security-group/{id}"));
    }
}
