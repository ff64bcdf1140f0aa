resource "aws_cloudwatch_event_bus" "main" {
  name = "ftc-events"
}

resource "aws_cloudwatch_event_rule" "order_events" {
  name           = "order-events"
  event_bus_name = aws_cloudwatch_event_bus.main.name
  event_pattern  = jsonencode({ source = ["os-service"] })
}

resource "aws_cloudwatch_event_rule" "other" {
  name           = "payment-events"
  event_bus_name = aws_cloudwatch_event_bus.main.name
  event_pattern  = jsonencode({ source = ["payment-service"] })
}

# No queue policy at all.
resource "aws_sqs_queue" "billing" {
  name = "billing-service-events-development"
}

resource "aws_cloudwatch_event_target" "billing" {
  rule           = aws_cloudwatch_event_rule.order_events.name
  event_bus_name = aws_cloudwatch_event_bus.main.name
  arn            = aws_sqs_queue.billing.arn
}

# A policy for SNS, not EventBridge.
resource "aws_sqs_queue" "audit" {
  name = "audit-events"
}

resource "aws_sqs_queue_policy" "audit" {
  queue_url = aws_sqs_queue.audit.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.audit.arn
    }]
  })
}

resource "aws_cloudwatch_event_target" "audit" {
  rule = aws_cloudwatch_event_rule.order_events.name
  arn  = aws_sqs_queue.audit.arn
}

# EventBridge is allowed, but only for another rule.
resource "aws_sqs_queue" "shipping" {
  name = "shipping-events"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "*"
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.other.arn } }
    }]
  })
}

resource "aws_cloudwatch_event_target" "shipping" {
  rule = aws_cloudwatch_event_rule.order_events.name
  arn  = aws_sqs_queue.shipping.arn
}
