# One shard: a leader table (ACID side, streamed), its replica tables (BASE side), the writer,
# the reader (one function serving all of the shard's replicas), the replicator fed by the
# leader's stream, and the on-failure queue where records that keep failing are parked.

locals {
  arn_prefix    = "arn:${var.aws.partition}"
  table_arn     = "${local.arn_prefix}:dynamodb:${var.aws.region}:${var.aws.account_id}:table"
  leader_arn    = "${local.table_arn}/${var.shard.leader_table}"
  replica_arns  = [for name in values(var.shard.replica_tables) : "${local.table_arn}/${name}"]
  control_arn   = "${local.table_arn}/${var.control_table}"
  queue_arn     = "${local.arn_prefix}:sqs:${var.aws.region}:${var.aws.account_id}:${var.shard.on_failure_queue}"
  shard_env     = merge(var.environment, { SHARDKV_SHARD = var.shard.id })
  handler_label = "QUARKUS_LAMBDA_HANDLER"
}

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

resource "aws_dynamodb_table" "leader" {
  name                        = var.shard.leader_table
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.deletion_protection

  # Every committed write (and the old image, for tombstones and version checks) goes to the
  # replicator through this stream.
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  # Tombstones carry expiresAt and are garbage-collected by DynamoDB TTL.
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled = true
  }

  tags = merge(var.tags, { "shardkv:shard" = var.shard.id, "shardkv:role" = "leader" })
}

resource "aws_dynamodb_table" "replica" {
  for_each = var.shard.replica_tables

  name                        = each.value
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.deletion_protection

  # Replicas are written by the replicator only; nothing reads a stream from them.
  stream_enabled = false

  attribute {
    name = "pk"
    type = "S"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled = true
  }

  tags = merge(var.tags, { "shardkv:shard" = var.shard.id, "shardkv:role" = each.key })
}

# ---------------------------------------------------------------------------------------------
# On-failure queue: what still fails after bisecting and the bounded retries lands here,
# never silently dropped and never blocking the shard.
# ---------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "on_failure" {
  name                      = var.shard.on_failure_queue
  message_retention_seconds = 1209600 # 14 days, the SQS maximum
  sqs_managed_sse_enabled   = true
  tags                      = merge(var.tags, { "shardkv:shard" = var.shard.id })
}

# ---------------------------------------------------------------------------------------------
# Functions (one zip; QUARKUS_LAMBDA_HANDLER picks the handler)
# ---------------------------------------------------------------------------------------------

module "writer" {
  source = "../function"

  name          = var.shard.writer
  description   = "ShardKV writer of shard ${var.shard.id}: conditional writes and transactions on the leader"
  zip_path      = var.functions.zip_path
  architectures = var.functions.architectures
  snap_start    = var.functions.snap_start
  memory_mb     = var.functions.memory_mb.writer
  timeout_s     = var.functions.timeout_s.writer

  log_retention_days = var.functions.log_retention_days
  environment        = merge(local.shard_env, { (local.handler_label) = "writer" })
  aws                = var.aws
  tags               = merge(var.tags, { "shardkv:shard" = var.shard.id })

  policy_statements = [
    {
      # TransactWriteItems within the shard is authorized by the per-item actions below.
      sid       = "OwnLeaderTable"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"]
      resources = [local.leader_arn]
    },
    {
      # Epoch fencing: the writer re-reads the shard map.
      sid       = "ReadShardMap"
      actions   = ["dynamodb:GetItem"]
      resources = [local.control_arn]
    },
  ]
}

module "reader" {
  source = "../function"

  name          = var.shard.reader
  description   = "ShardKV reader of shard ${var.shard.id}: serves reads from every replica of the shard"
  zip_path      = var.functions.zip_path
  architectures = var.functions.architectures
  snap_start    = var.functions.snap_start
  memory_mb     = var.functions.memory_mb.reader
  timeout_s     = var.functions.timeout_s.reader

  log_retention_days = var.functions.log_retention_days
  environment        = merge(local.shard_env, { (local.handler_label) = "reader" })
  aws                = var.aws
  tags               = merge(var.tags, { "shardkv:shard" = var.shard.id })

  policy_statements = [
    {
      sid       = "OwnReplicaTables"
      actions   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"]
      resources = local.replica_arns
    },
  ]
}

module "replicator" {
  source = "../function"

  name          = var.shard.replicator
  description   = "ShardKV replicator of shard ${var.shard.id}: applies the leader's stream to every replica"
  zip_path      = var.functions.zip_path
  architectures = var.functions.architectures
  snap_start    = var.functions.snap_start
  memory_mb     = var.functions.memory_mb.replicator
  timeout_s     = var.functions.timeout_s.replicator

  log_retention_days = var.functions.log_retention_days
  environment        = merge(local.shard_env, { (local.handler_label) = "replicator" })
  aws                = var.aws
  tags               = merge(var.tags, { "shardkv:shard" = var.shard.id })

  policy_statements = [
    {
      # Stream ARNs end in a creation label (/stream/<timestamp>), so the leader's streams
      # are matched with a suffix wildcard on this one table.
      sid       = "ReadOwnLeaderStream"
      actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
      resources = ["${local.leader_arn}/stream/*"]
    },
    {
      # "*" resource: dynamodb:ListStreams does not support resource-level permissions;
      # AWS requires "*" for it (the event source mapping lists the table's streams).
      sid       = "ListStreams"
      actions   = ["dynamodb:ListStreams"]
      resources = ["*"]
    },
    {
      # A batch of records is applied with one consistent BatchGetItem (the versions held) and
      # BatchWriteItem (the newer ones); single items with Get/Put/Delete.
      sid       = "WriteOwnReplicaTables"
      actions   = ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"]
      resources = local.replica_arns
    },
    {
      # The event source mapping sends failed batches to the on-failure destination with the
      # function's execution role.
      sid       = "OwnOnFailureQueue"
      actions   = ["sqs:SendMessage"]
      resources = [local.queue_arn]
    },
  ]
}

# ---------------------------------------------------------------------------------------------
# Leader stream -> replicator
# ---------------------------------------------------------------------------------------------

resource "aws_lambda_event_source_mapping" "replicator" {
  event_source_arn  = aws_dynamodb_table.leader.stream_arn
  function_name     = module.replicator.alias_arn
  starting_position = "TRIM_HORIZON"

  batch_size                         = var.stream.batch_size
  maximum_batching_window_in_seconds = var.stream.batching_window_s

  # The replicator reports the first failed sequence number; the mapping bisects, retries a
  # bounded number of times, drops records older than the maximum age, and parks what still
  # fails in the on-failure queue. A poison record never blocks the shard for 24 hours.
  function_response_types        = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error = true
  maximum_retry_attempts         = var.stream.maximum_retry_attempts
  maximum_record_age_in_seconds  = var.stream.maximum_record_age_seconds

  # One concurrent batch per stream shard keeps the whole shard in stream order, which the
  # per-replica watermarks rely on.
  parallelization_factor = 1

  destination_config {
    on_failure {
      destination_arn = local.queue_arn
    }
  }

  # local.queue_arn is derived from the name; the queue must exist first.
  depends_on = [aws_sqs_queue.on_failure]
}
