variable "name" {}
resource "terraform_data" "this" {
  count = 2
  input = var.name
}
