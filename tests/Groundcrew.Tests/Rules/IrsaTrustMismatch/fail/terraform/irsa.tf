resource "aws_eks_cluster" "main" {
  name     = "cloudmart"
  role_arn = "arn:aws:iam::654654369498:role/eks-cluster"
  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d"]
  }
}

resource "aws_iam_openid_connect_provider" "eks" {
  url             = aws_eks_cluster.main.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

# The trust names another namespace and ServiceAccount than the one carrying the ARN.
resource "aws_iam_role" "backend" {
  name = "cloudmart-eks-pod-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::654654369498:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F:sub" = "system:serviceaccount:backend:cloudmart-sa"
          "oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# The issuer host is computed; the ServiceAccount name is still wrong.
data "aws_iam_policy_document" "billing_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub"
      values   = ["system:serviceaccount:ftc-app:billing"]
    }
  }
}

resource "aws_iam_role" "billing" {
  name               = "billing-service-role"
  assume_role_policy = data.aws_iam_policy_document.billing_trust.json
}

# A role for EC2 instances handed to a pod: no web identity statement at all.
resource "aws_iam_role" "reports" {
  name = "reports-ec2-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# The right subject, but an audience the pod's token does not carry.
resource "aws_iam_role" "exporter" {
  name = "exporter-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = "system:serviceaccount:analytics:exporter"
          "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud" = "sts.amazonaws.com.cn"
        }
      }
    }]
  })
}

# terraform-aws-modules IRSA role: trusts shop:orders-sa, the ServiceAccount is shop/orders.
module "orders_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.39.0"

  role_name = "orders-irsa"
  oidc_providers = {
    main = {
      provider_arn               = aws_iam_openid_connect_provider.eks.arn
      namespace_service_accounts = ["shop:orders-sa"]
    }
  }
}

resource "aws_iam_role" "worker" {
  name = "worker-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = "system:serviceaccount:jobs:worker"
        }
      }
    }]
  })
}
