using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Groundcrew.Live.Inventory;

/// <summary>
/// Collects the AWS side of a snapshot through the aws CLI, read-only, the parts in parallel. Each call that
/// fails is recorded as <see cref="NotCollected"/> under its part ("iam.roles", "ecr.images:REPO", ...) and the
/// rest goes on. Secret values are read only with <see cref="ReadSecretKeys"/> (to keep key names) or
/// <see cref="ReadSecretValues"/> (to flag placeholders), and never kept.
/// </summary>
public sealed class AwsInventoryCollector(AwsCli aws, Action<string>? progress = null)
{
    private readonly ConcurrentBag<NotCollected> _missing = new();

    public bool ReadSecretKeys { get; init; }
    public bool ReadSecretValues { get; init; }
    /// <summary>Registered revisions kept per task definition family, newest first.</summary>
    public int RevisionsPerFamily { get; init; } = 2;

    public IReadOnlyCollection<NotCollected> Missing => _missing;

    public async Task<(AwsFacts Facts, string? Account)> CollectAsync(CancellationToken ct = default)
    {
        var facts = new AwsFacts();
        var identity = await CallAsync("sts.identity", "sts", "get-caller-identity", []);
        var account = identity.P("Account").Str();
        await Task.WhenAll(
            Roles(facts), Oidc(facts), Secrets(facts), Ssm(facts), Ecr(facts), Network(facts),
            Ecs(facts), Eks(facts), Sqs(facts), Events(facts), LoadBalancers(facts), ResourceTags(facts));
        await Kms(facts); // only keys the secrets use, so after Secrets
        await Simulate(facts, account); // needs the task definitions, secrets, parameters and keys
        return (facts, account);
    }

    private async Task<JsonObject?> CallAsync(string part, string service, string operation, IReadOnlyList<string> args)
    {
        var call = await aws.CallAsync(service, operation, args);
        if (call.Ok) return call.Object;
        _missing.Add(new NotCollected(part, call.Error!.Kind.ToString(), call.Error.Describe(), call.CommandLine));
        return null;
    }

    private void Progress(string what) => progress?.Invoke(what);

    private static IEnumerable<JsonObject> Items(JsonNode? answer, string key) => answer.P(key).Objects();

    private async Task Roles(AwsFacts facts)
    {
        var details = await CallAsync("iam.roles", "iam", "get-account-authorization-details", ["--filter", "Role", "LocalManagedPolicy"]);
        if (details == null) return;
        var local = Items(details, "Policies").ToDictionary(p => p.P("Arn").Str()!, DefaultDocument);
        var awsManaged = new ConcurrentDictionary<string, JsonNode?>();
        foreach (var arn in Items(details, "RoleDetailList").SelectMany(r => Items(r, "AttachedManagedPolicies")).Select(p => p.P("PolicyArn").Str()!)
                     .Where(a => !local.ContainsKey(a)).Distinct())
            awsManaged[arn] = null;
        // AWS managed policies are not in the local list: their default version is read one by one.
        await Task.WhenAll(awsManaged.Keys.ToList().Select(async arn =>
        {
            var policy = await CallAsync($"iam.policy:{arn}", "iam", "get-policy", ["--policy-arn", arn]);
            if (policy.P("Policy").P("DefaultVersionId").Str() is not { } version) return;
            var doc = await CallAsync($"iam.policy:{arn}", "iam", "get-policy-version", ["--policy-arn", arn, "--version-id", version]);
            awsManaged[arn] = PolicyJson.Decode(doc.P("PolicyVersion").P("Document"));
        }));
        foreach (var r in Items(details, "RoleDetailList"))
        {
            var policies = Items(r, "RolePolicyList").Select(p => new NamedPolicy(p.P("PolicyName").Str()!, null, PolicyJson.Decode(p.P("PolicyDocument")))).ToList();
            foreach (var a in Items(r, "AttachedManagedPolicies"))
            {
                var arn = a.P("PolicyArn").Str()!;
                policies.Add(new NamedPolicy(a.P("PolicyName").Str()!, arn, local.TryGetValue(arn, out var d) ? d : awsManaged.GetValueOrDefault(arn)));
            }
            facts.Roles.Add(new IamRoleFact(r.P("RoleName").Str()!, r.P("Arn").Str()!, PolicyJson.Decode(r.P("AssumeRolePolicyDocument")), policies) { Tags = Tags(r) });
        }
        facts.Roles.Sort((a, b) => string.CompareOrdinal(a.Arn, b.Arn));
        Progress($"iam: {facts.Roles.Count} roles");
    }

    /// <summary>An answer's `Tags: [{Key, Value}]` as a map (IAM and Secrets Manager both return them so); null when it has none.</summary>
    private static Dictionary<string, string>? Tags(JsonObject resource)
    {
        var tags = Items(resource, "Tags").Where(t => t.P("Key").Str() != null).GroupBy(t => t.P("Key").Str()!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().P("Value").Str() ?? "", StringComparer.Ordinal);
        return tags.Count > 0 ? tags : null;
    }

    private static JsonNode? DefaultDocument(JsonObject policy) =>
        PolicyJson.Decode(Items(policy, "PolicyVersionList").FirstOrDefault(v => v.P("IsDefaultVersion").Bool() == true).P("Document"));

    private async Task Oidc(AwsFacts facts)
    {
        var list = await CallAsync("iam.oidcProviders", "iam", "list-open-id-connect-providers", []);
        facts.OidcProviders.AddRange(Items(list, "OpenIDConnectProviderList").Select(p => p.P("Arn").Str()!).Order(StringComparer.Ordinal));
    }

    private async Task Secrets(AwsFacts facts)
    {
        var list = await CallAsync("secretsmanager.secrets", "secretsmanager", "list-secrets", []);
        var secrets = Items(list, "SecretList").Select(s => new SecretFact(s.P("Name").Str()!, s.P("ARN").Str()!, s.P("KmsKeyId").Str(),
            ParseTime(s.P("LastChangedDate"))) { Tags = Tags(s) }).OrderBy(s => s.Arn, StringComparer.Ordinal).ToList();
        if (ReadSecretKeys || ReadSecretValues)
            await Task.WhenAll(secrets.Select(async s =>
            {
                var value = await CallAsync($"secretsmanager.value:{s.Name}", "secretsmanager", "get-secret-value", ["--secret-id", s.Arn]);
                if (value.P("SecretString").Str() is not { } text) return;
                var (keys, placeholders) = SecretValueReader.Read(text);
                if (ReadSecretKeys) s.KeyNames = keys;
                if (ReadSecretValues) s.Placeholders = placeholders;
            }));
        facts.Secrets.AddRange(secrets);
        Progress($"secretsmanager: {secrets.Count} secrets");
    }

    /// <summary>
    /// A time as the CLI prints it: epoch seconds (v1) or an ISO 8601 string (v2), kept in UTC as the earlier reader
    /// (which turned ISO strings into UTC times) wrote it; null when missing or unreadable.
    /// </summary>
    private static DateTimeOffset? ParseTime(JsonNode? t) =>
        t.Double() is { } seconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
        : t.Str() is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d.ToUniversalTime() : null;

    private async Task Ssm(AwsFacts facts)
    {
        var list = await CallAsync("ssm.parameters", "ssm", "describe-parameters", []);
        facts.SsmParameters.AddRange(Items(list, "Parameters").Select(p => p.P("Name").Str()!).Order(StringComparer.Ordinal));
    }

    private async Task Kms(AwsFacts facts)
    {
        var keys = facts.Secrets.Select(s => s.KmsKeyId).OfType<string>().Where(k => !k.Contains("alias/aws/")).Distinct().ToList();
        await Task.WhenAll(keys.Select(async key =>
        {
            var described = await CallAsync($"kms.key:{key}", "kms", "describe-key", ["--key-id", key]);
            var policy = await CallAsync($"kms.keyPolicy:{key}", "kms", "get-key-policy", ["--key-id", key, "--policy-name", "default"]);
            lock (facts.KmsKeys)
                facts.KmsKeys.Add(new KmsKeyFact(described.P("KeyMetadata").P("KeyId").Str() ?? key, described.P("KeyMetadata").P("Arn").Str(), PolicyJson.Decode(policy.P("Policy"))));
        }));
    }

    private async Task Ecr(AwsFacts facts)
    {
        var list = await CallAsync("ecr.repositories", "ecr", "describe-repositories", []);
        var repos = await Task.WhenAll(Items(list, "repositories").Select(async r =>
        {
            var name = r.P("repositoryName").Str()!;
            var images = await CallAsync($"ecr.images:{name}", "ecr", "describe-images", ["--repository-name", name]);
            var details = Items(images, "imageDetails").ToList();
            var platforms = details.Count == 0 ? new Dictionary<string, List<string>?>() : await Platforms(name, details);
            var facts = details.Select(d => new EcrImageFact(d.P("imageDigest").Str()!, d.P("imageTags").Strings().ToList(),
                platforms.GetValueOrDefault(d.P("imageDigest").Str()!))).ToList();
            return new EcrRepositoryFact(name, r.P("repositoryUri").Str()!, facts);
        }));
        facts.EcrRepositories.AddRange(repos.OrderBy(r => r.Name, StringComparer.Ordinal));
        Progress($"ecr: {repos.Length} repositories");
    }

    private const string ManifestTypes =
        "application/vnd.docker.distribution.manifest.list.v2+json application/vnd.oci.image.index.v1+json application/vnd.docker.distribution.manifest.v2+json application/vnd.oci.image.manifest.v1+json";

    /// <summary>Platforms of each image from its manifest: a manifest list names them; a single manifest does not (null: not known).</summary>
    private async Task<Dictionary<string, List<string>?>> Platforms(string repo, List<JsonObject> details)
    {
        var result = new Dictionary<string, List<string>?>();
        foreach (var chunk in details.Chunk(100)) // BatchGetImage takes up to 100 image ids
        {
            var ids = chunk.Select(d => $"imageDigest={d.P("imageDigest").Str()!}").ToList();
            var got = await CallAsync($"ecr.manifests:{repo}", "ecr", "batch-get-image",
                ["--repository-name", repo, "--accepted-media-types", .. ManifestTypes.Split(' '), "--image-ids", .. ids]);
            foreach (var image in Items(got, "images"))
            {
                var digest = image.P("imageId").P("imageDigest").Str();
                if (digest == null || PolicyJson.Decode(image.P("imageManifest")) is not JsonObject manifest) continue;
                result[digest] = manifest.P("manifests") is JsonArray list
                    ? list.Select(m => m.P("platform")).Where(p => p != null && p.P("os").Str() != "unknown")
                        .Select(p => $"{p.P("os").Str()}/{p.P("architecture").Str()}").Distinct().ToList()
                    : null;
            }
        }
        return result;
    }

    private async Task Network(AwsFacts facts)
    {
        var calls = await Task.WhenAll(
            CallAsync("ec2.vpcs", "ec2", "describe-vpcs", []),
            CallAsync("ec2.subnets", "ec2", "describe-subnets", []),
            CallAsync("ec2.routeTables", "ec2", "describe-route-tables", []),
            CallAsync("ec2.natGateways", "ec2", "describe-nat-gateways", []),
            CallAsync("ec2.internetGateways", "ec2", "describe-internet-gateways", []),
            CallAsync("ec2.vpcEndpoints", "ec2", "describe-vpc-endpoints", []),
            CallAsync("ec2.securityGroups", "ec2", "describe-security-groups", []));
        facts.Vpcs.AddRange(Items(calls[0], "Vpcs").Select(v => new JsonObject { ["vpcId"] = v.P("VpcId").Copy(), ["cidrBlock"] = v.P("CidrBlock").Copy() }));
        facts.Subnets.AddRange(Items(calls[1], "Subnets").Select(s => new SubnetFact(s.P("SubnetId").Str()!, s.P("VpcId").Str()!,
            s.P("MapPublicIpOnLaunch").Bool() ?? false, s.P("AvailabilityZone").Str())));
        facts.RouteTables.AddRange(Items(calls[2], "RouteTables").Select(t => new RouteTableFact(t.P("RouteTableId").Str()!, t.P("VpcId").Str()!,
            Items(t, "Associations").Any(a => a.P("Main").Bool() == true),
            Items(t, "Associations").Select(a => a.P("SubnetId").Str()).OfType<string>().ToList(),
            Items(t, "Routes").Select(r => new RouteFact(
                r.P("DestinationCidrBlock").Str() ?? r.P("DestinationIpv6CidrBlock").Str() ?? r.P("DestinationPrefixListId").Str() ?? "?",
                r.P("NatGatewayId").Str() ?? r.P("GatewayId").Str() ?? r.P("TransitGatewayId").Str() ?? r.P("VpcPeeringConnectionId").Str()
                    ?? r.P("NetworkInterfaceId").Str() ?? r.P("InstanceId").Str(),
                r.P("State").Str())).ToList())));
        facts.NatGateways.AddRange(Items(calls[3], "NatGateways").Where(n => n.P("State").Str() is not ("deleted" or "deleting" or "failed")).Select(n => n.P("NatGatewayId").Str()!));
        facts.InternetGateways.AddRange(Items(calls[4], "InternetGateways").Select(g => g.P("InternetGatewayId").Str()!));
        facts.VpcEndpoints.AddRange(Items(calls[5], "VpcEndpoints").Select(e => new VpcEndpointFact(e.P("VpcEndpointId").Str()!, e.P("ServiceName").Str()!,
            e.P("VpcEndpointType").Str() ?? "?", e.P("RouteTableIds").Strings().ToList(),
            e.P("SubnetIds").Strings().ToList())));
        facts.SecurityGroups.AddRange(Items(calls[6], "SecurityGroups").Select(g => new JsonObject { ["groupId"] = g.P("GroupId").Copy(), ["groupName"] = g.P("GroupName").Copy(), ["vpcId"] = g.P("VpcId").Copy() }));
        Progress($"ec2: {facts.Subnets.Count} subnets, {facts.RouteTables.Count} route tables");
    }

    private async Task Ecs(AwsFacts facts)
    {
        var clusters = await CallAsync("ecs.clusters", "ecs", "list-clusters", []);
        var clusterFacts = await Task.WhenAll(clusters.P("clusterArns").Strings().Select(async arn =>
        {
            var name = arn[(arn.LastIndexOf('/') + 1)..];
            var list = await CallAsync($"ecs.services:{name}", "ecs", "list-services", ["--cluster", arn]);
            var serviceArns = list.P("serviceArns").Strings().ToList();
            var described = await Task.WhenAll(serviceArns.Chunk(10).Select(chunk =>
                CallAsync($"ecs.services:{name}", "ecs", "describe-services", ["--cluster", arn, "--services", .. chunk])));
            var services = described.SelectMany(d => Items(d, "services")).Select(s =>
            {
                var vpc = s.P("networkConfiguration").P("awsvpcConfiguration");
                return new EcsServiceFact(s.P("serviceName").Str()!, s.P("taskDefinition").Str() ?? "", s.P("desiredCount").Int() ?? 0, s.P("runningCount").Int() ?? 0,
                    vpc.P("subnets").Strings().ToList(), vpc.P("assignPublicIp").Str() == "ENABLED", s.P("deployments") as JsonArray);
            }).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            return new EcsClusterFact(name, arn, services);
        }));
        facts.EcsClusters.AddRange(clusterFacts.OrderBy(c => c.Name, StringComparer.Ordinal));

        // One listing of every ACTIVE revision (the CLI pages it), then the newest few of each family described.
        var listed = await CallAsync("ecs.taskDefinitions", "ecs", "list-task-definitions", ["--status", "ACTIVE", "--sort", "DESC"]);
        var newest = listed.P("taskDefinitionArns").Strings()
            .GroupBy(a => a[(a.LastIndexOf('/') + 1)..a.LastIndexOf(':')])
            .SelectMany(g => g.OrderByDescending(a => int.TryParse(a[(a.LastIndexOf(':') + 1)..], out var r) ? r : 0).Take(RevisionsPerFamily)).ToList();
        var definitions = await Task.WhenAll(newest.Select(a => CallAsync($"ecs.taskDefinition:{a}", "ecs", "describe-task-definition", ["--task-definition", a])));
        var revisions = new[] { definitions.Select(d => d.P("taskDefinition") as JsonObject).OfType<JsonObject>()
            .Select(td => new TaskDefinitionFact(td.P("family").Str()!, td.P("revision").Int() ?? 0, td.P("taskDefinitionArn").Str()!, td)).ToList() };
        facts.TaskDefinitions.AddRange(revisions.SelectMany(r => r).OrderBy(t => t.Family, StringComparer.Ordinal).ThenByDescending(t => t.Revision));
        Progress($"ecs: {facts.EcsClusters.Sum(c => c.Services.Count)} services, {facts.TaskDefinitions.Count} task definition revisions");
    }

    private async Task Eks(AwsFacts facts)
    {
        var list = await CallAsync("eks.clusters", "eks", "list-clusters", []);
        var clusters = await Task.WhenAll(list.P("clusters").Strings().Select(async name =>
        {
            var cluster = await CallAsync($"eks.cluster:{name}", "eks", "describe-cluster", ["--name", name]);
            var groups = await CallAsync($"eks.nodegroups:{name}", "eks", "list-nodegroups", ["--cluster-name", name]);
            var nodeGroups = await Task.WhenAll(groups.P("nodegroups").Strings().Select(async g =>
            {
                var ng = (await CallAsync($"eks.nodegroups:{name}", "eks", "describe-nodegroup", ["--cluster-name", name, "--nodegroup-name", g])).P("nodegroup");
                return new NodeGroupFact(g, ng.P("instanceTypes").Strings().ToList(), ng.P("amiType").Str());
            }));
            return new EksClusterFact(name, cluster.P("cluster").P("identity").P("oidc").P("issuer").Str(), nodeGroups.ToList());
        }));
        facts.EksClusters.AddRange(clusters.OrderBy(c => c.Name, StringComparer.Ordinal));
    }

    private async Task Sqs(AwsFacts facts)
    {
        var list = await CallAsync("sqs.queues", "sqs", "list-queues", []);
        var queues = await Task.WhenAll(list.P("QueueUrls").Strings().Select(async url =>
        {
            var attrs = (await CallAsync($"sqs.queue:{url}", "sqs", "get-queue-attributes", ["--queue-url", url, "--attribute-names", "All"])).P("Attributes");
            return new QueueFact(url, url[(url.LastIndexOf('/') + 1)..], attrs.P("QueueArn").Str(),
                int.TryParse(attrs.P("ApproximateNumberOfMessages").Str(), out var n) ? n : 0, PolicyJson.Decode(attrs.P("Policy")));
        }));
        facts.Queues.AddRange(queues.OrderBy(q => q.Name, StringComparer.Ordinal));
    }

    private async Task Events(AwsFacts facts)
    {
        var list = await CallAsync("events.rules", "events", "list-rules", []);
        var rules = await Task.WhenAll(Items(list, "Rules").Select(async r =>
        {
            var name = r.P("Name").Str()!;
            var targets = await CallAsync($"events.targets:{name}", "events", "list-targets-by-rule", ["--rule", name]);
            return new EventRuleFact(name, r.P("Arn").Str()!, Items(targets, "Targets").Select(t => t.P("Arn").Str()!).ToList());
        }));
        facts.EventRules.AddRange(rules.OrderBy(r => r.Name, StringComparer.Ordinal));
    }

    private async Task LoadBalancers(AwsFacts facts)
    {
        var lbs = await CallAsync("elbv2.loadBalancers", "elbv2", "describe-load-balancers", []);
        var tgs = await CallAsync("elbv2.targetGroups", "elbv2", "describe-target-groups", []);
        facts.LoadBalancers.AddRange(Items(lbs, "LoadBalancers").Select(l => new JsonObject { ["arn"] = l.P("LoadBalancerArn").Copy(), ["name"] = l.P("LoadBalancerName").Copy(), ["scheme"] = l.P("Scheme").Copy(), ["vpcId"] = l.P("VpcId").Copy() }));
        facts.TargetGroups.AddRange(Items(tgs, "TargetGroups").Select(t => new JsonObject { ["arn"] = t.P("TargetGroupArn").Copy(), ["name"] = t.P("TargetGroupName").Copy(), ["port"] = t.P("Port").Copy(), ["targetType"] = t.P("TargetType").Copy() }));
    }

    /// <summary>The resource types whose tags <see cref="ResourceTags"/> reads (the Resource Groups Tagging API's names).</summary>
    internal static readonly string[] TaggedTypes =
        ["ecr:repository", "sqs:queue", "ecs:service", "elasticloadbalancing:loadbalancer", "elasticloadbalancing:targetgroup", "ec2:security-group"];

    /// <summary>
    /// One paged `resourcegroupstaggingapi get-resources` for the kinds whose own answers carry no tags, kept by ARN
    /// (sorted, untagged ones left out): live-resource-not-in-state ties them to a stack by these.
    /// </summary>
    private async Task ResourceTags(AwsFacts facts)
    {
        var answer = await CallAsync("tagging.resources", "resourcegroupstaggingapi", "get-resources", ["--resource-type-filters", .. TaggedTypes]);
        if (answer == null) return;
        facts.ResourceTags = new(StringComparer.Ordinal);
        foreach (var r in Items(answer, "ResourceTagMappingList").OrderBy(r => r.P("ResourceARN").Str(), StringComparer.Ordinal))
            if (r.P("ResourceARN").Str() is { } arn && Tags(r) is { } tags) facts.ResourceTags[arn] = tags;
        Progress($"tagging: {facts.ResourceTags.Count} tagged resources");
    }

    /// <summary>
    /// AWS's own answer to "can each task read its secrets" (C6): for each registered task definition's execution role,
    /// `iam simulate-principal-policy` on the calls ECS makes with it at task start, on the resources as they exist
    /// (secretsmanager:GetSecretValue on the secret's real ARN, ssm:GetParameters on the parameter, kms:Decrypt on a
    /// customer managed key). One call per role; a refused call is recorded under "iam.simulate:ROLE_ARN" and the rule
    /// falls back to Groundcrew's own evaluator.
    /// </summary>
    private async Task Simulate(AwsFacts facts, string? account)
    {
        var region = aws.Target.Region;
        var needs = new Dictionary<string, SortedSet<(string Action, string Resource)>>(StringComparer.Ordinal);
        foreach (var td in facts.TaskDefinitions)
        {
            if (td.Definition.P("executionRoleArn").Str() is not { Length: > 0 } role) continue;
            var roleArn = facts.RoleByArnOrName(role)?.Arn ?? (role.StartsWith("arn:", StringComparison.Ordinal) ? role : account != null ? $"arn:aws:iam::{account}:role/{role}" : null);
            if (roleArn == null) continue;
            var set = needs.TryGetValue(roleArn, out var s) ? s : needs[roleArn] = new();
            foreach (var valueFrom in td.Definition.P("containerDefinitions").Objects()
                         .SelectMany(c => c.P("secrets").Objects()).Select(x => x.P("valueFrom").Str()).OfType<string>())
                foreach (var need in SecretReads.Needs(facts, valueFrom, account, region))
                    set.Add(need);
        }
        var results = await Task.WhenAll(needs.Where(n => n.Value.Count > 0).Select(async n =>
        {
            var actions = n.Value.Select(x => x.Action).Distinct().ToList();
            var resources = n.Value.Select(x => x.Resource).Distinct().ToList();
            var found = new List<SimulationFact>();
            foreach (var chunk in resources.Chunk(50))
            {
                var answer = await CallAsync($"iam.simulate:{n.Key}", "iam", "simulate-principal-policy",
                    ["--policy-source-arn", n.Key, "--action-names", .. actions, "--resource-arns", .. chunk]);
                if (answer == null) break;
                foreach (var r in Items(answer, "EvaluationResults"))
                {
                    var action = r.P("EvalActionName").Str();
                    // With resource ARNs given, AWS answers per resource; read both forms it documents.
                    var perResource = Items(r, "ResourceSpecificResults").Select(x => (x.P("EvalResourceName").Str(), x.P("EvalResourceDecision").Str())).ToList();
                    if (perResource.Count == 0) perResource.Add((r.P("EvalResourceName").Str(), r.P("EvalDecision").Str()));
                    foreach (var (resource, decision) in perResource)
                        if (action != null && resource != null && decision != null && n.Value.Contains((action, resource)))
                            found.Add(new SimulationFact(n.Key, action, resource, decision));
                }
            }
            return found;
        }));
        facts.Simulations = [.. results.SelectMany(r => r).DistinctBy(x => (x.RoleArn, x.Action, x.Resource))
            .OrderBy(x => x.RoleArn, StringComparer.Ordinal).ThenBy(x => x.Action, StringComparer.Ordinal).ThenBy(x => x.Resource, StringComparer.Ordinal)];
        if (needs.Count > 0) Progress($"iam: {facts.Simulations.Count} simulated decisions for {needs.Count} execution roles");
    }
}
