using FluentAssertions;
using Groundcrew.Model;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Architecture;

public class ArchitectureFactsTests
{
    private static ArchitectureFacts Facts(params (string, string)[] files) => Scan.Files(files).Model.Architectures;

    [Fact]
    public void Terraform_node_groups_by_instance_types_ami_type_and_default()
    {
        var facts = Facts(("infra/eks.tf", """
            resource "aws_eks_node_group" "graviton" {
              cluster_name   = "c"
              instance_types = ["m7g.large", "c7g.large"]
            }
            resource "aws_eks_node_group" "bottlerocket" {
              cluster_name = "c"
              ami_type     = "BOTTLEROCKET_ARM_64"
              instance_types = [var.instance_type]
            }
            resource "aws_eks_node_group" "plain" {
              cluster_name = "c"
            }
            resource "aws_eks_node_group" "from_variable" {
              cluster_name   = "c"
              instance_types = [var.instance_type]
            }
            variable "instance_type" {}
            data "aws_eks_node_group" "existing" {
              cluster_name    = "c"
              node_group_name = "existing"
            }
            """));
        facts.Nodes.Should().HaveCount(4, "a data source reads a node group made elsewhere");
        var g = facts.Nodes.Single(n => n.Target == "aws_eks_node_group.graviton");
        g.Arch.Should().Be(CpuArch.Arm64);
        g.Span.File.Should().Be("infra/eks.tf");
        g.Span.StartLine.Should().Be(3);
        facts.Nodes.Single(n => n.Target == "aws_eks_node_group.bottlerocket").Arch.Should().Be(CpuArch.Arm64);
        facts.Nodes.Single(n => n.Target == "aws_eks_node_group.plain").Arch.Should().Be(CpuArch.Amd64, "EKS defaults to t3.medium");
        facts.Nodes.Single(n => n.Target == "aws_eks_node_group.from_variable").Arch.Should().Be(CpuArch.Unknown);
        facts.ClusterNodes.Should().Be(CpuArch.Unknown, "one node group is unknown");
    }

    [Fact]
    public void Launch_template_instance_type_decides_a_node_group_that_names_it()
    {
        var facts = Facts(("eks.tf", """
            resource "aws_launch_template" "nodes" {
              name          = "shop-nodes"
              instance_type = "r6g.xlarge"
            }
            resource "aws_eks_node_group" "main" {
              cluster_name = "c"
              launch_template {
                name    = "shop-nodes"
                version = "$Latest"
              }
            }
            """));
        facts.Nodes.Should().ContainSingle().Which.Arch.Should().Be(CpuArch.Arm64);
        facts.LaunchTemplates.Should().ContainSingle().Which.Arch.Should().Be(CpuArch.Arm64);
        facts.ClusterNodes.Should().Be(CpuArch.Arm64);
    }

    [Fact]
    public void Terraform_aws_modules_eks_managed_node_groups()
    {
        var facts = Facts(("main.tf", """
            module "eks" {
              source  = "terraform-aws-modules/eks/aws"
              version = "~> 20.0"
              cluster_name = "shop"
              eks_managed_node_groups = {
                general = {
                  instance_types = ["m5.large"]
                }
                arm = {
                  ami_type       = "AL2023_ARM_64_STANDARD"
                  instance_types = ["m7g.large"]
                }
              }
            }
            """));
        facts.Nodes.Should().HaveCount(2);
        facts.Nodes.Single(n => n.Target.Contains("general")).Arch.Should().Be(CpuArch.Amd64);
        facts.Nodes.Single(n => n.Target.Contains("arm")).Arch.Should().Be(CpuArch.Arm64);
        facts.ClusterNodes.Should().Be(CpuArch.Amd64 | CpuArch.Arm64);
    }

    [Fact]
    public void Eksctl_cluster_config_node_groups()
    {
        var facts = Facts(("cluster.yaml", """
            apiVersion: eksctl.io/v1alpha5
            kind: ClusterConfig
            metadata:
              name: shop
              region: us-east-1
            managedNodeGroups:
              - name: arm
                instanceType: t4g.medium
              - name: spot
                instanceTypes: ["m5.large", "m5a.large"]
            """));
        facts.Nodes.Should().HaveCount(2);
        facts.Nodes.Single(n => n.Target.EndsWith("arm")).Arch.Should().Be(CpuArch.Arm64);
        facts.Nodes.Single(n => n.Target.EndsWith("arm")).Span.StartLine.Should().Be(8);
        facts.Nodes.Single(n => n.Target.EndsWith("spot")).Arch.Should().Be(CpuArch.Amd64);
    }

    [Fact]
    public void Karpenter_node_pool_arch_requirement_and_missing_requirement()
    {
        var facts = Facts(("karpenter.yaml", """
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata:
              name: arm
            spec:
              template:
                spec:
                  requirements:
                    - key: kubernetes.io/arch
                      operator: In
                      values: ["arm64"]
            ---
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata:
              name: any
            spec:
              template:
                spec:
                  requirements:
                    - key: karpenter.sh/capacity-type
                      operator: In
                      values: ["spot"]
            """));
        facts.Nodes.Single(n => n.Target == "arm").Arch.Should().Be(CpuArch.Arm64);
        facts.Nodes.Single(n => n.Target == "any").Arch.Should().Be(CpuArch.Unknown);
    }

    [Fact]
    public void Workloads_that_pin_an_architecture_and_the_cluster_fallback()
    {
        var result = Scan.Files(
            ("k8s/apps.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: pinned}
                spec:
                  template:
                    spec:
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                              - matchExpressions:
                                  - key: kubernetes.io/arch
                                    operator: In
                                    values: [arm64]
                      containers: [{name: a, image: a:1}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: free}
                spec:
                  template:
                    spec:
                      containers: [{name: b, image: b:1}]
                """),
            ("eks.tf", "resource \"aws_eks_node_group\" \"n\" {\n  instance_types = [\"c6i.large\"]\n}\n"));
        var facts = result.Model.Architectures;
        var pinned = result.Model.Workloads.Single(w => w.Resource.Name == "pinned");
        var free = result.Model.Workloads.Single(w => w.Resource.Name == "free");
        facts.ForWorkload(pinned)!.Arch.Should().Be(CpuArch.Arm64);
        facts.ForWorkload(pinned)!.Span.StartLine.Should().Be(14);
        facts.ForWorkload(free)!.Arch.Should().Be(CpuArch.Amd64);
        facts.ForWorkload(free)!.Span.File.Should().Be("eks.tf");
    }

    [Fact]
    public void Ecs_task_definitions_runtime_platform_fargate_default_and_ec2_unknown()
    {
        var facts = Facts(
            ("ecs/arm.json", """{"family": "arm", "requiresCompatibilities": ["FARGATE"], "runtimePlatform": {"cpuArchitecture": "ARM64"}, "containerDefinitions": [{"name": "a", "image": "a"}]}"""),
            ("ecs/fargate.json", """{"family": "fargate", "requiresCompatibilities": ["FARGATE"], "containerDefinitions": [{"name": "a", "image": "a"}]}"""),
            ("ecs/ec2.json", """{"family": "ec2", "containerDefinitions": [{"name": "a", "image": "a"}]}"""),
            ("ecs/td.tf", """
                resource "aws_ecs_task_definition" "tf" {
                  family                   = "tf"
                  requires_compatibilities = ["FARGATE"]
                  container_definitions    = jsonencode([{ name = "a", image = "a" }])
                  runtime_platform {
                    cpu_architecture        = "ARM64"
                    operating_system_family = "LINUX"
                  }
                }
                """));
        facts.TaskDefinitions.Single(t => t.Target == "arm").Arch.Should().Be(CpuArch.Arm64);
        facts.TaskDefinitions.Single(t => t.Target == "fargate").Arch.Should().Be(CpuArch.Amd64);
        facts.TaskDefinitions.Single(t => t.Target == "ec2").Arch.Should().Be(CpuArch.Unknown);
        var tf = facts.TaskDefinitions.Single(t => t.Target == "tf");
        tf.Arch.Should().Be(CpuArch.Arm64);
        tf.Span.StartLine.Should().Be(6, "the cpu_architecture line");
    }
}
