variable "shard" {
  description = "One shard of the topology with every name derived for it by the root module."
  type = object({
    id               = string
    leader_table     = string
    replica_tables   = map(string) # "replica-1" => table name
    writer           = string
    reader           = string
    replicator       = string
    on_failure_queue = string
  })
}

variable "control_table" {
  description = "Name of the control table (the writer reads the shard map from it for epoch fencing)."
  type        = string
}

variable "environment" {
  description = "Environment shared by every function (SHARDKV_TOPOLOGY, POWERTOOLS_METRICS_NAMESPACE, extras)."
  type        = map(string)
}

variable "functions" {
  description = "Deployment settings of the shard's functions."
  type = object({
    zip_path           = string
    architectures      = list(string)
    snap_start         = bool
    log_retention_days = number
    memory_mb          = object({ writer = number, reader = number, replicator = number })
    timeout_s          = object({ writer = number, reader = number, replicator = number })
  })
}

variable "stream" {
  description = "Settings of the leader-stream -> replicator event source mapping."
  type = object({
    batch_size                 = number
    batching_window_s          = number
    maximum_retry_attempts     = number
    maximum_record_age_seconds = number
  })
}

variable "point_in_time_recovery" {
  description = "Enable point-in-time recovery on the shard's tables."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Enable deletion protection on the shard's tables."
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
  description = "Tags applied to every resource of the shard."
  type        = map(string)
  default     = {}
}
