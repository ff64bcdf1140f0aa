resource "aws_iam_role" "api" {
  name               = "api-irsa"
  assume_role_policy = "{}"
}

resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.api.arn
    }
  }
}

# A remote module's output: unknown, not judged.
resource "kubernetes_service_account_v1" "worker" {
  metadata {
    name        = "worker"
    annotations = { "eks.amazonaws.com/role-arn" = module.worker_irsa.iam_role_arn }
  }
}
