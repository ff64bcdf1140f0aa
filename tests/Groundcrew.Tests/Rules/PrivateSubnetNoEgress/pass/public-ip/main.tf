resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.1.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private_a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.11.0/24"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_ecs_service" "public" {
  name            = "public"
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = [aws_subnet.public_a.id]
    assign_public_ip = true
  }
}

resource "aws_ecs_service" "on_ec2" {
  name            = "on-ec2"
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "EC2"
  network_configuration {
    subnets = [aws_subnet.private_a.id]
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
