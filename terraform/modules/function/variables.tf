variable "name" {
  description = "Function name. Also used for its IAM role and its log group (/aws/lambda/<name>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "Lambda function names are 1-64 characters of letters, digits, '-' and '_'."
  }
}

variable "description" {
  description = "Human-readable description of the function."
  type        = string
  default     = ""
}

variable "zip_path" {
  description = "Path of the deployment package (function.zip built by ./mvnw package)."
  type        = string
}

variable "handler" {
  description = "Handler string. Quarkus picks the bean from QUARKUS_LAMBDA_HANDLER."
  type        = string
  default     = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
}

variable "runtime" {
  description = "Lambda runtime identifier."
  type        = string
  default     = "java21"
}

variable "architectures" {
  description = "Instruction set architecture: [\"arm64\"] or [\"x86_64\"]."
  type        = list(string)
  default     = ["arm64"]

  validation {
    condition     = length(var.architectures) == 1 && alltrue([for a in var.architectures : contains(["arm64", "x86_64"], a)])
    error_message = "architectures must be exactly one of \"arm64\" or \"x86_64\"."
  }
}

variable "memory_mb" {
  description = "Memory size in MB (CPU scales with it)."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 128 and 10240."
  }
}

variable "timeout_s" {
  description = "Function timeout in seconds."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout_s >= 1 && var.timeout_s <= 900
    error_message = "timeout_s must be between 1 and 900."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; -1 means unreserved."
  type        = number
  default     = -1
}

variable "snap_start" {
  description = "Enable SnapStart on published versions (ignored by emulators)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the function's CloudWatch log group, in days."
  type        = number
  default     = 30
}

variable "environment" {
  description = "Environment variables. POWERTOOLS_SERVICE_NAME is added by this module (= the function name)."
  type        = map(string)
  default     = {}
}

variable "policy_statements" {
  description = <<-EOT
    Allow statements of the function's own inline policy (its log-group statement is added here).
    conditions follows the IAM JSON shape: { "<operator>" = { "<key>" = ["<value>", ...] } }.
    No action may contain "*"; a "*" resource is accepted only for dynamodb:ListStreams,
    the one action used here that AWS does not scope to a resource.
  EOT
  type = list(object({
    sid        = string
    actions    = list(string)
    resources  = list(string)
    conditions = optional(map(map(list(string))), {})
  }))

  validation {
    condition     = alltrue([for s in var.policy_statements : alltrue([for a in s.actions : !strcontains(a, "*")])])
    error_message = "No IAM action may contain a wildcard (\"*\")."
  }

  validation {
    condition = alltrue([
      for s in var.policy_statements :
      !contains(s.resources, "*") || alltrue([for a in s.actions : a == "dynamodb:ListStreams"])
    ])
    error_message = "A \"*\" resource is only allowed in a statement whose only action is dynamodb:ListStreams."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : can(regex("^[A-Za-z0-9]+$", s.sid))])
    error_message = "Statement ids (sid) must be alphanumeric."
  }
}

variable "aws" {
  description = "Partition, region and account id used to build ARNs from names."
  type = object({
    partition  = string
    region     = string
    account_id = string
  })
}

variable "tags" {
  description = "Tags applied to every resource of this function."
  type        = map(string)
  default     = {}
}
