output "errors" {
  description = "Every broken rule, in the order Java lists them; empty when the topology is valid."
  value       = local.errors
}

# When a rule is broken, what follows is a placeholder with no shards: a plan built from it creates
# nothing of the topology's and fails only on the caller's check of `errors`, with every message.

output "prefix" {
  description = "Name prefix of every derived name (\"invalid-topology\" when a rule is broken)."
  value       = local.valid ? local.prefix : "invalid-topology"
}

output "routing" {
  description = "\"range\" or \"hash\" (range when absent or null)."
  value       = local.valid ? local.routing : "range"
}

output "shards" {
  description = "The routed shards in order: id, start and end (null = unbounded), replicas (empty when a rule is broken)."
  value = [
    for s in local.rows : {
      id       = s.id
      start    = s.start_present ? s.start : null
      end      = s.end_present ? s.end : null
      replicas = s.replicas
    } if local.valid
  ]
}

output "staged" {
  description = "The staged shards in order: id and replicas (no start or end: a split or merge gives them their ranges at its cutover). Empty when there is none or a rule is broken."
  value = [
    for s in local.staged_rows : {
      id       = s.id
      replicas = s.replicas
    } if local.valid
  ]
}
