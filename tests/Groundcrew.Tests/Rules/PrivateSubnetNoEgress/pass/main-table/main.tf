resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.11.0/24"
}

resource "aws_route" "main_nat" {
  route_table_id         = aws_vpc.main.default_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = "nat-0123456789abcdef0"
}

resource "aws_vpc" "other" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_subnet" "other_a" {
  vpc_id     = aws_vpc.other.id
  cidr_block = "10.9.11.0/24"
}

resource "aws_route_table" "other_nat" {
  vpc_id = aws_vpc.other.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = "nat-0fedcba9876543210"
  }
}

resource "aws_main_route_table_association" "other" {
  vpc_id         = aws_vpc.other.id
  route_table_id = aws_route_table.other_nat.id
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.private_a.id]
  }
}

resource "aws_ecs_service" "other" {
  name            = "other"
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.other_a.id]
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name    = "api"
    image   = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2"
    secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod/db" }]
    logConfiguration = {
      logDriver = "awslogs"
      options   = { awslogs-group = "/ecs/api", awslogs-region = "eu-west-1", awslogs-stream-prefix = "api" }
    }
  }])
}
