# The resharder: runs the splits and merges (online resharding) that the gateway's admin routes
# store in the control table. One invocation runs every operation that has not ended (copy the
# sources, catch up on their streams, cut over, retire) until SHARDKV_RESHARDER_MARGIN_S before its
# timeout, saves where each one is and returns; the next invocation resumes. An operation's target
# shards must already be deployed: list them under "staged" in topology.json and apply first.
#
# Started every minute by EventBridge (resharder_schedule_enabled), by the gateway's admin routes
# and, when verification_schedule is set, by a second rule that starts a verification; always
# through its "live" alias. With a timeout of up to 900 s, invocations overlap (one
# a minute): the resharder must keep two of them from running the same operation (its role has
# conditional writes on the control table for that). Its policy is in iam.tf.

locals {
  resharder_name     = "${local.prefix}-resharder"
  resharder_margin_s = 120
  resharder_rule_arn = "arn:${local.aws.partition}:events:${local.aws.region}:${local.aws.account_id}:rule/${local.resharder_name}"

  verification_rule_name = "${local.resharder_name}-verify"
  verification_rule_arn  = "arn:${local.aws.partition}:events:${local.aws.region}:${local.aws.account_id}:rule/${local.verification_rule_name}"
}

module "resharder" {
  source = "./modules/function"

  name          = local.resharder_name
  description   = "ShardKV resharder: runs the splits and merges that have not ended, resuming where the last invocation stopped"
  zip_path      = local.shard_zip_path
  architectures = var.lambda_architectures
  snap_start    = var.snap_start
  memory_mb     = var.lambda_memory_mb.resharder
  timeout_s     = var.lambda_timeout_s.resharder

  log_retention_days = var.log_retention_days
  environment = merge(local.common_environment, {
    QUARKUS_LAMBDA_HANDLER     = "resharder"
    SHARDKV_RESHARDER_MARGIN_S = tostring(local.resharder_margin_s)
  })
  policy_statements = local.resharder_policy_statements
  aws               = local.aws
  tags              = local.tags
}

resource "aws_cloudwatch_event_rule" "resharder" {
  name                = local.resharder_name
  description         = "Starts the ShardKV resharder every minute: it resumes the splits and merges that have not ended"
  schedule_expression = "rate(1 minute)"
  state               = var.resharder_schedule_enabled ? "ENABLED" : "DISABLED"
  tags                = local.tags
}

resource "aws_cloudwatch_event_target" "resharder" {
  rule      = aws_cloudwatch_event_rule.resharder.name
  target_id = "resharder-live"
  arn       = module.resharder.alias_arn
}

resource "aws_lambda_permission" "resharder_schedule" {
  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = module.resharder.function_name
  qualifier     = module.resharder.alias_name
  principal     = "events.amazonaws.com"
  source_arn    = local.resharder_rule_arn

  depends_on = [aws_cloudwatch_event_rule.resharder, module.resharder]
}

# The scheduled verification (verification_schedule, off by default): the resharder stores a
# verification of every shard (unless one still runs) and runs it like any operation, through the
# same alias and lease as the minute schedule. Its input replaces the scheduled-event body.
resource "aws_cloudwatch_event_rule" "verification" {
  count = var.verification_schedule == null ? 0 : 1

  name                = local.verification_rule_name
  description         = "Starts a ShardKV verification of every shard's replicas against their leaders${var.verification_repair ? ", repairing what differs" : ""}"
  schedule_expression = var.verification_schedule
  tags                = local.tags
}

resource "aws_cloudwatch_event_target" "verification" {
  count = var.verification_schedule == null ? 0 : 1

  rule      = aws_cloudwatch_event_rule.verification[0].name
  target_id = "resharder-live"
  arn       = module.resharder.alias_arn
  input     = jsonencode({ verify = { repair = var.verification_repair } })
}

resource "aws_lambda_permission" "verification_schedule" {
  count = var.verification_schedule == null ? 0 : 1

  statement_id  = "AllowEventBridgeVerification"
  action        = "lambda:InvokeFunction"
  function_name = module.resharder.function_name
  qualifier     = module.resharder.alias_name
  principal     = "events.amazonaws.com"
  source_arn    = local.verification_rule_arn

  depends_on = [aws_cloudwatch_event_rule.verification, module.resharder]
}

# A failed run is not retried: the schedule starts the next one within a minute, and it resumes from
# what the last one saved (a retry would only overlap it).
resource "aws_lambda_function_event_invoke_config" "resharder" {
  function_name                = module.resharder.function_name
  qualifier                    = module.resharder.alias_name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60

  depends_on = [module.resharder]
}
