variable "execution_role_arn" {
  type = string
}

variable "compatibilities" {
  type = list(string)
}

# The role comes from a variable without a default: unknown, counts as present.
resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([
    {
      name    = "api"
      image   = "481516234200.dkr.ecr.us-east-1.amazonaws.com/api:1"
      secrets = [{ name = "DB_PASSWORD", valueFrom = "/api/db-password" }]
    }
  ])
}

# Launch type unknown: only secrets, secretOptions and repositoryCredentials would need the role; awslogs does not.
resource "aws_ecs_task_definition" "batch" {
  family                   = "batch"
  requires_compatibilities = var.compatibilities
  container_definitions = jsonencode([
    {
      name             = "batch"
      image            = "481516234200.dkr.ecr.us-east-1.amazonaws.com/batch:1"
      memory           = 256
      logConfiguration = { logDriver = "awslogs", options = { awslogs-group = "/ecs/batch" } }
    }
  ])
}
