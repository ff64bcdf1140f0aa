using Groundcrew.Core;
using Groundcrew.Live.Inventory;

namespace Groundcrew.Rules.Live;

/// <summary>
/// D3: the live ECS service running a task definition of the repository places its tasks in subnets whose route
/// table has no way out (no active 0.0.0.0/0 route through a NAT gateway, nor through an internet gateway with a
/// public IP), and the VPC lacks an endpoint for something the task needs at start: ECR (ecr.api, ecr.dkr and the
/// s3 gateway) for an ECR image, secretsmanager or ssm for its secrets, logs for awslogs. The task then fails
/// before it starts. Silent when a route goes elsewhere (transit gateway, peering, a NAT instance: not judged),
/// for subnets or services the inventory does not hold, and when the network parts could not be collected.
/// </summary>
public sealed class LivePrivateSubnetNoEgress : Rule
{
    public override string Title => "The service's private subnets have no route out and no VPC endpoint for what the task needs";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: ... dial tcp ...:443: i/o timeout (or: CannotPullContainerError ... context deadline exceeded)";
    public override string Fix =>
        "Add a 0.0.0.0/0 route through a NAT gateway to the subnets' route table, or create VPC endpoints for ECR (ecr.api, ecr.dkr, s3 gateway), Secrets Manager/SSM and CloudWatch Logs.";
    public override IReadOnlyList<string> Incidents => ["D3"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws, "ecs.clusters", "ec2.subnets", "ec2.routeTables", "ec2.vpcEndpoints")) yield break;
        foreach (var td in context.Model.TaskDefinitions)
        {
            var needs = Needs(td).ToList();
            foreach (var cluster in aws.EcsClusters)
                foreach (var service in cluster.Services.Where(s => FamilyOf(s.TaskDefinition) == td.Family && s.Subnets.Count > 0))
                {
                    var closed = service.Subnets.Select(id => (Id: id, Subnet: aws.Subnets.FirstOrDefault(s => s.Id == id)))
                        .Where(x => x.Subnet != null)
                        .Select(x => (x.Id, x.Subnet!.VpcId, Table: TableOf(aws, x.Subnet)))
                        .Where(x => x.Table != null && !HasWayOut(x.Table, service.AssignPublicIp)).ToList();
                    // Only when every subnet is closed: a task placed in an open one starts, and ECS retries elsewhere.
                    if (closed.Count == 0 || closed.Count < service.Subnets.Count(id => aws.Subnets.Any(s => s.Id == id))) continue;
                    var region = cluster.Arn.Split(':') is { Length: > 3 } p && p[3].Length > 0 ? p[3] : snapshot.Sources.Aws?.Regions.FirstOrDefault() ?? "REGION";
                    var missing = needs.Where(n => !HasEndpoint(aws, n.Service, closed.Select(c => c.VpcId).Distinct().ToList(), closed.Select(c => c.Table!.Id).ToList()))
                        .ToList();
                    if (missing.Count == 0) continue;
                    var tables = closed.Select(c => c.Table!.Id).Distinct().ToList();
                    var anchor = td.Body["family"] ?? (Node)td.Body;
                    yield return At(anchor,
                        $"Service `{service.Name}` (cluster `{cluster.Name}`) runs `{td.Family}` in subnet(s) {List(closed.Select(c => c.Id))} whose route table(s) {List(tables)} " +
                        $"have no active 0.0.0.0/0 route through a NAT gateway{(service.AssignPublicIp ? " or an internet gateway" : " (and the tasks get no public IP)")}, " +
                        $"and the VPC has no endpoint for {string.Join(", ", missing.Select(m => $"{m.Service} ({m.Why})"))} {LiveFacts.Observed(snapshot)}. " +
                        "Tasks fail before they start.",
                        $"Add `0.0.0.0/0` through a NAT gateway to {List(tables)} (`aws ec2 create-route --route-table-id {tables[0]} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id {(aws.NatGateways.Count == 1 ? aws.NatGateways[0] : "NAT_GATEWAY_ID")}`), " +
                        $"or create the VPC endpoints {string.Join(", ", missing.Where(m => m.Service.Length > 0).Select(m => $"`com.amazonaws.{region}.{m.Service}`"))}" +
                        (missing.Any(m => m.Service.Length == 0) ? "; an image outside ECR needs the route." : "."));
                }
        }
    }

    private sealed record Need(string Service, string Why);

    /// <summary>What the task reaches over the network before its containers start. Service "" is the internet itself.</summary>
    private static IEnumerable<Need> Needs(Model.EcsTaskDefinition td)
    {
        var containers = td.Containers.ToList();
        var images = containers.Select(c => c.Image).OfType<string>().ToList();
        if (images.Any(i => i.Contains(".dkr.ecr.", StringComparison.Ordinal)))
        {
            yield return new Need("ecr.api", "the ECR image");
            yield return new Need("ecr.dkr", "the ECR image");
            yield return new Need("s3", "the ECR image's layers");
        }
        if (images.FirstOrDefault(i => !i.Contains(".dkr.ecr.", StringComparison.Ordinal) && !i.Contains("${", StringComparison.Ordinal)) is { } outside)
            yield return new Need("", $"image `{outside}` is not in ECR: only the internet serves it");
        var refs = LiveFacts.SecretUses(td).Select(u => (u.ValueFrom as ScalarNode)?.Value ?? "").ToList();
        if (refs.Any(r => r.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal)))
            yield return new Need("secretsmanager", "the secrets");
        if (refs.Any(r => r.Length > 0 && !r.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal)))
            yield return new Need("ssm", "the SSM parameters");
        if (containers.Any(c => c.Node.GetMap("logConfiguration")?.GetString("logDriver") == "awslogs"))
            yield return new Need("logs", "the awslogs log driver");
    }

    /// <summary>"arn:...:task-definition/api:7" and "api:7" are family "api".</summary>
    private static string FamilyOf(string taskDefinition)
    {
        var name = taskDefinition[(taskDefinition.LastIndexOf('/') + 1)..];
        return name.Contains(':') ? name[..name.LastIndexOf(':')] : name;
    }

    /// <summary>The subnet's explicitly associated route table, else its VPC's main table.</summary>
    private static RouteTableFact? TableOf(AwsFacts aws, SubnetFact subnet) =>
        aws.RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(subnet.Id)) ?? aws.RouteTables.FirstOrDefault(t => t.VpcId == subnet.VpcId && t.Main);

    private static bool HasWayOut(RouteTableFact table, bool publicIp) =>
        table.Routes.Any(r => r.Destination == "0.0.0.0/0" && r.State != "blackhole" && r.Target is { } t
                              && (t.StartsWith("nat-", StringComparison.Ordinal) || (publicIp && t.StartsWith("igw-", StringComparison.Ordinal))
                                  || !(t.StartsWith("igw-", StringComparison.Ordinal) || t == "local")));

    private static bool HasEndpoint(AwsFacts aws, string service, IReadOnlyList<string> vpcs, IReadOnlyList<string> tables)
    {
        if (service.Length == 0) return false;
        return aws.VpcEndpoints.Any(e => e.ServiceName.EndsWith("." + service, StringComparison.Ordinal)
            && (e.RouteTableIds.Any(tables.Contains)
                || e.SubnetIds.Any(id => aws.Subnets.FirstOrDefault(s => s.Id == id) is { } s && vpcs.Contains(s.VpcId))));
    }

    private static string List(IEnumerable<string> ids) => string.Join(", ", ids.Distinct().Select(i => $"`{i}`"));
}
