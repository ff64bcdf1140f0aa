locals {
  prefix = "${var.project}-${var.environment}"
  common_env = [
    { name = "LOG_LEVEL", value = "info" },
    { name = "PORT", value = "8000" },
  ]
}

resource "aws_lb" "internal" {
  name               = "${local.prefix}-internal-alb"
  internal           = true
  load_balancer_type = "application"
}

resource "aws_iam_role" "execution" {
  name = "${local.prefix}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_ecs_task_definition" "api" {
  family                   = "${local.prefix}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name        = "api"
      image       = "public.ecr.aws/nginx/nginx:1.27"
      essential   = true
      environment = concat(local.common_env, var.extra_env)
    }
  ])
}

resource "aws_db_instance" "main" {
  identifier        = "${local.prefix}-db"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}
