using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Model.Aws;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PrivateSubnetNoEgress;

/// <summary>
/// A Fargate service in private subnets without a NAT route and without the VPC endpoints it needs (D3). The network
/// is the one the subnets actually use: the associated route table, else the VPC's main route table.
/// </summary>
public class PrivateSubnetNoEgressTests
{
    private const string Rule = "private-subnet-no-egress";

    /// <summary>A VPC with two private subnets, a private route table, and a service that needs ECR, Secrets Manager and logs.</summary>
    private static string Network(string extra = "", string routes = "", string associations = "", string subnets = "aws_subnet.private[*].id",
        string image = "\"210987654321.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2\"", string service = "") => $$"""
        data "aws_region" "current" {}

        resource "aws_vpc" "main" {
          cidr_block = "10.0.0.0/16"
        }

        resource "aws_subnet" "private" {
          count      = 2
          vpc_id     = aws_vpc.main.id
          cidr_block = "10.0.1${count.index}.0/24"
        }

        resource "aws_route_table" "private" {
          vpc_id = aws_vpc.main.id
          {{routes}}
        }
        {{associations}}
        {{extra}}

        resource "aws_ecs_task_definition" "api" {
          family                   = "api"
          requires_compatibilities = ["FARGATE"]
          network_mode             = "awsvpc"
          container_definitions = jsonencode([{
            name    = "api"
            image   = {{image}}
            secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod/db" }]
            logConfiguration = { logDriver = "awslogs", options = { awslogs-group = "/ecs/api" } }
          }])
        }

        resource "aws_ecs_service" "api" {
          name            = "api"
          task_definition = aws_ecs_task_definition.api.arn
          launch_type     = "FARGATE"
          network_configuration {
            subnets = {{subnets}}
          }
          {{service}}
        }
        """;

    private const string Associated = """
        resource "aws_route_table_association" "private" {
          count          = 2
          subnet_id      = aws_subnet.private[count.index].id
          route_table_id = aws_route_table.private.id
        }
        """;

    private const string NatRoute = """
          route {
            cidr_block     = "0.0.0.0/0"
            nat_gateway_id = "nat-0123456789abcdef0"
          }
        """;

    private static string Endpoint(string service, string type = "Interface", string more = "private_dns_enabled = true") => $$"""
        resource "aws_vpc_endpoint" "{{service.Replace('.', '_')}}" {
          vpc_id            = aws_vpc.main.id
          service_name      = "com.amazonaws.${data.aws_region.current.name}.{{service}}"
          vpc_endpoint_type = "{{type}}"
          {{more}}
        }
        """;

    private static string AllEndpoints(params string[] except) =>
        string.Join("\n", new[] { "ecr.api", "ecr.dkr", "secretsmanager", "logs" }.Except(except).Select(s => Endpoint(s)))
        + "\n" + (except.Contains("s3") ? "" : Endpoint("s3", "Gateway", "route_table_ids = [aws_route_table.private.id]")) + "\n";

    private static List<Finding> Run(string tf)
    {
        var result = Scan.Files(("infra/main.tf", tf));
        result.Findings.Should().NotContain(f => f.RuleId == "input-error", "the test's Terraform must parse");
        return result.Of(Rule).ToList();
    }

    [Fact]
    public void Subnets_on_the_main_route_table_while_the_nat_table_has_no_association_point_at_the_nat_table_as_the_fix()
    {
        var f = Run(Network(routes: NatRoute)).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.StartLine.Should().Be(Line(Network(routes: NatRoute), "subnets = aws_subnet.private"));
        f.Message.Should().Contain("aws_subnet.private[0] and aws_subnet.private[1]").And.Contain("the VPC's main route table (no route table association")
            .And.Contain("ecr.api, ecr.dkr, s3, secretsmanager and logs");
        f.Related.Should().Contain(r => r.Message.Contains("aws_route_table.private routes 0.0.0.0/0 to a NAT gateway but no subnet is associated"));
        f.Fix.Should().Contain("aws_route_table_association").And.Contain("route_table_id = aws_route_table.private.id");
    }

    [Fact]
    public void Associating_the_subnets_with_the_nat_route_table_fixes_it() =>
        Run(Network(routes: NatRoute, associations: Associated)).Should().BeEmpty();

    [Fact]
    public void A_nat_route_added_with_aws_route_counts_like_an_inline_one()
    {
        const string route = """
            resource "aws_route" "nat" {
              route_table_id         = aws_route_table.private.id
              destination_cidr_block = "0.0.0.0/0"
              nat_gateway_id         = "nat-0123456789abcdef0"
            }
            """;
        Run(Network(associations: Associated, extra: route)).Should().BeEmpty();
        Run(Network(associations: Associated)).Should().ContainSingle().Which.Message.Should().Contain("route table aws_route_table.private");
    }

    [Fact]
    public void Only_the_endpoints_that_are_missing_are_listed()
    {
        Run(Network(associations: Associated, extra: AllEndpoints())).Should().BeEmpty("every service the task needs has an endpoint");
        var f = Run(Network(associations: Associated, extra: AllEndpoints("secretsmanager"))).Should().ContainSingle().Subject;
        f.Message.Should().Contain("no usable endpoint for secretsmanager").And.NotContain("ecr.api").And.Contain("read secrets from Secrets Manager");
        f.Fix.Should().Contain("Interface endpoints with private_dns_enabled = true for secretsmanager");
    }

    [Fact]
    public void An_s3_gateway_endpoint_only_serves_the_route_tables_it_is_associated_with()
    {
        var other = """
            resource "aws_route_table" "other" {
              vpc_id = aws_vpc.main.id
            }
            """;
        var endpoints = "\n" + string.Join("\n", new[] { "ecr.api", "ecr.dkr", "secretsmanager", "logs" }.Select(s => Endpoint(s)))
                        + "\n" + Endpoint("s3", "Gateway", "route_table_ids = [aws_route_table.other.id]") + "\n";
        Run(Network(associations: Associated, extra: other + endpoints)).Should().ContainSingle().Which.Message.Should().Contain("no usable endpoint for s3");

        var association = """
            resource "aws_vpc_endpoint_route_table_association" "s3_private" {
              vpc_endpoint_id = aws_vpc_endpoint.s3.id
              route_table_id  = aws_route_table.private.id
            }
            """;
        Run(Network(associations: Associated, extra: other + endpoints + association)).Should().BeEmpty();
    }

    [Fact]
    public void An_interface_endpoint_without_private_dns_does_not_count_and_the_message_says_why()
    {
        var endpoints = AllEndpoints("logs") + Endpoint("logs", more: "") + "\n";
        var f = Run(Network(associations: Associated, extra: endpoints)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("no usable endpoint for logs").And.Contain("aws_vpc_endpoint.logs (logs) has private_dns_enabled unset or false");
    }

    [Fact]
    public void An_image_from_docker_hub_needs_the_internet_whatever_endpoints_exist()
    {
        var f = Run(Network(associations: Associated, extra: AllEndpoints(), image: "\"nginx:1.27\"")).Should().ContainSingle().Subject;
        f.Message.Should().Contain("nginx:1.27 (docker.io) can only be pulled over the internet");
    }

    [Fact]
    public void A_public_subnet_route_is_useless_without_a_public_ip()
    {
        const string igw = """
              route {
                cidr_block = "0.0.0.0/0"
                gateway_id = aws_internet_gateway.igw.id
              }
            """;
        const string gateway = """
            resource "aws_internet_gateway" "igw" {
              vpc_id = aws_vpc.main.id
            }
            """;
        var f = Run(Network(routes: igw, associations: Associated, extra: gateway)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("goes to an internet gateway").And.Contain("assign_public_ip is false");
        f.Fix.Should().Contain("assign_public_ip = true");
        Run(Network(routes: igw, associations: Associated, extra: gateway, service: "")
            .Replace("subnets = aws_subnet.private[*].id", "subnets = aws_subnet.private[*].id\n    assign_public_ip = true")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("variable \"subnet_ids\" {\n  type = list(string)\n}", "var.subnet_ids")]
    [InlineData("data \"aws_subnets\" \"private\" {}", "data.aws_subnets.private.ids")]
    [InlineData("module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}", "module.vpc.private_subnets")]
    public void Subnets_that_are_not_declared_in_the_scan_say_nothing(string declaration, string subnets) =>
        Run(Network(routes: NatRoute, extra: declaration, subnets: subnets)).Should().BeEmpty();

    [Fact]
    public void Anything_that_could_change_the_answer_and_is_not_known_says_nothing()
    {
        // an association whose count is only known at plan time
        Run(Network(extra: "variable \"n\" {\n  type = number\n}\nresource \"aws_route_table_association\" \"x\" {\n  count = var.n\n  subnet_id = aws_subnet.private[0].id\n  route_table_id = aws_route_table.private.id\n}")).Should().BeEmpty();
        // an endpoint whose service name is not known
        Run(Network(associations: Associated, extra: "variable \"svc\" {\n  type = string\n}\nresource \"aws_vpc_endpoint\" \"x\" {\n  vpc_id = aws_vpc.main.id\n  service_name = var.svc\n}")).Should().BeEmpty();
        // a route to a transit gateway: the internet may be behind it
        Run(Network(associations: Associated, routes: "route {\n    cidr_block = \"0.0.0.0/0\"\n    transit_gateway_id = \"tgw-0123456789abcdef0\"\n  }")).Should().BeEmpty();
    }

    [Fact]
    public void A_task_definition_that_is_not_in_the_scan_still_needs_its_image_pulled()
    {
        // What else it needs is unknown; the image pull is not: with no NAT path and no ECR endpoints no registry is reachable.
        Run(Network(routes: NatRoute).Replace("task_definition = aws_ecs_task_definition.api.arn", "task_definition = \"arn:aws:ecs:eu-west-1:210987654321:task-definition/elsewhere:3\""))
            .Should().ContainSingle().Which.Message.Should().Contain("its task definition is not in the scan").And.NotContain("Secrets Manager");
    }

    [Fact]
    public void A_module_that_is_not_read_and_is_given_the_vpc_may_add_endpoints_or_routes_so_nothing_is_said()
    {
        const string endpoints = """
            module "endpoints" {
              source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
              vpc_id  = aws_vpc.main.id
            }
            """;
        Run(Network(associations: Associated, extra: endpoints)).Should().BeEmpty();

        const string unrelated = """
            module "ecs_cluster" {
              source       = "terraform-aws-modules/ecs/aws//modules/cluster"
              cluster_name = "prod"
            }
            module "ecs_service" {
              source     = "terraform-aws-modules/ecs/aws//modules/service"
              subnet_ids = aws_subnet.private[*].id
            }
            """;
        Run(Network(associations: Associated, extra: unrelated)).Should().ContainSingle("neither module declares routes or endpoints");
    }

    [Fact]
    public void A_route_on_a_table_that_is_not_known_matters_only_when_it_could_lead_to_the_internet()
    {
        const string route = "variable \"rt\" {\n  type = string\n}\nresource \"aws_route\" \"onprem\" {\n  route_table_id = var.rt\n  destination_cidr_block = \"10.64.0.0/10\"\n  transit_gateway_id = \"tgw-0123456789abcdef0\"\n}\n";
        Run(Network(associations: Associated, extra: route)).Should().ContainSingle("a route to private address space is no way out, whichever table it is in");
        Run(Network(associations: Associated, extra: route.Replace("10.64.0.0/10", "0.0.0.0/0"))).Should().BeEmpty("this default route may be in the subnets' table");
    }

    [Fact]
    public void A_task_definition_given_by_family_is_found_in_the_same_root_module() =>
        Run(Network(routes: NatRoute).Replace("task_definition = aws_ecs_task_definition.api.arn", "task_definition = \"api:7\"")).Should().ContainSingle();

    [Fact]
    public void The_same_addresses_in_two_root_modules_are_not_mixed_up()
    {
        var broken = Network(routes: NatRoute);
        var fixedOne = Network(routes: NatRoute, associations: Associated);
        var findings = Scan.Files(("prod/main.tf", fixedOne), ("staging/main.tf", broken)).Of(Rule).ToList();
        findings.Should().ContainSingle().Which.Span.File.Should().Be("staging/main.tf");
    }

    [Fact]
    public void The_topology_knows_which_route_table_a_subnet_uses()
    {
        var r = Scan.Files(("main.tf", Network(routes: NatRoute, associations: Associated)));
        var net = r.Model.Network;
        var subnet = net.Subnets.Should().HaveCount(2).And.Subject.First();
        var table = net.RouteTableOf(subnet)!;
        table.Name.Should().Be("aws_route_table.private");
        net.EgressOf(table).Should().Be(Egress.Nat);

        var bare = Scan.Files(("main.tf", Network(routes: NatRoute))).Model.Network;
        var main = bare.RouteTableOf(bare.Subnets.First())!;
        main.IsImplicitMain.Should().BeTrue();
        bare.EgressOf(main).Should().Be(Egress.None);
    }

    [Fact]
    public void Service_names_with_the_region_from_a_data_source_are_read_from_the_text_around_it()
    {
        var r = Scan.Files(("main.tf", Network(associations: Associated, extra: Endpoint("ecr.dkr"))));
        var net = r.Model.Network;
        net.Reaches(net.Subnets.First(), net.RouteTables.Single(t => t.Name == "aws_route_table.private"), "ecr.dkr", out _).Should().Be(Tri.Yes);
    }

    [Fact]
    public void An_eks_node_group_in_a_subnet_without_a_way_out_is_reported_with_the_endpoints_nodes_need()
    {
        var tf = Network(associations: Associated) + """

            resource "aws_eks_node_group" "default" {
              cluster_name  = "prod"
              node_role_arn = "arn:aws:iam::210987654321:role/node"
              subnet_ids    = [aws_subnet.private[0].id]
            }
            """;
        Run(tf).Should().Contain(f => f.Message.Contains("EKS node group aws_eks_node_group.default") && f.Message.Contains("ec2, ecr.api, ecr.dkr and s3"));
    }

    /// <summary>The d-stage3v3 stack export (D3: the private subnets have no association), changed by <paramref name="edit"/>.</summary>
    private static List<Finding> RunPulumi(Func<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonNode> edit)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "examples", "d-stage3v3", "infra", "pulumi", "stack-export.json"));
        var doc = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        var json = edit(doc).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        return Scan.Files(("stack.json", json)).Of(Rule).ToList();
    }

    [Fact]
    public void Pulumi_stack_export_with_the_associations_is_clean_and_a_preview_is_not_judged()
    {
        RunPulumi(d => d).Should().ContainSingle("the example reproduces D3");
        RunPulumi(d =>
        {
            var resources = d["deployment"]!["resources"]!.AsArray();
            foreach (var (name, subnet) in new[] { ("a", "subnet-0private0000000a"), ("b", "subnet-0private0000000b") })
                resources.Add(System.Text.Json.Nodes.JsonNode.Parse($$"""
                    { "urn": "urn:pulumi:stage3v3::agentic-aws::aws:ec2/routeTableAssociation:RouteTableAssociation::private-{{name}}-rta",
                      "custom": true, "type": "aws:ec2/routeTableAssociation:RouteTableAssociation", "id": "rtbassoc-0private{{name}}",
                      "inputs": { "subnetId": "{{subnet}}", "routeTableId": "rtb-0private000000001" } }
                    """));
            return d;
        }).Should().BeEmpty();
        // pulumi preview --json lists only the steps that change: an association may simply not be in it
        RunPulumi(d =>
        {
            var steps = new System.Text.Json.Nodes.JsonArray();
            foreach (var r in d["deployment"]!["resources"]!.AsArray())
                steps.Add(new System.Text.Json.Nodes.JsonObject { ["op"] = "same", ["urn"] = r!["urn"]!.GetValue<string>(), ["newState"] = r.DeepClone() });
            return new System.Text.Json.Nodes.JsonObject { ["steps"] = steps };
        }).Should().BeEmpty();
    }

    private static int Line(string text, string contains) =>
        text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(contains)).i + 1;
}
