# ServiceAccounts declared with the Terraform kubernetes provider whose role trusts them, or that cannot be compared.

variable "namespace" {
  type = string
}

locals {
  oidc_host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
}

resource "aws_iam_role" "app" {
  name = "app-irsa"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/${local.oidc_host}" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = "system:serviceaccount:default:app"
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# No namespace: the provider's default namespace "default", which the trust names.
resource "kubernetes_service_account" "app" {
  metadata {
    name = "app"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn
    }
  }
}

resource "aws_iam_role" "worker" {
  name = "worker-irsa"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/${local.oidc_host}" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "${local.oidc_host}:sub" = "system:serviceaccount:jobs:worker" }
      }
    }]
  })
}

# Namespace from a variable without default: unknown, no finding.
resource "kubernetes_service_account_v1" "worker_unknown_ns" {
  metadata {
    name      = "worker-other"
    namespace = var.namespace
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.worker.arn
    }
  }
}

# Name computed at apply time: unknown, no finding.
resource "random_pet" "sa" {}

resource "kubernetes_service_account_v1" "worker_unknown_name" {
  metadata {
    name      = random_pet.sa.id
    namespace = "jobs"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.worker.arn
    }
  }
}

# A literal ARN and a literal namespace that match.
resource "kubernetes_service_account_v1" "worker" {
  metadata {
    name      = "worker"
    namespace = "jobs"
    annotations = {
      "eks.amazonaws.com/role-arn" = "arn:aws:iam::111122223333:role/worker-irsa"
    }
  }
}

# A role computed elsewhere (a module output of a module not in the scanned code): unknown, no finding.
module "remote_irsa" {
  source = "git::https://example.com/modules/irsa.git"
}

resource "kubernetes_service_account_v1" "remote" {
  metadata {
    name      = "remote"
    namespace = "jobs"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.remote_irsa.role_arn
    }
  }
}
