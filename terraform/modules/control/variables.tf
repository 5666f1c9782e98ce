variable "prefix" {
  description = "Name prefix of the deployment (from the topology)."
  type        = string
}

variable "control_table" {
  description = "Name of the control table."
  type        = string
}

variable "shard_map_json" {
  description = "Initial shard map (JSON string, epoch 1) seeded into the control table."
  type        = string
}

variable "leader_tables" {
  description = "Names of every shard's leader table, routed and staged (heartbeat and coordinator targets)."
  type        = list(string)
}

variable "environment" {
  description = "Environment shared by every function (SHARDKV_TOPOLOGY, POWERTOOLS_METRICS_NAMESPACE, extras)."
  type        = map(string)
}

variable "functions" {
  description = "Deployment settings of the heartbeat and coordinator functions."
  type = object({
    zip_path           = string
    architectures      = list(string)
    snap_start         = bool
    log_retention_days = number
    memory_mb          = object({ heartbeat = number, coordinator = number })
    timeout_s          = object({ heartbeat = number, coordinator = number })
  })
}

variable "heartbeat_enabled" {
  description = "Whether the EventBridge rule that starts the heartbeat every minute is enabled."
  type        = bool
  default     = true
}

variable "heartbeat_interval_ms" {
  description = "Interval between two heartbeats written by one heartbeat invocation (SHARDKV_HEARTBEAT_INTERVAL_MS)."
  type        = number
  default     = 1000
}

variable "point_in_time_recovery" {
  description = "Enable point-in-time recovery on the control table."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Enable deletion protection on the control table."
  type        = bool
  default     = false
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
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
