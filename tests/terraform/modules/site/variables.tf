variable "environment" {
  type    = string
  default = "prod"
}

variable "api_host" {
  type = string
}

variable "static_paths" {
  type    = list(string)
  default = ["/img/*", "/css/*"]
}
