output "id" {
  description = "Shard id."
  value       = var.shard.id
}

output "leader_table_name" {
  description = "Name of the shard's leader table."
  value       = aws_dynamodb_table.leader.name
}

output "replica_table_names" {
  description = "Names of the shard's replica tables, in replica order (replica-1, replica-2, ...)."
  value       = [for k in sort(keys(aws_dynamodb_table.replica)) : aws_dynamodb_table.replica[k].name]
}

output "tables" {
  description = "Stream, TTL, encryption and billing settings of every table of the shard, by table name."
  value = {
    for t in concat([aws_dynamodb_table.leader], values(aws_dynamodb_table.replica)) : t.name => {
      billing_mode     = t.billing_mode
      hash_key         = t.hash_key
      stream_enabled   = t.stream_enabled
      stream_view_type = t.stream_view_type
      ttl_attribute    = one([for x in t.ttl : x.attribute_name if x.enabled])
      sse_enabled      = one([for x in t.server_side_encryption : x.enabled])
      pitr_enabled     = one([for x in t.point_in_time_recovery : x.enabled])
    }
  }
}

output "leader_stream_arn" {
  description = "ARN of the leader table's stream."
  value       = aws_dynamodb_table.leader.stream_arn
}

output "function_names" {
  description = "Names of the shard's functions by role."
  value = {
    writer     = module.writer.function_name
    reader     = module.reader.function_name
    replicator = module.replicator.function_name
  }
}

output "function_arns" {
  description = "Unqualified ARNs of the shard's functions by role."
  value = {
    writer     = module.writer.function_arn
    reader     = module.reader.function_arn
    replicator = module.replicator.function_arn
  }
}

output "alias_arns" {
  description = "ARNs of the \"live\" alias of the shard's functions by role."
  value = {
    writer     = module.writer.alias_arn
    reader     = module.reader.alias_arn
    replicator = module.replicator.alias_arn
  }
}

output "function_configurations" {
  description = "Runtime settings of the shard's functions by role."
  value = {
    writer     = module.writer.configuration
    reader     = module.reader.configuration
    replicator = module.replicator.configuration
  }
}

output "policies" {
  description = "Inline IAM policy (JSON) of each of the shard's functions, by function name."
  value = {
    (module.writer.function_name)     = module.writer.policy_json
    (module.reader.function_name)     = module.reader.policy_json
    (module.replicator.function_name) = module.replicator.policy_json
  }
}

output "on_failure_queue_name" {
  description = "Name of the replicator's on-failure SQS queue."
  value       = aws_sqs_queue.on_failure.name
}

output "on_failure_queue_url" {
  description = "URL of the replicator's on-failure SQS queue."
  value       = aws_sqs_queue.on_failure.url
}

output "on_failure_queue_arn" {
  description = "ARN of the replicator's on-failure SQS queue."
  value       = local.queue_arn
}

output "event_source_mapping" {
  description = "Settings of the leader-stream -> replicator mapping."
  value = {
    function_name                  = aws_lambda_event_source_mapping.replicator.function_name
    starting_position              = aws_lambda_event_source_mapping.replicator.starting_position
    batch_size                     = aws_lambda_event_source_mapping.replicator.batch_size
    function_response_types        = aws_lambda_event_source_mapping.replicator.function_response_types
    bisect_batch_on_function_error = aws_lambda_event_source_mapping.replicator.bisect_batch_on_function_error
    maximum_retry_attempts         = aws_lambda_event_source_mapping.replicator.maximum_retry_attempts
    maximum_record_age_in_seconds  = aws_lambda_event_source_mapping.replicator.maximum_record_age_in_seconds
    parallelization_factor         = aws_lambda_event_source_mapping.replicator.parallelization_factor
    on_failure_destination_arn     = one(flatten([for d in aws_lambda_event_source_mapping.replicator.destination_config : [for f in d.on_failure : f.destination_arn]]))
  }
}
