variable "legacy_queue_url" {
  type = string
}

resource "aws_cloudwatch_event_rule" "order_events" {
  name          = "order-events"
  event_pattern = jsonencode({ source = ["os-service"] })
}

resource "aws_sqs_queue" "billing" {
  name = "billing-service-events-development"
}

resource "aws_sqs_queue_policy" "billing" {
  queue_url = aws_sqs_queue.billing.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.billing.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.order_events.arn } }
    }]
  })
}

resource "aws_cloudwatch_event_target" "billing" {
  rule = aws_cloudwatch_event_rule.order_events.name
  arn  = aws_sqs_queue.billing.arn
}

# The queue's own policy, an aws_iam_policy_document with an account condition.
data "aws_iam_policy_document" "audit" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:*:*:audit-events"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "sqs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["305032652600"]
    }
  }
}

resource "aws_sqs_queue" "audit" {
  name   = "audit-events"
  policy = data.aws_iam_policy_document.audit.json
}

resource "aws_cloudwatch_event_target" "audit" {
  rule = aws_cloudwatch_event_rule.order_events.name
  arn  = aws_sqs_queue.audit.arn
}

# A queue declared elsewhere.
resource "aws_cloudwatch_event_target" "legacy" {
  rule = aws_cloudwatch_event_rule.order_events.name
  arn  = "arn:aws:sqs:us-east-1:305032652600:legacy-events"
}
