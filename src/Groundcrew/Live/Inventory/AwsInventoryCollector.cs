using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;

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
        var account = (string?)identity?["Account"];
        await Task.WhenAll(
            Roles(facts), Oidc(facts), Secrets(facts), Ssm(facts), Ecr(facts), Network(facts),
            Ecs(facts), Eks(facts), Sqs(facts), Events(facts), LoadBalancers(facts));
        await Kms(facts); // only keys the secrets use, so after Secrets
        await Simulate(facts, account); // needs the task definitions, secrets, parameters and keys
        return (facts, account);
    }

    private async Task<JObject?> CallAsync(string part, string service, string operation, IReadOnlyList<string> args)
    {
        var call = await aws.CallAsync(service, operation, args);
        if (call.Ok) return call.Object;
        _missing.Add(new NotCollected(part, call.Error!.Kind.ToString(), call.Error.Describe(), call.CommandLine));
        return null;
    }

    private void Progress(string what) => progress?.Invoke(what);

    private static IEnumerable<JObject> Items(JObject? answer, string key) => (answer?[key] as JArray ?? []).OfType<JObject>();

    private async Task Roles(AwsFacts facts)
    {
        var details = await CallAsync("iam.roles", "iam", "get-account-authorization-details", ["--filter", "Role", "LocalManagedPolicy"]);
        if (details == null) return;
        var local = Items(details, "Policies").ToDictionary(p => (string)p["Arn"]!, DefaultDocument);
        var awsManaged = new ConcurrentDictionary<string, JToken?>();
        foreach (var arn in Items(details, "RoleDetailList").SelectMany(r => Items(r, "AttachedManagedPolicies")).Select(p => (string)p["PolicyArn"]!)
                     .Where(a => !local.ContainsKey(a)).Distinct())
            awsManaged[arn] = null;
        // AWS managed policies are not in the local list: their default version is read one by one.
        await Task.WhenAll(awsManaged.Keys.ToList().Select(async arn =>
        {
            var policy = await CallAsync($"iam.policy:{arn}", "iam", "get-policy", ["--policy-arn", arn]);
            if ((string?)policy?["Policy"]?["DefaultVersionId"] is not { } version) return;
            var doc = await CallAsync($"iam.policy:{arn}", "iam", "get-policy-version", ["--policy-arn", arn, "--version-id", version]);
            awsManaged[arn] = PolicyJson.Decode(doc?["PolicyVersion"]?["Document"]);
        }));
        foreach (var r in Items(details, "RoleDetailList"))
        {
            var policies = Items(r, "RolePolicyList").Select(p => new NamedPolicy((string)p["PolicyName"]!, null, PolicyJson.Decode(p["PolicyDocument"]))).ToList();
            foreach (var a in Items(r, "AttachedManagedPolicies"))
            {
                var arn = (string)a["PolicyArn"]!;
                policies.Add(new NamedPolicy((string)a["PolicyName"]!, arn, local.TryGetValue(arn, out var d) ? d : awsManaged.GetValueOrDefault(arn)));
            }
            facts.Roles.Add(new IamRoleFact((string)r["RoleName"]!, (string)r["Arn"]!, PolicyJson.Decode(r["AssumeRolePolicyDocument"]), policies) { Tags = Tags(r) });
        }
        facts.Roles.Sort((a, b) => string.CompareOrdinal(a.Arn, b.Arn));
        Progress($"iam: {facts.Roles.Count} roles");
    }

    /// <summary>An answer's `Tags: [{Key, Value}]` as a map (IAM and Secrets Manager both return them so); null when it has none.</summary>
    private static Dictionary<string, string>? Tags(JObject resource)
    {
        var tags = Items(resource, "Tags").Where(t => (string?)t["Key"] != null).GroupBy(t => (string)t["Key"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (string?)g.Last()["Value"] ?? "", StringComparer.Ordinal);
        return tags.Count > 0 ? tags : null;
    }

    private static JToken? DefaultDocument(JObject policy) =>
        PolicyJson.Decode(Items(policy, "PolicyVersionList").FirstOrDefault(v => (bool?)v["IsDefaultVersion"] == true)?["Document"]);

    private async Task Oidc(AwsFacts facts)
    {
        var list = await CallAsync("iam.oidcProviders", "iam", "list-open-id-connect-providers", []);
        facts.OidcProviders.AddRange(Items(list, "OpenIDConnectProviderList").Select(p => (string)p["Arn"]!).Order(StringComparer.Ordinal));
    }

    private async Task Secrets(AwsFacts facts)
    {
        var list = await CallAsync("secretsmanager.secrets", "secretsmanager", "list-secrets", []);
        var secrets = Items(list, "SecretList").Select(s => new SecretFact((string)s["Name"]!, (string)s["ARN"]!, (string?)s["KmsKeyId"],
            s["LastChangedDate"] is { Type: not JTokenType.Null } t ? ParseTime(t) : null) { Tags = Tags(s) }).OrderBy(s => s.Arn, StringComparer.Ordinal).ToList();
        if (ReadSecretKeys || ReadSecretValues)
            await Task.WhenAll(secrets.Select(async s =>
            {
                var value = await CallAsync($"secretsmanager.value:{s.Name}", "secretsmanager", "get-secret-value", ["--secret-id", s.Arn]);
                if ((string?)value?["SecretString"] is not { } text) return;
                var (keys, placeholders) = SecretValueReader.Read(text);
                if (ReadSecretKeys) s.KeyNames = keys;
                if (ReadSecretValues) s.Placeholders = placeholders;
            }));
        facts.Secrets.AddRange(secrets);
        Progress($"secretsmanager: {secrets.Count} secrets");
    }

    private static DateTimeOffset? ParseTime(JToken t) =>
        t.Type is JTokenType.Float or JTokenType.Integer ? DateTimeOffset.FromUnixTimeMilliseconds((long)((double)t * 1000))
        : t.Type == JTokenType.Date ? new DateTimeOffset(((DateTime)t).ToUniversalTime())
        : DateTimeOffset.TryParse((string?)t, out var d) ? d : null;

    private async Task Ssm(AwsFacts facts)
    {
        var list = await CallAsync("ssm.parameters", "ssm", "describe-parameters", []);
        facts.SsmParameters.AddRange(Items(list, "Parameters").Select(p => (string)p["Name"]!).Order(StringComparer.Ordinal));
    }

    private async Task Kms(AwsFacts facts)
    {
        var keys = facts.Secrets.Select(s => s.KmsKeyId).OfType<string>().Where(k => !k.Contains("alias/aws/")).Distinct().ToList();
        await Task.WhenAll(keys.Select(async key =>
        {
            var described = await CallAsync($"kms.key:{key}", "kms", "describe-key", ["--key-id", key]);
            var policy = await CallAsync($"kms.keyPolicy:{key}", "kms", "get-key-policy", ["--key-id", key, "--policy-name", "default"]);
            lock (facts.KmsKeys)
                facts.KmsKeys.Add(new KmsKeyFact((string?)described?["KeyMetadata"]?["KeyId"] ?? key, (string?)described?["KeyMetadata"]?["Arn"], PolicyJson.Decode(policy?["Policy"])));
        }));
    }

    private async Task Ecr(AwsFacts facts)
    {
        var list = await CallAsync("ecr.repositories", "ecr", "describe-repositories", []);
        var repos = await Task.WhenAll(Items(list, "repositories").Select(async r =>
        {
            var name = (string)r["repositoryName"]!;
            var images = await CallAsync($"ecr.images:{name}", "ecr", "describe-images", ["--repository-name", name]);
            var details = Items(images, "imageDetails").ToList();
            var platforms = details.Count == 0 ? new Dictionary<string, List<string>?>() : await Platforms(name, details);
            var facts = details.Select(d => new EcrImageFact((string)d["imageDigest"]!, (d["imageTags"] as JArray ?? []).Select(t => (string)t!).ToList(),
                platforms.GetValueOrDefault((string)d["imageDigest"]!))).ToList();
            return new EcrRepositoryFact(name, (string)r["repositoryUri"]!, facts);
        }));
        facts.EcrRepositories.AddRange(repos.OrderBy(r => r.Name, StringComparer.Ordinal));
        Progress($"ecr: {repos.Length} repositories");
    }

    private const string ManifestTypes =
        "application/vnd.docker.distribution.manifest.list.v2+json application/vnd.oci.image.index.v1+json application/vnd.docker.distribution.manifest.v2+json application/vnd.oci.image.manifest.v1+json";

    /// <summary>Platforms of each image from its manifest: a manifest list names them; a single manifest does not (null: not known).</summary>
    private async Task<Dictionary<string, List<string>?>> Platforms(string repo, List<JObject> details)
    {
        var result = new Dictionary<string, List<string>?>();
        foreach (var chunk in details.Chunk(100)) // BatchGetImage takes up to 100 image ids
        {
            var ids = chunk.Select(d => $"imageDigest={(string)d["imageDigest"]!}").ToList();
            var got = await CallAsync($"ecr.manifests:{repo}", "ecr", "batch-get-image",
                ["--repository-name", repo, "--accepted-media-types", .. ManifestTypes.Split(' '), "--image-ids", .. ids]);
            foreach (var image in Items(got, "images"))
            {
                var digest = (string?)image["imageId"]?["imageDigest"];
                if (digest == null || PolicyJson.Decode(image["imageManifest"]) is not JObject manifest) continue;
                result[digest] = manifest["manifests"] is JArray list
                    ? list.Select(m => m["platform"]).Where(p => p != null && (string?)p["os"] != "unknown")
                        .Select(p => $"{(string?)p!["os"]}/{(string?)p["architecture"]}").Distinct().ToList()
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
        facts.Vpcs.AddRange(Items(calls[0], "Vpcs").Select(v => new JObject { ["vpcId"] = v["VpcId"], ["cidrBlock"] = v["CidrBlock"] }));
        facts.Subnets.AddRange(Items(calls[1], "Subnets").Select(s => new SubnetFact((string)s["SubnetId"]!, (string)s["VpcId"]!,
            (bool?)s["MapPublicIpOnLaunch"] ?? false, (string?)s["AvailabilityZone"])));
        facts.RouteTables.AddRange(Items(calls[2], "RouteTables").Select(t => new RouteTableFact((string)t["RouteTableId"]!, (string)t["VpcId"]!,
            Items(t, "Associations").Any(a => (bool?)a["Main"] == true),
            Items(t, "Associations").Select(a => (string?)a["SubnetId"]).OfType<string>().ToList(),
            Items(t, "Routes").Select(r => new RouteFact(
                (string?)r["DestinationCidrBlock"] ?? (string?)r["DestinationIpv6CidrBlock"] ?? (string?)r["DestinationPrefixListId"] ?? "?",
                (string?)r["NatGatewayId"] ?? (string?)r["GatewayId"] ?? (string?)r["TransitGatewayId"] ?? (string?)r["VpcPeeringConnectionId"]
                    ?? (string?)r["NetworkInterfaceId"] ?? (string?)r["InstanceId"],
                (string?)r["State"])).ToList())));
        facts.NatGateways.AddRange(Items(calls[3], "NatGateways").Where(n => (string?)n["State"] is not ("deleted" or "deleting" or "failed")).Select(n => (string)n["NatGatewayId"]!));
        facts.InternetGateways.AddRange(Items(calls[4], "InternetGateways").Select(g => (string)g["InternetGatewayId"]!));
        facts.VpcEndpoints.AddRange(Items(calls[5], "VpcEndpoints").Select(e => new VpcEndpointFact((string)e["VpcEndpointId"]!, (string)e["ServiceName"]!,
            (string?)e["VpcEndpointType"] ?? "?", (e["RouteTableIds"] as JArray ?? []).Select(x => (string)x!).ToList(),
            (e["SubnetIds"] as JArray ?? []).Select(x => (string)x!).ToList())));
        facts.SecurityGroups.AddRange(Items(calls[6], "SecurityGroups").Select(g => new JObject { ["groupId"] = g["GroupId"], ["groupName"] = g["GroupName"], ["vpcId"] = g["VpcId"] }));
        Progress($"ec2: {facts.Subnets.Count} subnets, {facts.RouteTables.Count} route tables");
    }

    private async Task Ecs(AwsFacts facts)
    {
        var clusters = await CallAsync("ecs.clusters", "ecs", "list-clusters", []);
        var clusterFacts = await Task.WhenAll((clusters?["clusterArns"] as JArray ?? []).Select(a => (string)a!).Select(async arn =>
        {
            var name = arn[(arn.LastIndexOf('/') + 1)..];
            var list = await CallAsync($"ecs.services:{name}", "ecs", "list-services", ["--cluster", arn]);
            var serviceArns = (list?["serviceArns"] as JArray ?? []).Select(s => (string)s!).ToList();
            var described = await Task.WhenAll(serviceArns.Chunk(10).Select(chunk =>
                CallAsync($"ecs.services:{name}", "ecs", "describe-services", ["--cluster", arn, "--services", .. chunk])));
            var services = described.SelectMany(d => Items(d, "services")).Select(s =>
            {
                var vpc = s["networkConfiguration"]?["awsvpcConfiguration"];
                return new EcsServiceFact((string)s["serviceName"]!, (string?)s["taskDefinition"] ?? "", (int?)s["desiredCount"] ?? 0, (int?)s["runningCount"] ?? 0,
                    (vpc?["subnets"] as JArray ?? []).Select(x => (string)x!).ToList(), (string?)vpc?["assignPublicIp"] == "ENABLED", s["deployments"] as JArray);
            }).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            return new EcsClusterFact(name, arn, services);
        }));
        facts.EcsClusters.AddRange(clusterFacts.OrderBy(c => c.Name, StringComparer.Ordinal));

        // One listing of every ACTIVE revision (the CLI pages it), then the newest few of each family described.
        var listed = await CallAsync("ecs.taskDefinitions", "ecs", "list-task-definitions", ["--status", "ACTIVE", "--sort", "DESC"]);
        var newest = (listed?["taskDefinitionArns"] as JArray ?? []).Select(a => (string)a!)
            .GroupBy(a => a[(a.LastIndexOf('/') + 1)..a.LastIndexOf(':')])
            .SelectMany(g => g.OrderByDescending(a => int.TryParse(a[(a.LastIndexOf(':') + 1)..], out var r) ? r : 0).Take(RevisionsPerFamily)).ToList();
        var definitions = await Task.WhenAll(newest.Select(a => CallAsync($"ecs.taskDefinition:{a}", "ecs", "describe-task-definition", ["--task-definition", a])));
        var revisions = new[] { definitions.Select(d => d?["taskDefinition"] as JObject).OfType<JObject>()
            .Select(td => new TaskDefinitionFact((string)td["family"]!, (int?)td["revision"] ?? 0, (string)td["taskDefinitionArn"]!, td)).ToList() };
        facts.TaskDefinitions.AddRange(revisions.SelectMany(r => r).OrderBy(t => t.Family, StringComparer.Ordinal).ThenByDescending(t => t.Revision));
        Progress($"ecs: {facts.EcsClusters.Sum(c => c.Services.Count)} services, {facts.TaskDefinitions.Count} task definition revisions");
    }

    private async Task Eks(AwsFacts facts)
    {
        var list = await CallAsync("eks.clusters", "eks", "list-clusters", []);
        var clusters = await Task.WhenAll((list?["clusters"] as JArray ?? []).Select(c => (string)c!).Select(async name =>
        {
            var cluster = await CallAsync($"eks.cluster:{name}", "eks", "describe-cluster", ["--name", name]);
            var groups = await CallAsync($"eks.nodegroups:{name}", "eks", "list-nodegroups", ["--cluster-name", name]);
            var nodeGroups = await Task.WhenAll((groups?["nodegroups"] as JArray ?? []).Select(g => (string)g!).Select(async g =>
            {
                var ng = (await CallAsync($"eks.nodegroups:{name}", "eks", "describe-nodegroup", ["--cluster-name", name, "--nodegroup-name", g]))?["nodegroup"];
                return new NodeGroupFact(g, (ng?["instanceTypes"] as JArray ?? []).Select(t => (string)t!).ToList(), (string?)ng?["amiType"]);
            }));
            return new EksClusterFact(name, (string?)cluster?["cluster"]?["identity"]?["oidc"]?["issuer"], nodeGroups.ToList());
        }));
        facts.EksClusters.AddRange(clusters.OrderBy(c => c.Name, StringComparer.Ordinal));
    }

    private async Task Sqs(AwsFacts facts)
    {
        var list = await CallAsync("sqs.queues", "sqs", "list-queues", []);
        var queues = await Task.WhenAll((list?["QueueUrls"] as JArray ?? []).Select(u => (string)u!).Select(async url =>
        {
            var attrs = (await CallAsync($"sqs.queue:{url}", "sqs", "get-queue-attributes", ["--queue-url", url, "--attribute-names", "All"]))?["Attributes"];
            return new QueueFact(url, url[(url.LastIndexOf('/') + 1)..], (string?)attrs?["QueueArn"],
                int.TryParse((string?)attrs?["ApproximateNumberOfMessages"], out var n) ? n : 0, PolicyJson.Decode(attrs?["Policy"]));
        }));
        facts.Queues.AddRange(queues.OrderBy(q => q.Name, StringComparer.Ordinal));
    }

    private async Task Events(AwsFacts facts)
    {
        var list = await CallAsync("events.rules", "events", "list-rules", []);
        var rules = await Task.WhenAll(Items(list, "Rules").Select(async r =>
        {
            var name = (string)r["Name"]!;
            var targets = await CallAsync($"events.targets:{name}", "events", "list-targets-by-rule", ["--rule", name]);
            return new EventRuleFact(name, (string)r["Arn"]!, Items(targets, "Targets").Select(t => (string)t["Arn"]!).ToList());
        }));
        facts.EventRules.AddRange(rules.OrderBy(r => r.Name, StringComparer.Ordinal));
    }

    private async Task LoadBalancers(AwsFacts facts)
    {
        var lbs = await CallAsync("elbv2.loadBalancers", "elbv2", "describe-load-balancers", []);
        var tgs = await CallAsync("elbv2.targetGroups", "elbv2", "describe-target-groups", []);
        facts.LoadBalancers.AddRange(Items(lbs, "LoadBalancers").Select(l => new JObject { ["arn"] = l["LoadBalancerArn"], ["name"] = l["LoadBalancerName"], ["scheme"] = l["Scheme"], ["vpcId"] = l["VpcId"] }));
        facts.TargetGroups.AddRange(Items(tgs, "TargetGroups").Select(t => new JObject { ["arn"] = t["TargetGroupArn"], ["name"] = t["TargetGroupName"], ["port"] = t["Port"], ["targetType"] = t["TargetType"] }));
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
            if ((string?)td.Definition["executionRoleArn"] is not { Length: > 0 } role) continue;
            var roleArn = facts.RoleByArnOrName(role)?.Arn ?? (role.StartsWith("arn:", StringComparison.Ordinal) ? role : account != null ? $"arn:aws:iam::{account}:role/{role}" : null);
            if (roleArn == null) continue;
            var set = needs.TryGetValue(roleArn, out var s) ? s : needs[roleArn] = new();
            foreach (var valueFrom in (td.Definition["containerDefinitions"] as JArray ?? []).OfType<JObject>()
                         .SelectMany(c => (c["secrets"] as JArray ?? []).OfType<JObject>()).Select(x => (string?)x["valueFrom"]).OfType<string>())
                foreach (var need in SimulationNeeds(facts, valueFrom, account, region))
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
                    var action = (string?)r["EvalActionName"];
                    // With resource ARNs given, AWS answers per resource; read both forms it documents.
                    var perResource = Items(r, "ResourceSpecificResults").Select(x => ((string?)x["EvalResourceName"], (string?)x["EvalResourceDecision"])).ToList();
                    if (perResource.Count == 0) perResource.Add(((string?)r["EvalResourceName"], (string?)r["EvalDecision"]));
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

    /// <summary>What ECS calls with the execution role for one valueFrom, on the live resources (as the rule asks for them).</summary>
    private static IEnumerable<(string Action, string Resource)> SimulationNeeds(AwsFacts facts, string valueFrom, string? account, string? region)
    {
        if (valueFrom.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal))
        {
            var parts = valueFrom.Split(':');
            if (parts.Length < 7) yield break;
            var arn = string.Join(':', parts.Take(7));
            var prefix = string.Join(':', parts.Take(6)) + ":";
            var secret = facts.Secrets.FirstOrDefault(x => x.Arn == arn) ?? facts.Secrets.FirstOrDefault(x => x.Name == parts[6] && x.Arn.StartsWith(prefix, StringComparison.Ordinal));
            if (secret == null) yield break; // a secret that does not exist is live-secret-missing's
            yield return ("secretsmanager:GetSecretValue", secret.Arn);
            if (secret.KmsKeyId is { } key && !key.Contains("alias/aws/", StringComparison.Ordinal))
            {
                var fact = facts.KmsKeys.FirstOrDefault(k => k.KeyId == key || k.Arn == key || key.EndsWith("/" + k.KeyId, StringComparison.Ordinal));
                if ((fact?.Arn ?? (key.StartsWith("arn:", StringComparison.Ordinal) ? key : null)) is { } keyArn) yield return ("kms:Decrypt", keyArn);
            }
        }
        else if (valueFrom.StartsWith("arn:aws:ssm:", StringComparison.Ordinal)) yield return ("ssm:GetParameters", valueFrom);
        else if (!valueFrom.StartsWith("arn:", StringComparison.Ordinal) && account != null && region is { Length: > 0 })
            yield return ("ssm:GetParameters", $"arn:aws:ssm:{region}:{account}:parameter{(valueFrom.StartsWith('/') ? "" : "/")}{valueFrom}");
    }
}
