# The roles of ecs/orders-worker.json: ECS tasks may assume both (limited to this account), and the execution
# role may read exactly the secret and the parameter the task definition references.

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["305032652600"]
    }
  }
}

resource "aws_iam_role" "orders_worker_execution" {
  name               = "shop-orders-worker-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy_attachment" "orders_worker_execution" {
  role       = aws_iam_role.orders_worker_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "orders_worker_secrets" {
  name = "secrets"
  role = aws_iam_role.orders_worker_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [
          "arn:aws:secretsmanager:us-east-1:305032652600:secret:shop/orders/db-*",
          # the RDS-managed master user secret the worker reads as DB_CREDENTIALS
          "arn:aws:secretsmanager:us-east-1:305032652600:secret:rds!db-5e2f7a90-3c1d-4b8e-9f6a-0d4c2b7e8a13-*",
        ]
      },
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = ["arn:aws:ssm:us-east-1:305032652600:parameter/shop/orders/*"]
      },
    ]
  })
}

resource "aws_iam_role" "orders_worker_task" {
  name               = "shop-orders-worker-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "orders_worker_queue" {
  name = "queue"
  role = aws_iam_role.orders_worker_task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]
      Resource = "arn:aws:sqs:us-east-1:305032652600:shop-orders"
    }]
  })
}
