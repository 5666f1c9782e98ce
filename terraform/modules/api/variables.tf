variable "name" {
  description = "Name of the HTTP API."
  type        = string
}

variable "gateway_function_name" {
  description = "Name of the gateway function the API proxies to."
  type        = string
}

variable "gateway_alias_name" {
  description = "Alias of the gateway function the API invokes."
  type        = string
  default     = "live"
}

variable "gateway_alias_arn" {
  description = "ARN of the gateway function's alias (the integration target)."
  type        = string
}

variable "gateway_function_arn" {
  description = "Unqualified ARN of the gateway function (the integration target when integrate_alias is false)."
  type        = string
}

variable "integrate_alias" {
  description = "Integrate with the gateway's alias (true) or its unqualified function (false, for emulators that answer an alias-qualified integration URI with \"Function not found\")."
  type        = bool
  default     = true
}

variable "data_routes" {
  description = "Route keys clients may call (\"METHOD /path\")."
  type        = list(string)
}

variable "admin_routes" {
  description = "Route keys reserved for administrators (reshard, repair, topology)."
  type        = list(string)
  default     = []
}

variable "authorization" {
  description = "Authorization of every route: AWS_IAM (SigV4), JWT, or NONE (local emulators only; requires allow_unauthenticated)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "JWT", "NONE"], var.authorization)
    error_message = "authorization must be AWS_IAM, JWT or NONE."
  }
}

variable "allow_unauthenticated" {
  description = "Second switch that must be true for authorization = NONE (guards against a public API by typo)."
  type        = bool
  default     = false
}

variable "jwt_issuer" {
  description = "Issuer URL of the JWT authorizer (authorization = JWT)."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "Accepted audiences of the JWT authorizer (authorization = JWT)."
  type        = list(string)
  default     = []
}

variable "jwt_data_scopes" {
  description = "OAuth scopes required on data routes when authorization = JWT (empty: any valid token)."
  type        = list(string)
  default     = []
}

variable "jwt_admin_scopes" {
  description = "OAuth scopes required on admin routes when authorization = JWT."
  type        = list(string)
  default     = ["shardkv/admin"]
}

variable "throttling_burst_limit" {
  description = "Default route throttling burst limit of the $default stage."
  type        = number
}

variable "throttling_rate_limit" {
  description = "Default route throttling steady-state rate (requests per second) of the $default stage."
  type        = number
}

variable "log_retention_days" {
  description = "Retention of the API access-log group, in days."
  type        = number
  default     = 30
}

variable "aws" {
  description = "Partition, region and account id used to build ARNs."
  type = object({
    partition  = string
    region     = string
    account_id = string
  })
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
