resource "aws_iam_role" "api" {
  name               = "api-irsa"
  assume_role_policy = "{}"
}

resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.api.name
    }
  }
}

resource "kubernetes_service_account" "worker" {
  metadata {
    name        = "worker"
    annotations = { "eks.amazonaws.com/role-arn" = "${aws_iam_role.api.id}" }
  }
}
