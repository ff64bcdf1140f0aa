resource "aws_secretsmanager_secret" "orders_db" {
  name = "shop/orders-api/db"
}

resource "aws_iam_role" "orders_api_execution" {
  name = "shop-orders-api-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "orders_api_execution" {
  role       = aws_iam_role.orders_api_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "orders_api_secret" {
  name = "read-db-secret"
  role = aws_iam_role.orders_api_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.orders_db.arn
    }]
  })
}

resource "aws_ecs_cluster" "shop" {
  name = "shop"
}

resource "aws_ecs_task_definition" "orders_api" {
  family                   = "shop-orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.orders_api_execution.arn
  container_definitions = jsonencode([{
    name         = "api"
    image        = "305032652600.dkr.ecr.us-east-1.amazonaws.com/shop/orders-api:2.3.0"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
    secrets = [
      { name = "DATABASE_PASSWORD", valueFrom = "${aws_secretsmanager_secret.orders_db.arn}:password::" },
    ]
    healthCheck = {
      command  = ["CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"]
      interval = 30
      retries  = 3
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = "/ecs/shop-orders-api"
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "api"
      }
    }
  }])
}

resource "aws_ecs_service" "orders_api" {
  name            = "shop-orders-api"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.orders_api.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = [for s in aws_subnet.private : s.id]
    assign_public_ip = false
  }
}
