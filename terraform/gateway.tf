# The gateway: routes every request by key to the writer (leader) or reader (replicas) of the
# right shard, and cross-shard transactions to the coordinator, always through their "live"
# aliases (SHARDKV_FUNCTION_QUALIFIER).
module "gateway" {
  source = "./modules/function"

  name          = local.gateway_name
  description   = "ShardKV gateway: HTTP API (payload 2.0) -> writer/reader/coordinator by key"
  zip_path      = local.gateway_zip_path
  architectures = var.lambda_architectures
  snap_start    = var.snap_start
  memory_mb     = var.lambda_memory_mb.gateway
  timeout_s     = var.lambda_timeout_s.gateway

  log_retention_days = var.log_retention_days
  environment = merge(local.common_environment, {
    SHARDKV_FUNCTION_QUALIFIER    = "live"
    SHARDKV_WRITE_THROTTLE_LAG_MS = tostring(var.write_throttle_lag_ms)
  })
  policy_statements = local.gateway_policy_statements
  aws               = local.aws
  tags              = local.tags
}
