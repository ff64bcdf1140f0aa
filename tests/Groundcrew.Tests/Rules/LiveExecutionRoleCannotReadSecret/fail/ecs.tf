# The same role and secret as taskdef.json, declared in Terraform: the task definition refers to the role
# (aws_iam_role.execution.arn), so the live role is found by the name the repository gives it.
resource "aws_iam_role" "execution" {
  name = "app-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_ecs_task_definition" "worker" {
  family             = "worker"
  execution_role_arn = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name  = "worker"
      image = "nginx:1.27"
      secrets = [
        { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-Qm3xP1:password::" }
      ]
    }
  ])
}
