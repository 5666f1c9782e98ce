module "shard" {
  source   = "./modules/shard"
  for_each = local.shards

  shard = {
    id               = each.key
    leader_table     = each.value.leader_table
    replica_tables   = each.value.replica_tables
    writer           = each.value.writer
    reader           = each.value.reader
    replicator       = each.value.replicator
    on_failure_queue = each.value.on_failure_queue
  }

  control_table = local.control_table
  environment   = local.common_environment

  functions = {
    zip_path           = local.shard_zip_path
    architectures      = var.lambda_architectures
    snap_start         = var.snap_start
    log_retention_days = var.log_retention_days
    memory_mb = {
      writer     = var.lambda_memory_mb.writer
      reader     = var.lambda_memory_mb.reader
      replicator = var.lambda_memory_mb.replicator
    }
    timeout_s = {
      writer     = var.lambda_timeout_s.writer
      reader     = var.lambda_timeout_s.reader
      replicator = var.lambda_timeout_s.replicator
    }
  }

  stream = {
    batch_size                 = var.stream_batch_size
    batching_window_s          = var.stream_batching_window_s
    maximum_retry_attempts     = var.stream_maximum_retry_attempts
    maximum_record_age_seconds = var.stream_maximum_record_age_seconds
  }

  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  aws                    = local.aws
  tags                   = local.tags
}
