module "observability" {
  source = "./modules/observability"
  count  = var.observability_enabled ? 1 : 0

  prefix    = local.prefix
  namespace = "ShardKV"
  region    = local.aws.region
  # The routed shards: a staged shard gets its alarms and dashboard rows once topology.json routes it.
  shards = [
    for s in local.shard_list : {
      id                  = s.id
      replicas            = s.replicas
      replicator_function = module.shard[s.id].function_names.replicator
      on_failure_queue    = module.shard[s.id].on_failure_queue_name
    }
  ]

  replication_delay_slo_ms = var.replication_delay_slo_ms
  iterator_age_alarm_ms    = var.iterator_age_alarm_ms
  alarm_evaluation_periods = var.alarm_evaluation_periods
  alarm_sns_topic_arn      = var.alarm_sns_topic_arn
  tags                     = local.tags
}
