resource "aws_eks_node_group" "default" {
  cluster_name    = "shop"
  node_group_name = "default"
  node_role_arn   = "arn:aws:iam::305032652600:role/shop-nodes"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["m6i.large", "m5.large"]

  scaling_config {
    desired_size = 3
    max_size     = 6
    min_size     = 3
  }
}
