variable "project" {
  type    = string
  default = "stage3v3"
}

# Given at plan time (-var environment=staging-east); no default, so the .tf alone cannot know the names.
variable "environment" {
  type = string
}

variable "extra_env" {
  type    = list(object({ name = string, value = string }))
  default = []
}

variable "db_password" {
  type      = string
  sensitive = true
}
