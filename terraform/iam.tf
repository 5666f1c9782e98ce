# IAM that spans modules. Each function's own role and inline policy live with the function
# (modules/function); statements are built from derived ARNs, so the plan shows them in full.

locals {
  table_arn_prefix = "arn:${local.aws.partition}:dynamodb:${local.aws.region}:${local.aws.account_id}:table"

  gateway_policy_statements = [
    {
      # Only the shard functions and the coordinator, unqualified and through "live".
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
      resources = ["${local.table_arn_prefix}/${local.control_table}"]
    },
  ]

  # Every function's inline policy, by function name (reviewed by tests/iam.tftest.hcl).
  iam_policies = merge(
    merge([for id, m in module.shard : m.policies]...),
    module.control.policies,
    { (module.gateway.function_name) = module.gateway.policy_json },
  )
}
