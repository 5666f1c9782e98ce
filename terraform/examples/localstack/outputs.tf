output "api_id" {
  description = "Id of the HTTP API on the emulator."
  value       = module.shardkv.api_id
}

output "api_url" {
  description = "URL of the API on the emulator (virtual-host style; *.localhost.localstack.cloud resolves to 127.0.0.1)."
  value       = "http://${module.shardkv.api_id}.${var.api_host_suffix}"
}

output "api_url_reported" {
  description = "The API endpoint as the emulator reports it."
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

output "function_names" {
  description = "Every Lambda function."
  value       = module.shardkv.function_names
}
