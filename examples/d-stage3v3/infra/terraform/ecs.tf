resource "aws_iam_role" "execution" {
  name = "${local.prefix}-ecs-execution"
  # D4: the trust policy names ec2.amazonaws.com, so ECS cannot assume the role.
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "main" {
  name = "${local.prefix}-cluster"
}

resource "aws_ecs_task_definition" "backend" {
  family                   = "${local.prefix}-backend"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name      = "backend"
      image     = "211050572089.dkr.ecr.us-east-1.amazonaws.com/stage3v3-backend:latest"
      essential = true
      portMappings = [{ containerPort = 8000 }]
      secrets = [
        # D5/D6: an RDS-managed secret holds only username and password; ECS injects its JSON value.
        { name = "DATABASE_URL_SECRET", valueFrom = "arn:aws:secretsmanager:us-east-1:211050572089:secret:rds!db-4f6a2b1c-9d3e-4c7a-8b1f-2e5d6c7a8b9c-Xy7Kq2" }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/${local.prefix}-backend"
          awslogs-region        = "us-east-1"
          awslogs-stream-prefix = "backend"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "backend" {
  name            = "${local.prefix}-backend"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.backend.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    assign_public_ip = false
  }
}
