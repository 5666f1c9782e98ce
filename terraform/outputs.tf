output "topology" {
  description = "The normalized topology this deployment was planned from (prefix, routing, shards, staged)."
  value = {
    prefix  = local.prefix
    routing = local.routing
    shards  = local.shard_list
    staged  = local.staged_list
  }

  # The topology's rules (modules/topology, the same as Java's): every broken one in one message.
  precondition {
    condition     = length(module.topology.errors) == 0
    error_message = "topology is not valid: ${join("; ", module.topology.errors)}"
  }
}

output "api_url" {
  description = "Base URL of the REST API (e.g. PUT <api_url>/v1/kv/<key>). Requests must be SigV4-signed (execute-api) unless api_authorization says otherwise."
  value       = module.api.api_endpoint
}

output "api_id" {
  description = "Id of the HTTP API (emulators build their invoke URLs from it)."
  value       = module.api.api_id
}

output "leader_tables" {
  description = "Leader table name of every shard (routed and staged), by shard id."
  value       = { for id, m in module.shard : id => m.leader_table_name }
}

output "replica_tables" {
  description = "Replica table names of every shard, routed and staged (replica-1, replica-2, ...), by shard id."
  value       = { for id, m in module.shard : id => m.replica_table_names }
}

output "control_table" {
  description = "Name of the control table (holds the shard map under pk = \"shardmap\")."
  value       = module.control.control_table_name
}

output "table_names" {
  description = "Every DynamoDB table of the deployment."
  value = concat(
    [module.control.control_table_name],
    flatten([for id, m in module.shard : concat([m.leader_table_name], m.replica_table_names)]),
  )
}

output "function_names" {
  description = "Every function: gateway, heartbeat, coordinator, resharder and, per shard id (routed and staged), writer/reader/replicator."
  value = {
    gateway     = module.gateway.function_name
    heartbeat   = module.control.heartbeat_function_name
    coordinator = module.control.coordinator_function_name
    resharder   = module.resharder.function_name
    shards      = { for id, m in module.shard : id => m.function_names }
  }
}

output "resharder_function_name" {
  description = "Name of the resharder, the function that runs splits and merges (invoke its \"live\" alias)."
  value       = module.resharder.function_name
}

output "verification_rule_name" {
  description = "Name of the EventBridge rule that starts the scheduled verification (verification_schedule); null when there is none."
  value       = one(aws_cloudwatch_event_rule.verification[*].name)
}

output "on_failure_queue_urls" {
  description = "URL of every shard's (routed and staged) replicator on-failure (dead-letter) SQS queue, by shard id."
  value       = { for id, m in module.shard : id => m.on_failure_queue_url }
}

output "client_policy_json" {
  description = "IAM policy document (JSON) for API clients: execute-api:Invoke on the data routes only."
  value       = module.api.client_policy_json
}

output "admin_policy_json" {
  description = "IAM policy document (JSON) for administrators: execute-api:Invoke on every route, admin routes included."
  value       = module.api.admin_policy_json
}

output "iam_policies" {
  description = "Inline IAM policy (JSON) of every function's role, by function name, for review."
  value       = local.iam_policies
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard (null when observability is disabled)."
  value       = one(module.observability[*].dashboard_name)
}

output "heartbeat_cost_note" {
  description = "What the always-on heartbeat costs."
  value       = "The heartbeat runs ~60 s of every minute and writes every ${var.heartbeat_interval_ms} ms to each of ${length(local.shard_list)} leaders (replicated to ${sum(concat([0], [for s in local.shard_list : s.replicas]))} replicas): about USD 58/month for 3 shards x 2 replicas at 1000 ms, 512 MB arm64, with the replication, watermark saves, metrics and logs it causes (./shardkv cost --writes-per-s 0 --reads-per-s 0, with and without --no-heartbeat). Set heartbeat_enabled = false or raise heartbeat_interval_ms to cut it."
}
