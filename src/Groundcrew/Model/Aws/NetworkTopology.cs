using System.Net;
using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;

namespace Groundcrew.Model.Aws;

/// <summary>Where a route table sends traffic for the internet (0.0.0.0/0).</summary>
public enum Egress
{
    /// <summary>Only the local route and private destinations: no way out of the VPC.</summary>
    None,
    Nat,
    InternetGateway,
    /// <summary>A transit gateway, peering, VPN gateway, instance, a route not evaluable... it may or may not reach the internet.</summary>
    Unknown,
}

/// <summary>Three-valued answer: unknown stays unknown.</summary>
public enum Tri { No, Yes, Unknown }

public sealed class Vpc(Resource resource)
{
    public Resource Resource { get; } = resource;
    public string Name => NetworkTopology.DisplayName(Resource);
    /// <summary>The main route table (subnets without an association use it); null when not known.</summary>
    public RouteTable? Main { get; internal set; }
    /// <summary>The route table AWS created with the VPC (default_route_table_id): implicit, or managed by aws_default_route_table.</summary>
    public RouteTable Original { get; internal set; } = null!;
    public List<VpcEndpoint> Endpoints { get; } = [];
    /// <summary>An endpoint of this VPC could not be evaluated: which services it serves is not known.</summary>
    public bool EndpointsUnknown { get; internal set; }
}

public sealed class Subnet(Resource resource)
{
    public Resource Resource { get; } = resource;
    public string Name => NetworkTopology.DisplayName(Resource);
    public Vpc? Vpc { get; internal set; }
    /// <summary>map_public_ip_on_launch (false when absent); null when not known.</summary>
    public bool? MapPublicIp { get; internal set; }
    /// <summary>The explicit association, if any.</summary>
    public RouteTable? Associated { get; internal set; }
    /// <summary>An association names this subnet but its route table is not known (or two associations name it).</summary>
    public bool AssociationUnknown { get; internal set; }
}

/// <summary>A route with a destination and where it sends traffic (for 0.0.0.0/0 and other public destinations).</summary>
public sealed record RouteEntry(string Destination, Egress Target, Node Node);

public sealed class RouteTable
{
    /// <summary>The aws_route_table / aws_default_route_table; null for a VPC's implicit main route table.</summary>
    public Resource? Resource { get; init; }
    public Vpc? Vpc { get; internal set; }
    public List<RouteEntry> Routes { get; } = [];
    /// <summary>Routes that cannot be known (dynamic blocks, propagated VPN routes, an aws_route not evaluable).</summary>
    public bool RoutesUnknown { get; internal set; }
    public List<Subnet> Subnets { get; } = [];
    public bool IsImplicitMain => Resource == null;
    public string Name => Resource != null ? NetworkTopology.DisplayName(Resource) : $"the main route table of {Vpc?.Name}";
    /// <summary>Where to point: the route table's block, or the VPC's for an implicit main route table.</summary>
    public SourceSpan Span => (Resource ?? Vpc!.Resource).Body.Span;
}

public sealed class VpcEndpoint(Resource resource)
{
    public Resource Resource { get; } = resource;
    public string Name => NetworkTopology.DisplayName(Resource);
    /// <summary>The part of the service name after com.amazonaws.&lt;region&gt;. (ecr.api, s3...).</summary>
    public string? Service { get; internal set; }
    public bool IsGateway { get; internal set; }
    public Tri PrivateDns { get; internal set; }
    public List<RouteTable> RouteTables { get; } = [];
    public bool RouteTablesUnknown { get; internal set; }
}

/// <summary>
/// The AWS network declared in the scanned Terraform: VPCs, subnets, route tables (inline routes and aws_route),
/// associations (explicit, aws_main_route_table_association, aws_default_route_table and the implicit main route table)
/// and VPC endpoints. Built once per model (<see cref="DeploymentModel.Network"/>).
/// <para>References are followed within the root module a resource was evaluated from. Anything that cannot be tied to
/// a declared resource makes the answers it could change unknown: an association whose subnet is not evaluable (or a
/// count/for_each that is not known) makes every implicit association unknown, and so on. Rules only report what is known.</para>
/// </summary>
public sealed class NetworkTopology
{
    private readonly Dictionary<(string File, string Id), (Resource, string)> _pulumiIds = new();
    private readonly Dictionary<Resource, Vpc> _vpcs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Resource, Subnet> _subnets = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Resource, RouteTable> _tables = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Resource, VpcEndpoint> _endpoints = new(ReferenceEqualityComparer.Instance);
    private readonly DeploymentModel _model;

    /// <summary>Some association could name any subnet (not evaluable): subnets without a known association have an unknown route table.</summary>
    public bool AssociationsUnknown { get; private set; }
    /// <summary>Some main route table change could apply to any VPC.</summary>
    public bool MainUnknown { get; private set; }
    /// <summary>Some route could be in any route table.</summary>
    public bool RoutesUnknown { get; private set; }
    /// <summary>Some endpoint (or endpoint association) could be in any VPC.</summary>
    public bool EndpointsUnknown { get; private set; }

    public IReadOnlyCollection<Vpc> Vpcs => _vpcs.Values;
    public IReadOnlyCollection<Subnet> Subnets => _subnets.Values;
    public IReadOnlyCollection<RouteTable> RouteTables => _tables.Values;

    internal static readonly Lazy<(IReadOnlyList<(IPAddress Net, int Bits)> Private, HashSet<string> Gateway, Groundcrew.Core.SafeRegex NetworkArgument, IReadOnlyList<string> NoRouting)> Facts = new(() =>
    {
        var y = DataFiles.ReadYaml("network/egress-needs.yaml");
        var ranges = (y.GetSeq("privateRanges")?.Items ?? []).OfType<ScalarNode>().Select(s => ParseCidr(s.Value!)!.Value).ToList();
        var gateway = (y.GetSeq("gatewayServices")?.Items ?? []).OfType<ScalarNode>().Select(s => s.Value!).ToHashSet(StringComparer.Ordinal);
        var modules = y.GetMap("unreadModules");
        var argument = Groundcrew.Core.SafeRegex.Create(modules?.GetString("networkArguments") ?? "vpc|subnet|route", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var noRouting = (modules?.GetSeq("withoutRouting")?.Items ?? []).OfType<ScalarNode>().Select(s => s.Value!).ToList();
        return (ranges, gateway, argument, noRouting);
    });

    /// <summary>A module call that is not read and is given network arguments, unless its source is a registry module known to declare no routes, associations or endpoints.</summary>
    private static bool MayChangeRouting(UnexpandedResource module)
    {
        var facts = Facts.Value;
        if (!module.Arguments.Any(facts.NetworkArgument.IsMatch)) return false;
        var source = module.Source?.Split("?")[0] ?? "";
        return !facts.NoRouting.Any(m => source == m || source.StartsWith(m + "//", StringComparison.Ordinal));
    }

    public NetworkTopology(DeploymentModel model)
    {
        _model = model;
        foreach (var r in model.Resources)
        {
            // Pulumi inputs hold the real ids (subnet-..., rtb-...): index a stack's resources by id, task definitions by ARN too
            if (r.PulumiState is { } state && IsStackExport(r) && state.GetString("id") is { Length: > 0 } id)
                _pulumiIds.TryAdd((r.File, id), (r, "id"));
            if (r.PulumiState?.GetMap("outputs")?.GetString("arn") is { Length: > 0 } arn && IsStackExport(r))
                _pulumiIds.TryAdd((r.File, arn), (r, "arn"));
        }
        foreach (var r in model.OfKind("aws:ec2/vpc:Vpc").Where(IsStackExport))
            foreach (var (output, attribute) in new[] { ("defaultRouteTableId", "default_route_table_id"), ("mainRouteTableId", "main_route_table_id") })
                if (r.PulumiState!.GetMap("outputs")?.GetString(output) is { Length: > 0 } table)
                    _pulumiIds.TryAdd((r.File, table), (r, attribute));

        foreach (var u in model.UnexpandedTerraform)
            switch (u.Type)
            {
                case "aws_route_table_association": AssociationsUnknown = true; break;
                case "aws_main_route_table_association" or "aws_default_route_table": MainUnknown = true; break;
                case "aws_route" or "aws_vpn_gateway_route_propagation": RoutesUnknown = true; break;
                case "aws_vpc_endpoint" or "aws_vpc_endpoint_route_table_association" or "aws_vpc_endpoint_private_dns": EndpointsUnknown = true; break;
                case "module" when MayChangeRouting(u):
                    // a module Groundcrew does not read, given a VPC, subnets or route tables, may add routes, associations or endpoints
                    AssociationsUnknown = MainUnknown = RoutesUnknown = EndpointsUnknown = true;
                    break;
            }

        foreach (var r in Tf("aws_vpc")) _vpcs[r] = new Vpc(r);
        foreach (var vpc in _vpcs.Values)
        {
            vpc.Original = new RouteTable { Vpc = vpc };
            vpc.Main = vpc.Original;
        }

        // aws_default_route_table takes over the VPC's original main route table.
        foreach (var r in Tf("aws_default_route_table"))
        {
            var table = new RouteTable { Resource = r };
            _tables[r] = table;
            ReadInlineRoutes(table, r);
            if (Resolve(r, Get(r, "default_route_table_id")) is (var v, "default_route_table_id" or "main_route_table_id") && _vpcs.TryGetValue(v, out var vpc))
            {
                table.Vpc = vpc;
                if (vpc.Main == vpc.Original) vpc.Main = table;
                vpc.Original = table;
            }
            else MainUnknown = true;
        }

        foreach (var r in Tf("aws_route_table"))
        {
            var table = new RouteTable { Resource = r, Vpc = VpcOf(r, Get(r, "vpc_id")) };
            _tables[r] = table;
            ReadInlineRoutes(table, r);
            if (Get(r, "propagating_vgws") is { } vgws && !(vgws is SeqNode { Items.Count: 0 }) && !(vgws is ScalarNode { IsNull: true }))
                table.RoutesUnknown = true;
        }

        foreach (var r in Tf("aws_main_route_table_association"))
        {
            var vpc = VpcOf(r, Get(r, "vpc_id"));
            var table = TableOf(r, Get(r, "route_table_id"));
            if (vpc != null && table != null) vpc.Main = table;
            else if (vpc != null) vpc.Main = null;
            else MainUnknown = true;
        }

        foreach (var r in Tf("aws_route"))
        {
            var route = Route(r.Body, "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id", r);
            var table = TableOf(r, Get(r, "route_table_id"));
            // a route to private address space (null) is no way out wherever it is; any other one on an unknown table may be the way out
            if (table != null) { if (route != null) table.Routes.Add(route); }
            else if (route != null) RoutesUnknown = true;
        }
        foreach (var r in Tf("aws_vpn_gateway_route_propagation"))
        {
            if (TableOf(r, Get(r, "route_table_id")) is { } table) table.RoutesUnknown = true;
            else RoutesUnknown = true;
        }

        foreach (var r in Tf("aws_subnet"))
        {
            var subnet = new Subnet(r) { Vpc = VpcOf(r, Get(r, "vpc_id")) };
            subnet.MapPublicIp = Get(r, "map_public_ip_on_launch") switch
            {
                null => false,
                ScalarNode { Value: "true" } => true,
                ScalarNode { Value: "false" } or ScalarNode { IsNull: true } => false,
                _ => null,
            };
            _subnets[r] = subnet;
        }

        foreach (var r in Tf("aws_route_table_association"))
        {
            var subnetNode = Get(r, "subnet_id");
            if (subnetNode == null || subnetNode is ScalarNode { IsNull: true }) continue; // an edge association (gateway_id)
            if (Resolve(r, subnetNode) is not (var s, "id") || !_subnets.TryGetValue(s, out var subnet))
            {
                AssociationsUnknown = true;
                continue;
            }
            var table = TableOf(r, Get(r, "route_table_id"));
            if (table == null || subnet.Associated != null || subnet.AssociationUnknown)
            {
                subnet.AssociationUnknown = true;
                subnet.Associated = null;
                continue;
            }
            subnet.Associated = table;
            table.Subnets.Add(subnet);
        }

        foreach (var r in Tf("aws_vpc_endpoint"))
        {
            var vpc = VpcOf(r, Get(r, "vpc_id"));
            if (vpc == null) { EndpointsUnknown = true; continue; }
            var endpoint = new VpcEndpoint(r) { Service = ServiceName(Get(r, "service_name")) };
            _endpoints[r] = endpoint;
            vpc.Endpoints.Add(endpoint);
            if (endpoint.Service == null) { vpc.EndpointsUnknown = true; continue; }
            switch (Get(r, "vpc_endpoint_type"))
            {
                case null or ScalarNode { IsNull: true } or ScalarNode { Value: "Gateway" }: endpoint.IsGateway = true; break;
                case ScalarNode { Value: "Interface" }: break;
                case ScalarNode: continue; // GatewayLoadBalancer, Resource, ServiceNetwork: not a service endpoint
                default: vpc.EndpointsUnknown = true; continue;
            }
            endpoint.PrivateDns = Get(r, "private_dns_enabled") switch
            {
                null or ScalarNode { Value: "false" } or ScalarNode { IsNull: true } => Tri.No,
                ScalarNode { Value: "true" } => Tri.Yes,
                _ => Tri.Unknown,
            };
            if (endpoint.IsGateway)
                switch (Get(r, "route_table_ids"))
                {
                    case null or ScalarNode { IsNull: true }: break;
                    case SeqNode ids:
                        foreach (var id in ids.Items)
                            if (TableOf(r, id) is { } t) endpoint.RouteTables.Add(t);
                            else endpoint.RouteTablesUnknown = true;
                        break;
                    default: endpoint.RouteTablesUnknown = true; break;
                }
        }
        foreach (var r in Tf("aws_vpc_endpoint_route_table_association"))
        {
            var endpoint = Resolve(r, Get(r, "vpc_endpoint_id")) is (var e, "id") ? _endpoints.GetValueOrDefault(e) : null;
            var table = TableOf(r, Get(r, "route_table_id"));
            if (endpoint != null && table != null) endpoint.RouteTables.Add(table);
            else if (endpoint != null) endpoint.RouteTablesUnknown = true;
            else EndpointsUnknown = true;
        }
        foreach (var r in Tf("aws_vpc_endpoint_private_dns"))
        {
            var endpoint = Resolve(r, Get(r, "vpc_endpoint_id")) is (var e, "id") ? _endpoints.GetValueOrDefault(e) : null;
            if (endpoint == null) { EndpointsUnknown = true; continue; }
            endpoint.PrivateDns = Get(r, "private_dns_enabled") switch
            {
                ScalarNode { Value: "true" } => Tri.Yes,
                ScalarNode { Value: "false" } => Tri.No,
                _ => Tri.Unknown,
            };
        }
    }

    /// <summary>Pulumi AWS type tokens read here, with the Terraform type they match (inputs are the camelCase of the Terraform arguments).</summary>
    private static readonly Dictionary<string, string> PulumiTypes = new(StringComparer.Ordinal)
    {
        ["aws:ec2/vpc:Vpc"] = "aws_vpc",
        ["aws:ec2/subnet:Subnet"] = "aws_subnet",
        ["aws:ec2/routeTable:RouteTable"] = "aws_route_table",
        ["aws:ec2/defaultRouteTable:DefaultRouteTable"] = "aws_default_route_table",
        ["aws:ec2/route:Route"] = "aws_route",
        ["aws:ec2/routeTableAssociation:RouteTableAssociation"] = "aws_route_table_association",
        ["aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"] = "aws_main_route_table_association",
        ["aws:ec2/vpcEndpoint:VpcEndpoint"] = "aws_vpc_endpoint",
        ["aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation"] = "aws_vpc_endpoint_route_table_association",
        ["aws:vpc/endpointPrivateDns:EndpointPrivateDns"] = "aws_vpc_endpoint_private_dns",
        ["aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation"] = "aws_vpn_gateway_route_propagation",
        ["aws:ec2/internetGateway:InternetGateway"] = "aws_internet_gateway",
        ["aws:ec2/natGateway:NatGateway"] = "aws_nat_gateway",
        ["aws:ecs/service:Service"] = "aws_ecs_service",
        ["aws:eks/nodeGroup:NodeGroup"] = "aws_eks_node_group",
    };

    /// <summary>The Terraform type of a Terraform or Pulumi resource (aws_subnet for aws:ec2/subnet:Subnet); null for others.</summary>
    public static string? TypeOf(Resource r) => r.Family switch
    {
        ResourceFamily.Terraform => r.Kind,
        ResourceFamily.Pulumi => PulumiTypes.GetValueOrDefault(r.Kind),
        ResourceFamily.EcsTaskDefinition when r.Address != null || r.PulumiState != null => "aws_ecs_task_definition",
        _ => null,
    };

    /// <summary>An argument by its Terraform name; Pulumi inputs use the camelCase name (and routes, capacityProviderStrategies).</summary>
    public static Node? Get(Resource owner, MapNode body, string key) =>
        owner.Family == ResourceFamily.Terraform ? body[key] : body[key switch
        {
            "route" => "routes",
            "capacity_provider_strategy" => "capacityProviderStrategies",
            _ => TerraformValueToTree.Camel(key),
        }];

    private static Node? Get(Resource r, string key) => Get(r, r.Body, key);

    /// <summary>A resource state of a <c>pulumi stack export</c> (the whole stack); previews list only what changes.</summary>
    private static bool IsStackExport(Resource r) =>
        r.PulumiState is { Parent: SeqNode { KeyInParent: "resources", Parent: MapNode { KeyInParent: "deployment" } } };

    /// <summary>The Terraform resources (not data sources) of that type and the Pulumi stack-export resources of the matching type.</summary>
    public IEnumerable<Resource> Of(string type) =>
        _model.OfKind(type).Where(r => r.Family == ResourceFamily.Terraform && r.TerraformRoot != null && r.Address != null && !IsDataSource(r.Address))
            .Concat(PulumiTypes.Where(p => p.Value == type).SelectMany(p => _model.OfKind(p.Key)).Where(r => r.Family == ResourceFamily.Pulumi && IsStackExport(r)));

    private IEnumerable<Resource> Tf(string type) => Of(type);

    /// <summary>How a finding names a resource: the Terraform address, or the Pulumi type and name.</summary>
    public static string DisplayName(Resource r) => r.Address ?? (r.PulumiState != null ? $"{r.Kind} \"{r.Name}\"" : r.Name);

    /// <summary>data.aws_vpc.x or module.m.data.aws_vpc.x (data sources have the same Kind as the resource type).</summary>
    internal static bool IsDataSource(string address)
    {
        var rest = address;
        while (rest.StartsWith("module.", StringComparison.Ordinal))
        {
            var dot = rest.IndexOf('.', "module.".Length);
            if (dot < 0) return false;
            rest = rest[(dot + 1)..];
        }
        return rest.StartsWith("data.", StringComparison.Ordinal);
    }

    /// <summary>
    /// The scanned resource a value refers to, in the root module <paramref name="from"/> was evaluated from, and the
    /// attribute read from it: <c>aws_subnet.private[0].id</c> gives the subnet and <c>id</c>. Null for literals,
    /// variables, data sources outside the scan, or anything computed from a reference.
    /// </summary>
    public (Resource Resource, string Attribute)? Resolve(Resource from, Node? value)
    {
        if (from.PulumiState != null)
            return value is ScalarNode { Value: { Length: > 0 } id } && _pulumiIds.TryGetValue((from.File, id), out var target) ? target : null;
        if (value is not UnknownNode { Ref: { } reference } u || !string.IsNullOrEmpty(u.RefPrefix) || !string.IsNullOrEmpty(u.RefSuffix)) return null;
        return ResolveRef(from, reference);
    }

    /// <summary>A reference resolved in the Terraform root module (or plan) <paramref name="from"/> belongs to.</summary>
    public (Resource Resource, string Attribute)? ResolveRef(Resource from, string reference) =>
        from.TerraformRoot != null && from.Scope != null ? _model.ResolveRef(reference, from.Scope) : null;

    /// <summary>The subnet a workload's subnet id refers to (null when it is not a declared aws_subnet).</summary>
    public Subnet? SubnetFor(Resource from, Node? value) =>
        Resolve(from, value) is (var s, "id") ? _subnets.GetValueOrDefault(s) : null;

    private Vpc? VpcOf(Resource from, Node? value) =>
        Resolve(from, value) is (var v, "id") ? _vpcs.GetValueOrDefault(v) : null;

    private RouteTable? TableOf(Resource from, Node? value)
    {
        switch (Resolve(from, value))
        {
            case (var t, "id") when _tables.ContainsKey(t):
                return _tables[t];
            case (var v, "default_route_table_id" or "main_route_table_id"):
                return _vpcs.TryGetValue(v, out var vpc) ? vpc.Original : null;
            default:
                return null;
        }
    }

    /// <summary>The route table a subnet uses: its association, else its VPC's main route table. Null when not known.</summary>
    public RouteTable? RouteTableOf(Subnet subnet)
    {
        if (subnet.AssociationUnknown) return null;
        if (subnet.Associated != null) return subnet.Associated;
        if (AssociationsUnknown || MainUnknown || subnet.Vpc == null) return null;
        return subnet.Vpc.Main;
    }

    /// <summary>Where the table sends internet traffic: a NAT gateway wins; anything not known makes the answer unknown.</summary>
    public Egress EgressOf(RouteTable table)
    {
        if (table.Routes.Any(r => r.Target == Egress.Nat && r.Destination == "0.0.0.0/0")) return Egress.Nat;
        if (table.RoutesUnknown || RoutesUnknown || table.Routes.Any(r => r.Target == Egress.Unknown)) return Egress.Unknown;
        if (table.Routes.Any(r => r.Target == Egress.InternetGateway && r.Destination == "0.0.0.0/0")) return Egress.InternetGateway;
        if (table.Routes.Any(r => r.Target != Egress.None)) return Egress.Unknown; // a NAT or gateway route to part of the internet
        return Egress.None;
    }

    /// <summary>Whether a workload in <paramref name="subnet"/> using <paramref name="table"/> reaches the service through a VPC endpoint.</summary>
    public Tri Reaches(Subnet subnet, RouteTable table, string service, out VpcEndpoint? withoutPrivateDns)
    {
        withoutPrivateDns = null;
        var vpc = subnet.Vpc;
        if (vpc == null) return Tri.Unknown;
        var answer = EndpointsUnknown || vpc.EndpointsUnknown ? Tri.Unknown : Tri.No;
        foreach (var e in vpc.Endpoints.Where(e => e.Service == service))
        {
            if (e.IsGateway)
            {
                if (e.RouteTables.Contains(table)) return Tri.Yes;
                if (e.RouteTablesUnknown) answer = Tri.Unknown;
            }
            else if (e.PrivateDns == Tri.Yes) return Tri.Yes;
            else if (e.PrivateDns == Tri.Unknown) answer = Tri.Unknown;
            else withoutPrivateDns ??= e;
        }
        return answer;
    }

    /// <summary>Route tables of the VPC that send 0.0.0.0/0 to a NAT gateway and that no subnet is associated with: the table a private subnet probably meant to use.</summary>
    public IEnumerable<RouteTable> UnusedNatTables(Vpc vpc) =>
        _tables.Values.Where(t => t.Vpc == vpc && t.Subnets.Count == 0 && vpc.Main != t && EgressOf(t) == Egress.Nat);

    private void ReadInlineRoutes(RouteTable table, Resource r)
    {
        switch (Get(r, "route"))
        {
            case null or ScalarNode { IsNull: true }: return;
            case SeqNode routes:
                foreach (var item in routes.Items)
                    if (item is MapNode m) { if (Route(m, "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id", r) is { } route) table.Routes.Add(route); }
                    else table.RoutesUnknown = true;
                return;
            default:
                table.RoutesUnknown = true;
                return;
        }
    }

    private static bool Set(Node? n) => n != null && n is not ScalarNode { IsNull: true } && !(n is ScalarNode { Value: "" });

    /// <summary>A route (inline or aws_route); null when it only stays inside the VPC or private address space.</summary>
    private RouteEntry? Route(MapNode body, string cidrKey, string ipv6Key, string prefixListKey, Resource owner)
    {
        Egress target;
        Node? At(string key) => Get(owner, body, key);
        if (Set(At("nat_gateway_id"))) target = Egress.Nat;
        else if (At("gateway_id") is { } g && Set(g)) target = GatewayKind(owner, g);
        else target = Egress.Unknown; // a transit gateway, peering, instance, ... or no target we know (OtherTargets)
        if (target == Egress.None) return null;

        var cidr = At(cidrKey);
        if (Set(cidr))
        {
            if (cidr is not ScalarNode { Value: { } c }) return new RouteEntry("?", Egress.Unknown, body);
            if (c == "0.0.0.0/0") return new RouteEntry(c, target, body);
            if (ParseCidr(c) is { } net && Facts.Value.Private.Any(p => Within(net, p))) return null;
            return new RouteEntry(c, target == Egress.Nat || target == Egress.InternetGateway ? Egress.Unknown : target, body);
        }
        if (Set(At(ipv6Key)) || Set(At(prefixListKey))) return new RouteEntry("?", Egress.Unknown, body);
        return new RouteEntry("?", Egress.Unknown, body);
    }

    private Egress GatewayKind(Resource owner, Node gateway)
    {
        if (gateway is ScalarNode { Value: { } id })
            return id == "local" ? Egress.None : id.StartsWith("igw-", StringComparison.Ordinal) ? Egress.InternetGateway
                : id.StartsWith("nat-", StringComparison.Ordinal) ? Egress.Nat : Egress.Unknown;
        return Resolve(owner, gateway) is (var target, "id")
            ? TypeOf(target) switch { "aws_internet_gateway" => Egress.InternetGateway, "aws_nat_gateway" => Egress.Nat, _ => Egress.Unknown }
            : Egress.Unknown;
    }

    /// <summary>ecr.api from com.amazonaws.us-east-1.ecr.api, also when the region is a reference (com.amazonaws.${data.aws_region.current.name}.ecr.api).</summary>
    internal static string? ServiceName(Node? node)
    {
        switch (node)
        {
            case ScalarNode { Value: { } s }:
            {
                var parts = s.Split('.');
                return parts.Length >= 4 && parts[0] == "com" && parts[1] == "amazonaws" ? string.Join('.', parts[3..]) : null;
            }
            case UnknownNode { Ref: not null, RefPrefix: { } prefix, RefSuffix: { } suffix }
                when prefix.EndsWith("amazonaws.", StringComparison.Ordinal) && suffix.StartsWith('.') && suffix.Length > 1 && !suffix.Contains('$'):
                return suffix[1..];
            default:
                return null;
        }
    }

    internal static (IPAddress Net, int Bits)? ParseCidr(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || !int.TryParse(cidr[(slash + 1)..], out var bits)) return null;
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || bits is < 0 or > 32) return null;
        return (ip, bits);
    }

    private static bool Within((IPAddress Net, int Bits) inner, (IPAddress Net, int Bits) outer)
    {
        if (inner.Bits < outer.Bits) return false;
        var a = BitConverter.ToUInt32(inner.Net.GetAddressBytes().Reverse().ToArray());
        var b = BitConverter.ToUInt32(outer.Net.GetAddressBytes().Reverse().ToArray());
        var mask = outer.Bits == 0 ? 0u : uint.MaxValue << (32 - outer.Bits);
        return (a & mask) == (b & mask);
    }
}
