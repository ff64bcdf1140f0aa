resource "aws_cloudwatch_event_rule" "order_events" {
  name          = "order-events"
  event_pattern = jsonencode({ source = ["os-service"] })
}

resource "aws_sqs_queue" "billing" {
  name = "billing-service-events-development"
}

resource "aws_sqs_queue" "reports" {
  name = "reports-requests"
}

resource "aws_cloudwatch_event_target" "billing" {
  rule = aws_cloudwatch_event_rule.order_events.name
  arn  = aws_sqs_queue.billing.arn
}

resource "aws_iam_role" "billing" {
  name = "billing-service-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::305032652600:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/04BCD543" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "oidc.eks.us-east-1.amazonaws.com/id/04BCD543:sub" = "system:serviceaccount:ftc-app:billing-service" } }
    }]
  })
}

resource "aws_iam_policy" "sqs_consume" {
  name = "SQSConsumePolicy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      Resource = "arn:aws:sqs:us-east-1:305032652600:*-service-events-*"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "billing" {
  role       = aws_iam_role.billing.name
  policy_arn = aws_iam_policy.sqs_consume.arn
}

# An ECS worker whose task role has a managed policy we do not carry: unknown, not wrong.
resource "aws_sqs_queue" "orders" {
  name = "orders-worker"
}

resource "aws_cloudwatch_event_target" "orders" {
  rule = aws_cloudwatch_event_rule.order_events.name
  arn  = aws_sqs_queue.orders.arn
}

resource "aws_iam_role" "worker" {
  name = "orders-worker-task"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "worker" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSQSFullAccess"
}

resource "aws_ecs_task_definition" "worker" {
  family        = "orders-worker"
  task_role_arn = aws_iam_role.worker.arn
  container_definitions = jsonencode([{
    name        = "worker"
    image       = "305032652600.dkr.ecr.us-east-1.amazonaws.com/orders-worker:3.1.0"
    environment = [{ name = "QUEUE_URL", value = aws_sqs_queue.orders.url }]
  }])
}
