variable "reports_subject" {}

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
          "oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F:sub" = "system:serviceaccount:cloudmart:cloudmart-backend-sa"
          "oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

data "aws_iam_policy_document" "billing_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringLike"
      variable = "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub"
      values   = ["system:serviceaccount:*:billing-*"]
    }
  }
}

resource "aws_iam_role" "billing" {
  name               = "billing-service-role"
  assume_role_policy = data.aws_iam_policy_document.billing_trust.json
}

resource "aws_iam_role" "reports" {
  name = "reports-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = var.reports_subject
        }
      }
    }]
  })
}

resource "aws_iam_role" "exporter" {
  name = "exporter-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "pods.eks.amazonaws.com" }, Action = ["sts:AssumeRole", "sts:TagSession"] }]
  })
}

resource "aws_eks_pod_identity_association" "exporter" {
  cluster_name    = aws_eks_cluster.main.name
  namespace       = "analytics"
  service_account = "exporter"
  role_arn        = aws_iam_role.exporter.arn
}

module "orders_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.39.0"

  role_name = "orders-irsa"
  oidc_providers = {
    main = {
      provider_arn               = aws_iam_openid_connect_provider.eks.arn
      namespace_service_accounts = ["shop:orders"]
    }
  }
}
