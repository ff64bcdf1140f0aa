resource "aws_iam_role" "app_execution" {
  name = "app-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "app_execution" {
  role       = aws_iam_role.app_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "app_secrets" {
  statement {
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-*",
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/legacy-??????",
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:registry/*",
    ]
  }
  statement {
    actions   = ["ssm:GetParameters"]
    resources = ["arn:aws:ssm:*:111122223333:parameter/app/*"]
  }
}

resource "aws_iam_policy" "app_secrets" {
  name   = "app-secrets"
  policy = data.aws_iam_policy_document.app_secrets.json
}

resource "aws_iam_role_policy_attachment" "app_secrets" {
  role       = aws_iam_role.app_execution.name
  policy_arn = aws_iam_policy.app_secrets.arn
}

# Attached an AWS managed policy whose content Groundcrew does not carry: it may grant anything.
resource "aws_iam_role" "broad_execution" {
  name                = "broad-execution"
  managed_policy_arns = ["arn:aws:iam::aws:policy/SecretsManagerReadWrite"]
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Allowed only under a condition Groundcrew cannot evaluate: not reported.
resource "aws_iam_role" "tagged_execution" {
  name = "tagged-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "tagged-secrets"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Action    = "secretsmanager:GetSecretValue"
        Resource  = "*"
        Condition = { StringEquals = { "secretsmanager:ResourceTag/team" = "payments" } }
      }]
    })
  }
}

# The policy names a resource only known at apply time: it may be the secret.
variable "secret_arns" {
  type = list(string)
}

resource "aws_iam_role" "var_execution" {
  name = "var-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "secrets"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = var.secret_arns }]
    })
  }
}
