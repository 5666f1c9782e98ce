variable "prefix" {
  description = "Name prefix of the deployment (dashboard and alarm names)."
  type        = string
}

variable "namespace" {
  description = "CloudWatch namespace of the ShardKV metrics."
  type        = string
  default     = "ShardKV"
}

variable "shards" {
  description = "Every shard with its replica count, its replicator function and its on-failure queue."
  type = list(object({
    id                  = string
    replicas            = number
    replicator_function = string
    on_failure_queue    = string
  }))
}

variable "region" {
  description = "Region of the metrics shown on the dashboard."
  type        = string
}

variable "replication_delay_slo_ms" {
  description = "Replication delay objective (per record, commit on the leader to apply on a replica): the p99 ReplicationDelayMs alarm threshold, in milliseconds."
  type        = number
  default     = 1000
}

variable "iterator_age_alarm_ms" {
  description = "Alarm threshold on the replicators' maximum Lambda IteratorAge, in milliseconds."
  type        = number
  default     = 60000
}

variable "alarm_period_s" {
  description = "Period of every alarm's metric, in seconds."
  type        = number
  default     = 60
}

variable "alarm_evaluation_periods" {
  description = "Consecutive breaching periods before the delay and iterator-age alarms fire."
  type        = number
  default     = 3
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic notified when an alarm fires or recovers (null: no actions)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags applied to every alarm."
  type        = map(string)
  default     = {}
}
