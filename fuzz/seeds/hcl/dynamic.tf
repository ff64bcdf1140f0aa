locals {
  ports = [80, 443]
  names = { for i, p in local.ports : "p${i}" => p if p > 0 }
}
variable "env" {
  type    = string
  default = "prod"
}
resource "aws_security_group" "web" {
  name = "web-${var.env}"
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port = ingress.value
      to_port   = ingress.value
    }
  }
  count = var.env == "prod" ? 2 : 1
}
output "ids" { value = aws_security_group.web[*].id }
