# Trusted by the account (for people and CI to assume), not by ECS.
resource "aws_iam_role" "worker_task" {
  name = "worker-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
