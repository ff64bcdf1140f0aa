# ServiceAccounts declared with the Terraform kubernetes provider (no Kubernetes YAML in this root).

# The trust is for kube-system:aws-node, the ServiceAccount below is default:iam-test
# (no namespace in its metadata: the provider creates it in "default").
resource "aws_iam_role" "iam_test" {
  name = "iam-test"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" = "system:serviceaccount:kube-system:aws-node"
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "kubernetes_service_account" "iam_test" {
  metadata {
    name = "iam-test"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.iam_test.arn
    }
  }
}

# A namespace taken from a kubernetes_namespace_v1 resource, a literal role ARN whose account is computed:
# the trust is for payments/ledger, the ServiceAccount is payments-v2/ledger.
resource "kubernetes_namespace_v1" "payments" {
  metadata {
    name = "payments-v2"
  }
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "ledger_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"]
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"
      values   = ["system:serviceaccount:payments:ledger"]
    }
  }
}

resource "aws_iam_role" "ledger" {
  name               = "ledger-irsa"
  assume_role_policy = data.aws_iam_policy_document.ledger_trust.json
}

resource "kubernetes_service_account_v1" "ledger" {
  metadata {
    name      = "ledger"
    namespace = kubernetes_namespace_v1.payments.metadata[0].name
    annotations = {
      "eks.amazonaws.com/role-arn" = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/ledger-irsa"
    }
  }
}

# The trust is right for monitoring/exporter, declared here too: the annotation of monitoring/exporter-canary is the end to edit.
resource "aws_iam_role" "exporter" {
  name = "exporter-irsa"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" = "system:serviceaccount:monitoring:exporter"
        }
      }
    }]
  })
}

resource "kubernetes_service_account" "exporter" {
  metadata {
    name      = "exporter"
    namespace = "monitoring"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.exporter.arn
    }
  }
}

resource "kubernetes_service_account" "exporter_canary" {
  metadata {
    name      = "exporter-canary"
    namespace = "monitoring"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.exporter.arn
    }
  }
}
