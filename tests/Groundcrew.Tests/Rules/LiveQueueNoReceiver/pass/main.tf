resource "aws_sqs_queue" "billing" {
  name = "billing-service-events-development"
}

resource "aws_cloudwatch_event_target" "billing" {
  rule = "order-events"
  arn  = aws_sqs_queue.billing.arn
}
