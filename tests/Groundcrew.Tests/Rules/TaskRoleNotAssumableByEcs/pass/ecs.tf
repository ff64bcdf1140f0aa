# The recommended trust: ECS tasks, limited to this account (confused-deputy protection).
resource "aws_iam_role" "execution" {
  name = "api-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        ArnLike      = { "aws:SourceArn" = "arn:aws:ecs:us-east-1:111122223333:*" }
        StringEquals = { "aws:SourceAccount" = "111122223333" }
      }
    }]
  })
}

# Shared by EC2 and ECS.
resource "aws_iam_role" "task" {
  name = "api-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"] }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

variable "trusted_services" {
  type = list(string)
}

# The principal is only known at apply time.
resource "aws_iam_role" "sidecar" {
  name = "api-sidecar"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = var.trusted_services }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Trusts EC2 only, but no task definition uses it.
resource "aws_iam_role" "instance" {
  name = "api-instance"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_ecs_task_definition" "api" {
  family             = "api"
  execution_role_arn = aws_iam_role.execution.arn
  task_role_arn      = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name  = "api"
    image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1"
  }])
}
