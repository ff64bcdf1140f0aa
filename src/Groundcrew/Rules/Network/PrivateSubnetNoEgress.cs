using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Model.Aws;
using Groundcrew.Rules.Images;

namespace Groundcrew.Rules.Network;

/// <summary>
/// An ECS service on Fargate or an EKS managed node group placed in subnets that cannot reach what it needs before
/// anything runs: Amazon ECR (ecr.api, ecr.dkr, S3) for the image, Secrets Manager / SSM for `secrets`, CloudWatch Logs
/// for awslogs. A subnet gets there through the route table it actually uses (its association, else the VPC's main
/// route table) when that table sends 0.0.0.0/0 to a NAT gateway (or to an internet gateway, for a workload with a
/// public IP), or through VPC endpoints for each service (D3). Needs and sources: Data/network/egress-needs.yaml.
/// Reported only when the subnet, the route table it uses and the VPC's endpoints are all declared in the scan
/// (<see cref="NetworkTopology"/>): registry modules, data sources and variables say nothing.
/// </summary>
public sealed class PrivateSubnetNoEgress : Rule
{
    public override string Title => "Workload in subnets with no way to reach ECR, Secrets Manager or CloudWatch Logs";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "`ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve secret from asm` and `CannotPullContainerError: ... i/o timeout` (Fargate tasks stop before the container starts; EKS nodes never join the cluster)";
    public override string Fix =>
        "Associate each private subnet with a route table whose 0.0.0.0/0 route goes to a NAT gateway (aws_route_table_association), or add the VPC endpoints the workload needs.";
    public override IReadOnlyList<string> Incidents => ["D3"];

    internal sealed record Need(string Id, string What, IReadOnlyList<string> Services, string Source);

    /// <summary>One thing the workload needs, and the line that asks for it.</summary>
    private sealed record Use(Need Need, Node? Node, string Detail);

    private sealed record Problem(Subnet Subnet, RouteTable Table, Egress Egress, List<string> Missing, List<Use> Internet, List<VpcEndpoint> NoPrivateDns, Node Item);

    private sealed record Facts(Dictionary<string, Need> Needs, HashSet<string> PublicRegistries, IReadOnlyList<string> PublicSuffixes, Groundcrew.Core.SafeRegex Ecr, HashSet<string> Gateway);

    private static readonly Lazy<Facts> Data = new(() =>
    {
        var y = DataFiles.ReadYaml("network/egress-needs.yaml");
        var needs = new Dictionary<string, Need>(StringComparer.Ordinal);
        foreach (var e in y.GetMap("needs")?.Entries ?? [])
            if (e.Value is MapNode m)
                needs[e.Name] = new Need(e.Name, m.GetString("what") ?? e.Name,
                    (m.GetSeq("services")?.Items ?? []).OfType<ScalarNode>().Select(s => s.Value!).ToList(), m.GetString("source") ?? "");
        List<string> List(string key) => (y.GetSeq(key)?.Items ?? []).OfType<ScalarNode>().Select(s => s.Value!).ToList();
        return new Facts(needs, List("publicRegistries").ToHashSet(StringComparer.OrdinalIgnoreCase), List("publicRegistrySuffixes"),
            Groundcrew.Core.SafeRegex.Create(y.GetString("ecrRegistry")!, RegexOptions.CultureInvariant), List("gatewayServices").ToHashSet(StringComparer.Ordinal));
    });

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (!model.HasAny("aws_subnet") && !model.HasAny("aws:ec2/subnet:Subnet")) yield break;
        var net = model.Network;
        var facts = Data.Value;

        foreach (var service in net.Of("aws_ecs_service"))
        {
            var block = NetworkTopology.Get(service, service.Body, "network_configuration");
            if ((block is SeqNode list ? list.Maps.FirstOrDefault() : block as MapNode) is not { } nc) continue;
            if (NetworkTopology.Get(service, nc, "subnets") is not SeqNode subnets) continue;
            bool? publicIp = NetworkTopology.Get(service, nc, "assign_public_ip") switch
            {
                null or ScalarNode { IsNull: true } or ScalarNode { Value: "false" } => false,
                ScalarNode { Value: "true" } => true,
                _ => null,
            };
            var td = EcsServiceTasks.Of(model, service)?.TaskDefinition;
            if (!IsFargate(service, td)) continue;
            // Without its task definition in the scan, a Fargate task still pulls an image before it starts: from ECR
            // through the ECR endpoints, from anywhere else through a NAT gateway. Neither path means it cannot start.
            var uses = td != null ? Uses(net, td, facts) : [new Use(facts.Needs["unknown-image"], null, "")];
            if (uses.Count == 0) continue;
            foreach (var f in Report(net, service, $"ECS service {NetworkTopology.DisplayName(service)}", subnets, _ => publicIp, uses, isService: true, td))
                yield return f;
        }

        foreach (var group in net.Of("aws_eks_node_group"))
        {
            if (NetworkTopology.Get(group, group.Body, "subnet_ids") is not SeqNode subnets) continue;
            var launchTemplate = NetworkTopology.Get(group, group.Body, "launch_template") is { } lt && lt is not ScalarNode { IsNull: true } && lt is not SeqNode { Items.Count: 0 };
            var uses = new List<Use> { new(facts.Needs["eks-node"], null, "") };
            foreach (var f in Report(net, group, $"EKS node group {NetworkTopology.DisplayName(group)}", subnets, s => launchTemplate ? null : s.MapPublicIp, uses, isService: false, null))
                yield return f;
        }
    }

    private IEnumerable<Finding> Report(NetworkTopology net, Resource owner, string what, SeqNode subnets, Func<Subnet, bool?> publicIp,
        List<Use> uses, bool isService, EcsTaskDefinition? td)
    {
        var problems = new List<Problem>();
        foreach (var item in subnets.Items)
        {
            if (net.SubnetFor(owner, item) is not { } subnet || net.RouteTableOf(subnet) is not { } table) continue;
            var egress = net.EgressOf(table);
            if (egress is Egress.Nat or Egress.Unknown) continue;
            if (egress == Egress.InternetGateway && publicIp(subnet) != false) continue;
            var missing = new List<string>();
            var internet = new List<Use>();
            var noDns = new List<VpcEndpoint>();
            foreach (var use in uses)
            {
                if (use.Need.Services.Count == 0) { internet.Add(use); continue; }
                foreach (var service in use.Need.Services)
                {
                    if (missing.Contains(service)) continue;
                    if (net.Reaches(subnet, table, service, out var withoutDns) == Tri.No)
                    {
                        missing.Add(service);
                        if (withoutDns != null && !noDns.Contains(withoutDns)) noDns.Add(withoutDns);
                    }
                }
            }
            if (missing.Count == 0 && internet.Count == 0) continue;
            if (problems.Any(p => p.Subnet == subnet)) continue;
            problems.Add(new Problem(subnet, table, egress, missing, internet, noDns, item));
        }

        foreach (var group in problems.GroupBy(p => (p.Table, p.Egress, string.Join(",", p.Missing), p.Internet.Count)))
        {
            var list = group.ToList();
            var first = list[0];
            var table = first.Table;
            var vpc = first.Subnet.Vpc!;
            var subnetNames = Join(list.Select(p => p.Subnet.Name));
            var plural = list.Count > 1;
            var tableText = table.IsImplicitMain
                ? "the VPC's main route table (no route table association; it holds only the local route)"
                : !list.Any(p => p.Subnet.Associated == table) ? $"the VPC's main route table {table.Name} (no route table association)" : $"route table {table.Name}";
            var who = isService ? "Fargate tasks without a public IP" : "nodes without a public IP";
            var way = first.Egress == Egress.InternetGateway
                ? $"its 0.0.0.0/0 route goes to an internet gateway, which {(isService ? "a task without a public IP (assign_public_ip is false)" : "a node without a public IP (map_public_ip_on_launch is false)")} cannot use"
                : "there is no route to 0.0.0.0/0 through a NAT gateway";
            var lacks = new List<string>();
            if (first.Missing.Count > 0) lacks.Add($"the VPC has no usable endpoint for {Join(first.Missing)}");
            var images = first.Internet.Select(u => u.Detail).Distinct().ToList();
            if (images.Count > 0) lacks.Add($"{Join(images)} can only be pulled over the internet");
            var needs = Join(uses.Where(u => u.Need.Services.Count == 0 || u.Need.Services.Any(first.Missing.Contains)).Select(u => u.Need.What).Distinct());
            var noDns = first.NoPrivateDns.Count > 0
                ? $" ({Join(first.NoPrivateDns.Select(e => $"{e.Name} ({e.Service})"))} {(first.NoPrivateDns.Count > 1 ? "have" : "has")} private_dns_enabled unset or false, so the service's usual name does not resolve to {(first.NoPrivateDns.Count > 1 ? "them" : "it")})"
                : "";
            var consequence = isService
                ? "tasks stop with ResourceInitializationError or CannotPullContainerError before the container starts"
                : "the nodes cannot join the cluster and the node group creation fails";
            var message = $"{what} runs {who} in {(plural ? "subnets" : "subnet")} {subnetNames}, which {(plural ? "use" : "uses")} {tableText}: {way}, and {string.Join(" and ", lacks)}{noDns}. " +
                          $"It needs to {needs}: {consequence}.";

            var related = new List<RelatedLocation>();
            foreach (var p in list)
                related.Add(new RelatedLocation(p.Subnet.Resource.Body.Span, $"subnet {p.Subnet.Name} (map_public_ip_on_launch {(p.Subnet.MapPublicIp == true ? "true" : "false")}) uses {(table.IsImplicitMain ? "the VPC's main route table" : table.Name)}"));
            related.Add(table.IsImplicitMain
                ? new RelatedLocation(table.Span, $"{vpc.Name}: its main route table is not declared, so it holds only the local route")
                : new RelatedLocation(table.Span, first.Egress == Egress.InternetGateway ? $"{table.Name}: 0.0.0.0/0 goes to an internet gateway" : $"{table.Name}: no 0.0.0.0/0 route to a NAT gateway"));
            var unused = first.Egress == Egress.None ? net.UnusedNatTables(vpc).ToList() : [];
            foreach (var t in unused)
                related.Add(new RelatedLocation(t.Span, $"{t.Name} routes 0.0.0.0/0 to a NAT gateway but no subnet is associated with it: the likely fix is to associate the subnets with it"));
            foreach (var u in uses.Where(u => u.Node != null && (u.Need.Services.Count == 0 || u.Need.Services.Any(first.Missing.Contains))).DistinctBy(u => u.Need.Id))
                related.Add(new RelatedLocation(u.Node!.Span, $"{td?.Family ?? "the task definition"} needs to {u.Need.What}{(u.Detail.Length > 0 ? $" ({u.Detail})" : "")}"));
            foreach (var e in first.NoPrivateDns)
                related.Add(new RelatedLocation(e.Resource.Body.Span, $"{e.Name} ({e.Service}) has private_dns_enabled unset or false"));

            yield return At(first.Item, message, FixText(list, table, vpc, first, unused, isService, owner.Family == ResourceFamily.Pulumi), related);
        }
    }

    private string FixText(List<Problem> list, RouteTable table, Vpc vpc, Problem first, List<RouteTable> unused, bool isService, bool pulumi)
    {
        if (pulumi) return PulumiFix(list, first, unused, isService);
        var facts = Data.Value;
        var endpoints = "";
        if (first.Missing.Count > 0)
        {
            var iface = first.Missing.Where(s => !facts.Gateway.Contains(s)).ToList();
            var gw = first.Missing.Where(facts.Gateway.Contains).ToList();
            var tableRef = table.Resource != null ? $"{table.Name}.id" : $"{vpc.Name}.default_route_table_id";
            var parts = new List<string>();
            if (iface.Count > 0) parts.Add($"Interface endpoints with private_dns_enabled = true for {Join(iface)}");
            if (gw.Count > 0) parts.Add($"a Gateway endpoint for {Join(gw)} with route_table_ids = [{tableRef}]");
            endpoints = $"VPC endpoints in {vpc.Name}: {string.Join(", and ", parts)}";
        }
        var internet = first.Internet.Count > 0;
        string main;
        if (unused.Count > 0)
        {
            var nat = unused[0];
            var examples = string.Join("; ", list.Select(p =>
                $"resource \"aws_route_table_association\" \"{Label(p.Subnet.Name)}\" with subnet_id = {p.Subnet.Name}.id and route_table_id = {nat.Name}.id"));
            main = $"Associate {(list.Count > 1 ? "the subnets" : "the subnet")} with {nat.Name}, which already routes 0.0.0.0/0 to a NAT gateway: {examples}";
        }
        else if (first.Egress == Egress.InternetGateway)
            main = isService
                ? "Set assign_public_ip = true in network_configuration, or place the service in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway"
                : "Place the node group in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway, or set map_public_ip_on_launch = true on the subnets";
        else
            main = $"Add a 0.0.0.0/0 route to a NAT gateway in {(table.IsImplicitMain ? "a route table" : table.Name)} and associate the subnets with it (aws_route_table_association)";
        return endpoints.Length > 0 && !internet ? $"{main}; or add {endpoints}." : $"{main}.";
    }

    private static string PulumiFix(List<Problem> list, Problem first, List<RouteTable> unused, bool isService)
    {
        var subnets = Join(list.Select(p => p.Subnet.Resource.Name));
        var endpoints = first.Missing.Count > 0 && first.Internet.Count == 0
            ? $"; or add aws.ec2.VpcEndpoint resources for {Join(first.Missing)} (Interface with privateDnsEnabled: true; s3 as a Gateway endpoint with routeTableIds including {first.Table.Name})"
            : "";
        if (unused.Count > 0)
            return $"Add an aws.ec2.RouteTableAssociation for each of {subnets} with routeTableId: {unused[0].Resource!.Name}.id (it already routes 0.0.0.0/0 to a NAT gateway){endpoints}.";
        if (first.Egress == Egress.InternetGateway && isService)
            return $"Set networkConfiguration.assignPublicIp: true, or place the service in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway{endpoints}.";
        return $"Associate {subnets} with a route table that sends 0.0.0.0/0 to a NAT gateway (aws.ec2.RouteTableAssociation){endpoints}.";
    }

    private static string Label(string address)
    {
        var at = address.LastIndexOf("aws_subnet.", StringComparison.Ordinal);
        var name = at >= 0 ? address[(at + "aws_subnet.".Length)..] : address;
        return Regex.Replace(name, "[^A-Za-z0-9_-]+", "_").Trim('_');
    }

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }

    /// <summary>Fargate by launch type or capacity providers; with neither, when the task definition can only run on Fargate.</summary>
    private static bool IsFargate(Resource service, EcsTaskDefinition? td)
    {
        var launch = NetworkTopology.Get(service, service.Body, "launch_type");
        if (launch is ScalarNode { Value: "FARGATE" }) return true;
        if (launch != null && launch is not ScalarNode { IsNull: true }) return false;
        var strategy = NetworkTopology.Get(service, service.Body, "capacity_provider_strategy");
        if (strategy is SeqNode { Items.Count: > 0 } s)
            return s.Items.All(i => i is MapNode m && NetworkTopology.Get(service, m, "capacity_provider") is ScalarNode { Value: "FARGATE" or "FARGATE_SPOT" });
        if (strategy != null && strategy is not SeqNode && strategy is not ScalarNode { IsNull: true }) return false;
        return td?.Body["requiresCompatibilities"] is SeqNode { Items.Count: > 0 } rc && rc.Items.All(i => i is ScalarNode { Value: "FARGATE" });
    }

    /// <summary>What the task needs before its containers run, from its containers' images, secrets, log driver and environment files.</summary>
    private static List<Use> Uses(NetworkTopology net, EcsTaskDefinition td, Facts facts)
    {
        var uses = new List<Use>();
        void Add(string need, Node? node, string detail)
        {
            if (!uses.Any(u => u.Need.Id == need && u.Detail == detail)) uses.Add(new Use(facts.Needs[need], node, detail));
        }
        var owner = td.Resource;
        foreach (var c in td.Containers)
        {
            var image = c.Node["image"];
            switch (ImageNeed(net, owner, image, facts, out var shown))
            {
                case "ecr-image": Add("ecr-image", image, ""); break;
                case "public-registry": Add("public-registry", image, shown!); break;
            }
            foreach (var s in c.Node.GetSeq("secrets")?.Maps ?? [])
                if (SecretNeed(net, owner, s["valueFrom"]) is { } need) Add(need, s["valueFrom"], "");
            if (c.Node.GetMap("repositoryCredentials") is { } creds && creds["credentialsParameter"] is { } cp && cp is not ScalarNode { IsNull: true })
                Add("secretsmanager", cp, "");
            if (c.Node.GetMap("logConfiguration") is { } log)
            {
                if (log["logDriver"] is ScalarNode { Value: "awslogs" } driver) Add("logs", driver, "");
                foreach (var s in log.GetSeq("secretOptions")?.Maps ?? [])
                    if (SecretNeed(net, owner, s["valueFrom"]) is { } need) Add(need, s["valueFrom"], "");
            }
            foreach (var f in c.Node.GetSeq("environmentFiles")?.Maps ?? [])
                if (f["type"] is ScalarNode { Value: "s3" } type) Add("s3-environment-file", type, "");
        }
        return uses;
    }

    private static string? ImageNeed(NetworkTopology net, Resource owner, Node? image, Facts facts, out string? shown)
    {
        shown = null;
        switch (image)
        {
            case ScalarNode { Value: { Length: > 0 } text } when !text.Contains('$') && !text.Contains('<') && !text.Contains('{'):
            {
                var parsed = ImageReference.Parse(text);
                if (!parsed.IsValid) return null;
                var registry = parsed.Registry;
                if (facts.Ecr.IsMatch(registry)) return "ecr-image";
                if (facts.PublicRegistries.Contains(registry) || facts.PublicSuffixes.Any(s => registry.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
                {
                    shown = $"{text} ({registry})";
                    return "public-registry";
                }
                return null;
            }
            case UnknownNode { Ref: { } reference } u:
            {
                var prefix = u.RefPrefix ?? "";
                if (prefix.Length > 0)
                {
                    var host = prefix.Split('/')[0];
                    return prefix.Contains('/') && facts.Ecr.IsMatch(host) ? "ecr-image" : null;
                }
                return net.ResolveRef(owner, reference) is ({ Kind: "aws_ecr_repository" }, "repository_url") ? "ecr-image" : null;
            }
            default:
                return null;
        }
    }

    /// <summary>secretsmanager or ssm for a valueFrom; null when it cannot be told.</summary>
    private static string? SecretNeed(NetworkTopology net, Resource owner, Node? valueFrom)
    {
        switch (valueFrom)
        {
            case ScalarNode { Value: { Length: > 0 } text } when !text.Contains('$') && !text.Contains('<') && !text.Contains('{'):
                if (!text.StartsWith("arn:", StringComparison.Ordinal)) return "ssm"; // a bare name is an SSM parameter in the task's Region
                return text.Split(':') is { Length: > 2 } parts ? parts[2] switch { "secretsmanager" => "secretsmanager", "ssm" => "ssm", _ => null } : null;
            case UnknownNode { Ref: { } reference } u:
            {
                var prefix = u.RefPrefix ?? "";
                if (prefix.StartsWith("arn:", StringComparison.Ordinal) && prefix.Split(':') is { Length: > 3 } arn)
                    return arn[2] switch { "secretsmanager" => "secretsmanager", "ssm" => "ssm", _ => null };
                if (prefix.Length > 0) return null;
                return net.ResolveRef(owner, reference) switch
                {
                    ({ Kind: "aws_secretsmanager_secret" or "aws_secretsmanager_secret_version" }, _) => "secretsmanager",
                    ({ Kind: "aws_ssm_parameter" }, _) => "ssm",
                    ({ Kind: "aws_db_instance" or "aws_rds_cluster" }, var attribute) when attribute.StartsWith("master_user_secret", StringComparison.Ordinal) => "secretsmanager",
                    _ => null,
                };
            }
            default:
                return null;
        }
    }
}
