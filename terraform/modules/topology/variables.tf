variable "json" {
  description = "The topology as JSON text: topology.json as written, or jsonencode(var.topology)."
  type        = string
}
