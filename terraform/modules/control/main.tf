# The control plane: the control table holding the versioned shard map, the heartbeat that keeps
# replication lag measurable when a shard has no traffic, and the cross-shard transaction
# coordinator.

locals {
  arn_prefix       = "arn:${var.aws.partition}"
  table_arn        = "${local.arn_prefix}:dynamodb:${var.aws.region}:${var.aws.account_id}:table"
  control_arn      = "${local.table_arn}/${var.control_table}"
  leader_arns      = [for t in var.leader_tables : "${local.table_arn}/${t}"]
  heartbeat_name   = "${var.prefix}-heartbeat"
  coordinator_name = "${var.prefix}-coordinator"
  rule_arn         = "${local.arn_prefix}:events:${var.aws.region}:${var.aws.account_id}:rule/${local.heartbeat_name}"

  # The reserved key the heartbeat writes on every leader; never returned to clients.
  heartbeat_key = "__shardkv:heartbeat"
}

# ---------------------------------------------------------------------------------------------
# Control table and the seeded shard map
# ---------------------------------------------------------------------------------------------

resource "aws_dynamodb_table" "control" {
  name                        = var.control_table
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = false

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled = true
  }

  tags = merge(var.tags, { "shardkv:role" = "control" })
}

resource "aws_dynamodb_table_item" "shard_map" {
  table_name = aws_dynamodb_table.control.name
  hash_key   = aws_dynamodb_table.control.hash_key

  item = jsonencode({
    pk    = { S = "shardmap" }
    epoch = { N = "1" }
    map   = { S = var.shard_map_json }
  })

  lifecycle {
    # Terraform only seeds the map (epoch 1). From then on the map is data owned by the
    # service: a reshard rewrites it and bumps the epoch, and the next `terraform apply` must
    # not roll it back to the seed. A new topology's tables come from apply; the cut-over to
    # them is the reshard's job.
    ignore_changes = [item]
  }
}

# ---------------------------------------------------------------------------------------------
# Heartbeat: one invocation per minute (EventBridge's finest schedule) that loops, writing the
# reserved heartbeat key to every leader every SHARDKV_HEARTBEAT_INTERVAL_MS until shortly
# before its timeout (~65 s), so lag stays measurable on idle shards.
#
# Cost (us-east-1 list prices, before free tiers), default 3 shards x 2 replicas, 1 s interval:
#   heartbeat Lambda: runs ~60 s of every minute = 43,800 invocations and, at 512 MB,
#     ~1.3 M GB-s a month: ~USD 17.5 on arm64 (~USD 22 on x86_64);
#   DynamoDB writes: 3 leaders x 1/s = ~7.9 M writes a month, replicated to 6 replicas
#     (another ~15.8 M): ~USD 15 on-demand;
#   replicators: ~1 invocation per shard per second, ~7.9 M a month: ~USD 3;
#   each batch saves the replica's watermark: another ~15.8 M writes, ~USD 10;
#   CloudWatch: the replicators' custom metrics (~USD 9), alarms and dashboard (~USD 5), logs (~USD 5).
#   => about USD 64 a month for an idle deployment, before storage (./shardkv cost --writes-per-s 0
#      --reads-per-s 0 itemizes it). Raise heartbeat_interval_ms or set heartbeat_enabled = false to cut
#      it (lag then becomes "unknown" on idle shards).
# ---------------------------------------------------------------------------------------------

module "heartbeat" {
  source = "../function"

  name          = local.heartbeat_name
  description   = "ShardKV heartbeat: writes ${local.heartbeat_key} to every leader so replication lag stays measurable"
  zip_path      = var.functions.zip_path
  architectures = var.functions.architectures
  snap_start    = var.functions.snap_start
  memory_mb     = var.functions.memory_mb.heartbeat
  timeout_s     = var.functions.timeout_s.heartbeat

  log_retention_days = var.functions.log_retention_days
  aws                = var.aws
  tags               = var.tags
  environment = merge(var.environment, {
    QUARKUS_LAMBDA_HANDLER        = "heartbeat"
    SHARDKV_HEARTBEAT_INTERVAL_MS = tostring(var.heartbeat_interval_ms)
  })

  policy_statements = [
    {
      # Only the reserved heartbeat key, on leaders only.
      sid       = "HeartbeatKeyOnLeaders"
      actions   = ["dynamodb:UpdateItem"]
      resources = local.leader_arns
      conditions = {
        "ForAllValues:StringEquals" = {
          "dynamodb:LeadingKeys" = [local.heartbeat_key]
        }
      }
    },
  ]
}

resource "aws_cloudwatch_event_rule" "heartbeat" {
  name                = local.heartbeat_name
  description         = "Starts the ShardKV heartbeat loop every minute"
  schedule_expression = "rate(1 minute)"
  state               = var.heartbeat_enabled ? "ENABLED" : "DISABLED"
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "heartbeat" {
  rule      = aws_cloudwatch_event_rule.heartbeat.name
  target_id = "heartbeat-live"
  arn       = module.heartbeat.alias_arn
}

resource "aws_lambda_permission" "heartbeat_schedule" {
  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = module.heartbeat.function_name
  qualifier     = module.heartbeat.alias_name
  principal     = "events.amazonaws.com"
  source_arn    = local.rule_arn

  depends_on = [aws_cloudwatch_event_rule.heartbeat, module.heartbeat]
}

# A missed heartbeat is replaced by the next one a minute later: no async retries, no outdated
# events (a retried loop would only overlap the next one).
resource "aws_lambda_function_event_invoke_config" "heartbeat" {
  function_name                = module.heartbeat.function_name
  qualifier                    = module.heartbeat.alias_name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60

  depends_on = [module.heartbeat]
}

# ---------------------------------------------------------------------------------------------
# Coordinator: cross-shard transactions in one TransactWriteItems call over the leaders.
# ---------------------------------------------------------------------------------------------

module "coordinator" {
  source = "../function"

  name          = local.coordinator_name
  description   = "ShardKV coordinator: cross-shard transactions (one TransactWriteItems over the leaders)"
  zip_path      = var.functions.zip_path
  architectures = var.functions.architectures
  snap_start    = var.functions.snap_start
  memory_mb     = var.functions.memory_mb.coordinator
  timeout_s     = var.functions.timeout_s.coordinator

  log_retention_days = var.functions.log_retention_days
  aws                = var.aws
  tags               = var.tags
  environment        = merge(var.environment, { QUARKUS_LAMBDA_HANDLER = "coordinator" })

  policy_statements = [
    {
      # TransactWriteItems has no action of its own: each item is authorized by its
      # per-item action (Update for puts and tombstone deletes, ConditionCheck for checks).
      sid       = "TransactOnLeaders"
      actions   = ["dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem"]
      resources = local.leader_arns
    },
    {
      sid       = "ReadShardMap"
      actions   = ["dynamodb:GetItem"]
      resources = [local.control_arn]
    },
  ]
}
