resource "aws_secretsmanager_secret" "db" {
  name = "orders/db"
}

resource "aws_secretsmanager_secret" "stripe" {
  name = "orders/stripe"
}

resource "aws_kms_key" "orders" {
  description = "orders secrets"
}

resource "aws_secretsmanager_secret" "signing" {
  name       = "orders/signing"
  kms_key_id = aws_kms_key.orders.arn
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
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [aws_secretsmanager_secret.stripe.arn, aws_secretsmanager_secret.signing.arn]
    }]
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
      { name = "SIGNING_KEY", valueFrom = aws_secretsmanager_secret.signing.arn },
    ]
  }])
}
