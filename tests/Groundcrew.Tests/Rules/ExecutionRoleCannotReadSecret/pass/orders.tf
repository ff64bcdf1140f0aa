resource "aws_kms_key" "orders" {
  description = "orders secrets"
}

resource "aws_secretsmanager_secret" "db" {
  name       = "orders/db"
  kms_key_id = aws_kms_key.orders.arn
}

# The default key (aws/secretsmanager) needs no kms:Decrypt in the role's policies.
resource "aws_secretsmanager_secret" "stripe" {
  name = "orders/stripe"
}

resource "aws_ssm_parameter" "api_key" {
  name   = "/orders/api-key"
  type   = "SecureString"
  value  = "placeholder-set-by-pipeline"
  key_id = aws_kms_key.orders.key_id
}

resource "aws_iam_role" "orders_execution" {
  name = "orders-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "orders_execution" {
  role = aws_iam_role.orders_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.db.arn, "${aws_secretsmanager_secret.stripe.arn}*"]
      },
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = [aws_ssm_parameter.api_key.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [aws_kms_key.orders.arn]
      },
    ]
  })
}

resource "aws_ecs_task_definition" "orders" {
  family             = "orders"
  execution_role_arn = aws_iam_role.orders_execution.arn
  container_definitions = jsonencode([{
    name  = "orders"
    image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:3"
    secrets = [
      { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db.arn}:password::" },
      { name = "STRIPE_KEY", valueFrom = aws_secretsmanager_secret.stripe.arn },
      { name = "API_KEY", valueFrom = aws_ssm_parameter.api_key.arn },
    ]
  }])
}
