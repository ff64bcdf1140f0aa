# Order events reach the worker's queue (ecs/orders-worker.json reads QUEUE_URL), and the worker may consume them.

resource "aws_cloudwatch_event_rule" "orders" {
  name          = "shop-orders-placed"
  event_pattern = jsonencode({ source = ["shop.orders"], detail-type = ["OrderPlaced"] })
}

resource "aws_sqs_queue" "orders" {
  name = "shop-orders"
}

resource "aws_cloudwatch_event_target" "orders" {
  rule = aws_cloudwatch_event_rule.orders.name
  arn  = aws_sqs_queue.orders.arn
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.orders.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.orders.arn } }
    }]
  })
}

resource "aws_iam_role" "orders_worker_task" {
  name = "shop-orders-worker-task"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "orders_worker_queue" {
  name = "consume-orders"
  role = aws_iam_role.orders_worker_task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]
      Resource = aws_sqs_queue.orders.arn
    }]
  })
}
