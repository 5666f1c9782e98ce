variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "lambda_architectures" {
  description = "Instruction set of the functions."
  type        = list(string)
  default     = ["arm64"]
}

variable "api_authorization" {
  description = "AWS_IAM (SigV4, default) or JWT."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "JWT"], var.api_authorization)
    error_message = "On AWS the API is always authorized: AWS_IAM or JWT."
  }
}

variable "jwt_issuer" {
  description = "JWT issuer URL when api_authorization = JWT."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "JWT audiences when api_authorization = JWT."
  type        = list(string)
  default     = []
}

variable "alarm_sns_topic_arn" {
  description = "Optional SNS topic for alarm notifications."
  type        = string
  default     = null
}

variable "heartbeat_enabled" {
  description = "Run the heartbeat (about USD 58/month for the default topology, with what it causes: ./shardkv cost --no-heartbeat; lag is unknown on idle shards without it)."
  type        = bool
  default     = true
}

variable "resharder_schedule_enabled" {
  description = "Start the resharder every minute, so splits and merges run to their end on their own. false: they run only while invocations made by the gateway's admin routes last."
  type        = bool
  default     = true
}

variable "verification_schedule" {
  description = "Verify every shard's replicas on this EventBridge schedule, e.g. \"rate(1 day)\" or \"cron(0 3 * * ? *)\". null: none (verify by hand)."
  type        = string
  default     = null
}

variable "verification_repair" {
  description = "Scheduled verifications also repair what differs."
  type        = bool
  default     = false
}
