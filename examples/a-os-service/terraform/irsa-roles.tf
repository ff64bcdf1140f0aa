# The IRSA roles the post-mortem's "proper solution" creates (orchestration/terraform/irsa-roles.tf).

locals {
  oidc_provider_arn = "arn:aws:iam::305032652600:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/04BCD543DFE4A4D8E63C3B78198B4076"
  oidc_host         = "oidc.eks.us-east-1.amazonaws.com/id/04BCD543DFE4A4D8E63C3B78198B4076"
}

module "os_service_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.39.0"

  role_name = "os-service-role"

  role_policy_arns = {
    eventbridge = aws_iam_policy.eventbridge_publish.arn
  }

  oidc_providers = {
    main = {
      provider_arn               = local.oidc_provider_arn
      namespace_service_accounts = ["ftc-app:os-service"]
    }
  }
}

resource "aws_iam_policy" "eventbridge_publish" {
  name = "EventBridgePublishPolicy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["events:PutEvents"]
      Resource = aws_cloudwatch_event_bus.main.arn
    }]
  })
}

# billing-service consumes billing-service-events-development (SQS_QUEUE_URL in its Deployment).
resource "aws_iam_role" "billing_service" {
  name = "billing-service-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = "system:serviceaccount:ftc-app:billing-service"
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# A11: the policy was copied from the publisher's: it may send billing events, not receive them.
resource "aws_iam_role_policy" "billing_service" {
  name = "billing-service-events"
  role = aws_iam_role.billing_service.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["events:PutEvents"]
        Resource = aws_cloudwatch_event_bus.main.arn
      },
      {
        Effect   = "Allow"
        Action   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
        Resource = aws_sqs_queue.billing_events.arn
      },
    ]
  })
}
