resource "aws_ecr_repository" "jobs" {
  name = "jobs"
}

resource "aws_ecs_task_definition" "jobs" {
  family       = "jobs"
  network_mode = "awsvpc"
  cpu          = 512
  memory       = 1024
  container_definitions = jsonencode([
    {
      name      = "jobs"
      image     = "${aws_ecr_repository.jobs.repository_url}:latest"
      essential = true
    }
  ])
}

resource "aws_ecs_service" "jobs" {
  name            = "jobs"
  cluster         = "main"
  task_definition = aws_ecs_task_definition.jobs.arn
  launch_type     = "FARGATE"
  desired_count   = 1
}
