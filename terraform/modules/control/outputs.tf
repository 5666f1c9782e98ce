output "control_table_name" {
  description = "Name of the control table."
  value       = aws_dynamodb_table.control.name
}

output "control_table" {
  description = "Settings of the control table."
  value = {
    billing_mode   = aws_dynamodb_table.control.billing_mode
    hash_key       = aws_dynamodb_table.control.hash_key
    stream_enabled = aws_dynamodb_table.control.stream_enabled
    ttl_enabled    = anytrue([for x in aws_dynamodb_table.control.ttl : x.enabled])
    sse_enabled    = one([for x in aws_dynamodb_table.control.server_side_encryption : x.enabled])
  }
}

output "shard_map_item" {
  description = "The seeded shard-map item (DynamoDB JSON)."
  value       = aws_dynamodb_table_item.shard_map.item
}

output "heartbeat_function_name" {
  description = "Name of the heartbeat function."
  value       = module.heartbeat.function_name
}

output "heartbeat_schedule" {
  description = "Schedule of the heartbeat rule and the ARN it targets."
  value = {
    schedule_expression = aws_cloudwatch_event_rule.heartbeat.schedule_expression
    state               = aws_cloudwatch_event_rule.heartbeat.state
    target_arn          = aws_cloudwatch_event_target.heartbeat.arn
  }
}

output "coordinator_function_name" {
  description = "Name of the coordinator function."
  value       = module.coordinator.function_name
}

output "coordinator_function_arn" {
  description = "Unqualified ARN of the coordinator function."
  value       = module.coordinator.function_arn
}

output "coordinator_alias_arn" {
  description = "ARN of the coordinator's \"live\" alias."
  value       = module.coordinator.alias_arn
}

output "function_configurations" {
  description = "Runtime settings of the heartbeat and coordinator functions."
  value = {
    heartbeat   = module.heartbeat.configuration
    coordinator = module.coordinator.configuration
  }
}

output "policies" {
  description = "Inline IAM policy (JSON) of the heartbeat and coordinator functions, by function name."
  value = {
    (module.heartbeat.function_name)   = module.heartbeat.policy_json
    (module.coordinator.function_name) = module.coordinator.policy_json
  }
}
