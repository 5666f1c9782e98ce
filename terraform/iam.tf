# IAM that spans modules. Each function's own role and inline policy live with the function
# (modules/function); statements are built from derived ARNs, so the plan shows them in full.

locals {
  table_arn_prefix = "arn:${local.aws.partition}:dynamodb:${local.aws.region}:${local.aws.account_id}:table"

  control_table_arn = "${local.table_arn_prefix}/${local.control_table}"

  # Every shard's tables, routed and staged (local.shards has both).
  leader_table_arns  = [for id, s in local.shards : "${local.table_arn_prefix}/${s.leader_table}"]
  replica_table_arns = flatten([for id, s in local.shards : [for r, t in s.replica_tables : "${local.table_arn_prefix}/${t}"]])

  gateway_policy_statements = [
    {
      # Only the shard functions (routed and staged: after a cutover the map routes to a staged
      # shard) and the coordinator, unqualified and through "live".
      sid     = "InvokeShardFunctions"
      actions = ["lambda:InvokeFunction"]
      resources = flatten(concat(
        [for id, m in module.shard : [m.function_arns.writer, m.alias_arns.writer, m.function_arns.reader, m.alias_arns.reader]],
        [module.control.coordinator_function_arn, module.control.coordinator_alias_arn],
      ))
    },
    {
      # The gateway routes with the shard map from the control table.
      sid       = "ReadShardMap"
      actions   = ["dynamodb:GetItem"]
      resources = [local.control_table_arn]
    },
    {
      # Each replica's last verification (check#<replica table>), read by key once a second: a
      # divergent replica serves no reads, and /v1/replication shows it.
      sid       = "ReadVerifications"
      actions   = ["dynamodb:BatchGetItem"]
      resources = [local.control_table_arn]
      conditions = {
        "ForAllValues:StringLike" = {
          "dynamodb:LeadingKeys" = ["check#*"]
        }
      }
    },
    # The admin routes (/v1/admin/: splits, merges, their list, aborts) use the two statements
    # below. Only callers that pass the API's admin authorization reach them (modules/api
    # admin_routes: the admin policy under AWS_IAM, the admin scopes under JWT).
    {
      # Starts the resharder once an operation is stored (the schedule would within a minute).
      sid       = "InvokeResharder"
      actions   = ["lambda:InvokeFunction"]
      resources = [module.resharder.function_arn, module.resharder.alias_arn]
    },
    {
      # Stores a new operation (one TransactWriteItems of conditional puts of op#<id> and its
      # lock#<shard> items: PutItem and ConditionCheckItem authorize them) and writes abort requests
      # (abort#<id>): only those keys, so never the shard map item. No UpdateItem or DeleteItem.
      sid       = "ManageOperations"
      actions   = ["dynamodb:PutItem", "dynamodb:ConditionCheckItem"]
      resources = [local.control_table_arn]
      conditions = {
        "ForAllValues:StringLike" = {
          "dynamodb:LeadingKeys" = ["op#*", "lock#*", "abort#*"]
        }
      }
    },
    {
      # Lists the operations (GET /v1/admin/operations): a Scan has no leading key to narrow.
      sid       = "ListOperations"
      actions   = ["dynamodb:Scan"]
      resources = [local.control_table_arn]
    },
  ]

  # The resharder copies the sources' leaders to the targets' (Scan, then batch and conditional
  # writes), follows the sources' streams to catch up, fills and checks replicas, and keeps each
  # operation's state and the shard map in the control table. Every shard's tables, routed and
  # staged: an operation's sources are routed shards, its targets staged ones.
  resharder_policy_statements = [
    {
      sid       = "ShardLeaders"
      actions   = ["dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
      resources = local.leader_table_arns
    },
    {
      sid       = "LeaderStreams"
      actions   = ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"]
      resources = [for arn in local.leader_table_arns : "${arn}/stream/*"]
    },
    {
      # Verifications too: keys and versions scanned, differences read back (BatchGetItem) and repaired
      # with a PutItem or DeleteItem conditioned on the version found.
      sid       = "ShardReplicas"
      actions   = ["dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem"]
      resources = local.replica_table_arns
    },
    {
      sid       = "ControlTable"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:ConditionCheckItem"]
      resources = [local.control_table_arn]
    },
  ]

  # Every function's inline policy, by function name (reviewed by tests/iam.tftest.hcl).
  iam_policies = merge(
    merge([for id, m in module.shard : m.policies]...),
    module.control.policies,
    { (module.gateway.function_name) = module.gateway.policy_json },
    { (module.resharder.function_name) = module.resharder.policy_json },
  )
}
