module "control" {
  source = "./modules/control"

  prefix         = local.prefix
  control_table  = local.control_table
  shard_map_json = local.shard_map_json
  # Routed and staged: a staged shard's replicas need heartbeats for their lag, and once a split or
  # merge has cut over, transactions reach its targets before topology.json routes them.
  leader_tables = [for id, s in local.shards : s.leader_table]
  environment   = local.common_environment

  functions = {
    zip_path           = local.shard_zip_path
    architectures      = var.lambda_architectures
    snap_start         = var.snap_start
    log_retention_days = var.log_retention_days
    memory_mb = {
      heartbeat   = var.lambda_memory_mb.heartbeat
      coordinator = var.lambda_memory_mb.coordinator
    }
    timeout_s = {
      heartbeat   = var.lambda_timeout_s.heartbeat
      coordinator = var.lambda_timeout_s.coordinator
    }
  }

  heartbeat_enabled      = var.heartbeat_enabled
  heartbeat_interval_ms  = var.heartbeat_interval_ms
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  aws                    = local.aws
  tags                   = local.tags
}
