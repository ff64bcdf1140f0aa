locals {
  private = { a = "10.0.11.0/24", b = "10.0.12.0/24" }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  for_each   = local.private
  vpc_id     = aws_vpc.main.id
  cidr_block = each.value
}

resource "aws_nat_gateway" "nat" {
  subnet_id = aws_subnet.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_route_table_association" "private" {
  for_each       = local.private
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private.id
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [for s in aws_subnet.private : s.id]
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
