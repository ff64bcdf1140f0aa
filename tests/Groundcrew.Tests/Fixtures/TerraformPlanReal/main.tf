variable "env" {}
variable "secret" {
  sensitive = true
  default   = "hunter2"
}
resource "terraform_data" "lb" {
  input = {
    name   = "${var.env}-front-door"
    secret = var.secret
  }
}
resource "terraform_data" "after" {
  input = terraform_data.lb.id
}
module "child" {
  source = "./mod"
  name   = "x-${var.env}"
}
