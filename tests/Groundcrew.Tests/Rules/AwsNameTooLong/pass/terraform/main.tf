variable "environment" {
  type = string # given at plan time: every name built from it is unknown and not judged
}

locals {
  prefix = "payments-prod"
}

resource "aws_lb" "public" {
  name               = "${local.prefix}-public-alb"
  load_balancer_type = "application"
}

resource "aws_lb" "per_env" {
  name = "${var.environment}-very-long-application-load-balancer-name"
}

resource "aws_lb_target_group" "api" {
  name_prefix = "api-"
  port        = 8080
}

resource "aws_sqs_queue" "orders" {
  name       = "${local.prefix}-orders.fifo"
  fifo_queue = true
}

resource "aws_s3_bucket" "assets" {
  bucket = "payments-prod-assets.example.com"
}

resource "aws_db_instance" "db" {
  identifier = "payments-prod-db"
}
