variable "project" {
  default = "payments-platform"
}

locals {
  prefix = "${var.project}-production"
}

resource "aws_lb" "public" {
  name               = "${local.prefix}-public-alb"
  load_balancer_type = "application"
}

resource "aws_db_instance" "db" {
  identifier     = "payments--db"
  engine         = "postgres"
  instance_class = "db.t3.micro"
}

resource "aws_s3_bucket" "assets" {
  bucket = "Payments_Assets"
}
