# Three levels of dynamic blocks over 1000 items each: a billion blocks if evaluated in full.
locals {
  items = range(1000)
}

resource "aws_security_group" "wide" {
  name = "wide"
  dynamic "ingress" {
    for_each = local.items
    content {
      from_port = ingress.value
      dynamic "cidr" {
        for_each = local.items
        content {
          dynamic "part" {
            for_each = local.items
            content {
              value = "${ingress.value}-${cidr.value}-${part.value}"
            }
          }
        }
      }
    }
  }
}

resource "aws_security_group" "many" {
  for_each = toset([for i in range(1024) : "sg-${i}"])
  name     = each.key
}
