resource "aws_vpc" "eks" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "nodes" {
  vpc_id     = aws_vpc.eks.id
  cidr_block = "10.2.32.0/19"
}

# Associated explicitly, but the table has no route out and the VPC has no endpoints.
resource "aws_route_table" "nodes" {
  vpc_id = aws_vpc.eks.id
}

resource "aws_route_table_association" "nodes" {
  subnet_id      = aws_subnet.nodes.id
  route_table_id = aws_route_table.nodes.id
}

resource "aws_eks_node_group" "default" {
  cluster_name    = "prod"
  node_group_name = "default"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = [aws_subnet.nodes.id]
  scaling_config {
    desired_size = 2
    max_size     = 3
    min_size     = 1
  }
}
