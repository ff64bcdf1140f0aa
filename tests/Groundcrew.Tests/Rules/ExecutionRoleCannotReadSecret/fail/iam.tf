# The execution roles of the JSON task definitions in this folder.

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

resource "aws_iam_role_policy" "app_secrets" {
  name = "secrets"
  role = aws_iam_role.app_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Shared"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/shared-*"
      },
      {
        # The classic slip: the secret's ARN without the 6-character suffix matches nothing.
        Sid      = "Legacy"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/legacy"
      },
      {
        Sid      = "PublicParameters"
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = "arn:aws:ssm:us-east-1:111122223333:parameter/app/public/*"
      },
    ]
  })
}

# A role under a path: task definitions name it arn:aws:iam::111122223333:role/ops/ops-execution.
resource "aws_iam_role" "ops_execution" {
  name = "ops-execution"
  path = "/ops/"
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
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" },
        { Sid = "NoProductionSecrets", Effect = "Deny", Action = "secretsmanager:*", Resource = "arn:aws:secretsmanager:*:*:secret:prod/*" },
      ]
    })
  }
}
