output "api_url" {
  description = "Base URL of the REST API (requests are SigV4-signed for service execute-api)."
  value       = module.shardkv.api_url
}

output "leader_tables" {
  description = "Leader table of every shard."
  value       = module.shardkv.leader_tables
}

output "replica_tables" {
  description = "Replica tables of every shard."
  value       = module.shardkv.replica_tables
}

output "control_table" {
  description = "Control table (shard map)."
  value       = module.shardkv.control_table
}

output "function_names" {
  description = "Every Lambda function."
  value       = module.shardkv.function_names
}

output "on_failure_queue_urls" {
  description = "On-failure queue of every shard's replicator."
  value       = module.shardkv.on_failure_queue_urls
}

output "client_policy_json" {
  description = "IAM policy for API clients (data routes)."
  value       = module.shardkv.client_policy_json
}

output "admin_policy_json" {
  description = "IAM policy for administrators (all routes)."
  value       = module.shardkv.admin_policy_json
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = module.shardkv.dashboard_name
}
