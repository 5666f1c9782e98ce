variable "endpoint" {
  description = "Emulator endpoint Terraform talks to."
  type        = string
  default     = "http://localhost:4566"
}

variable "region" {
  description = "Region (any region works on the emulators)."
  type        = string
  default     = "us-east-1"
}

variable "topology_file" {
  description = "Topology to deploy (null = the repository's topology.json)."
  type        = string
  default     = null
}

variable "lambda_architectures" {
  description = "Instruction set of the functions: the Docker host's (x86_64 on most machines)."
  type        = list(string)
  default     = ["x86_64"]
}

variable "function_aws_endpoint_url" {
  description = <<-EOT
    AWS_ENDPOINT_URL given to the functions so their AWS SDK calls reach the emulator from inside
    their containers (e.g. http://floci:4566 on the compose network). null = leave it to the
    emulator (LocalStack injects its own).
  EOT
  type        = string
  default     = null
}

variable "observability_enabled" {
  description = "Create the dashboard and alarms (emulator support varies)."
  type        = bool
  default     = false
}

variable "heartbeat_enabled" {
  description = "Schedule the heartbeat every minute."
  type        = bool
  default     = true
}

variable "resharder_schedule_enabled" {
  description = "Start the resharder every minute (false: only the gateway's admin routes invoke it)."
  type        = bool
  default     = true
}

variable "api_host_suffix" {
  description = "Host suffix of the emulator's execute-api virtual hosts (both Floci and LocalStack route *.execute-api.localhost.localstack.cloud)."
  type        = string
  default     = "execute-api.localhost.localstack.cloud:4566"
}

variable "account_id" {
  description = "Account id of the emulator (LocalStack and Floci both use 000000000000). Given to the root module so no STS lookup is made; null = ask the emulator's STS."
  type        = string
  default     = "000000000000"
}
