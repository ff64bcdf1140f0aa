# os-service publishes order events; EventBridge routes them to the billing-service queue.
# The path works up to the queue (A11: "1 message in billing-service-events-development").

resource "aws_cloudwatch_event_bus" "main" {
  name = "ftc-events-development"
}

resource "aws_cloudwatch_event_rule" "billing_events" {
  name           = "billing-service-events-development"
  event_bus_name = aws_cloudwatch_event_bus.main.name
  event_pattern = jsonencode({
    source      = ["os-service"]
    detail-type = ["BudgetRequested", "OrderApproved"]
  })
}

resource "aws_sqs_queue" "billing_events" {
  name                      = "billing-service-events-development"
  message_retention_seconds = 345600
}

resource "aws_cloudwatch_event_target" "billing_events" {
  rule           = aws_cloudwatch_event_rule.billing_events.name
  event_bus_name = aws_cloudwatch_event_bus.main.name
  arn            = aws_sqs_queue.billing_events.arn
}

resource "aws_sqs_queue_policy" "billing_events" {
  queue_url = aws_sqs_queue.billing_events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeSend"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.billing_events.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.billing_events.arn } }
    }]
  })
}
