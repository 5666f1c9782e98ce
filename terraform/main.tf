# ShardKV on AWS: one module instance per shard of topology.json (routed and staged), the control
# plane (shard map, heartbeat, cross-shard coordinator), the resharder (splits and merges), the
# gateway behind an HTTP API, and observability.
#
# Every name is derived here, once, from the topology; nothing lists the shards a second time.

data "aws_partition" "current" {}
data "aws_region" "current" {}

module "topology" {
  source = "./modules/topology"

  # jsonencode(var.topology) keeps every field and JSON type, so both sources meet the same rules.
  json = var.topology != null ? jsonencode(var.topology) : file(local.topology_file)
}

# The account id comes from STS unless aws_account_id gives it: emulators and offline plans
# then make no call at all (aws_partition and aws_region are answered by the provider itself).
data "aws_caller_identity" "current" {
  count = var.aws_account_id == null ? 1 : 0
}

locals {
  aws = {
    partition  = data.aws_partition.current.partition
    region     = data.aws_region.current.name
    account_id = var.aws_account_id != null ? var.aws_account_id : one(data.aws_caller_identity.current[*].account_id)
  }

  topology_file = coalesce(var.topology_file, "${path.module}/../topology.json")

  # The topology as written, checked by modules/topology (the same rules as Java's Topology), and
  # normalized: start/end may be absent (unbounded). A topology that breaks a rule yields no shards
  # here, and output.topology's precondition fails the plan with every broken rule.
  prefix     = module.topology.prefix
  routing    = module.topology.routing
  shard_list = module.topology.shards

  # Staged shards (id and replicas): a split's or merge's targets. They are deployed like the routed
  # shards (tables, writer/reader/replicator, stream mapping) so that the operation finds them, but
  # they are not in the seeded shard map: the operation routes to them at its cutover.
  staged_list = module.topology.staged

  # What the functions receive as SHARDKV_TOPOLOGY (absent bounds stay absent, as in the file;
  # staged only when there is one).
  topology_json = jsonencode(merge(
    {
      prefix  = local.prefix
      routing = local.routing
      shards  = [for s in local.shard_list : { for k, v in s : k => v if v != null }]
    },
    { for k, v in { staged = local.staged_list } : k => v if length(v) > 0 },
  ))

  # Derived names of every shard, routed and staged: {prefix}-{shard}-leader,
  # {prefix}-{shard}-replica-{n}, functions, queues. A staged shard has no start or end.
  shards = {
    for s in concat(local.shard_list, [for s in local.staged_list : merge(s, { start = null, end = null })]) : s.id => merge(s, {
      leader_table     = "${local.prefix}-${s.id}-leader"
      replica_tables   = { for n in range(1, s.replicas + 1) : "replica-${n}" => "${local.prefix}-${s.id}-replica-${n}" }
      writer           = "${local.prefix}-${s.id}-writer"
      reader           = "${local.prefix}-${s.id}-reader"
      replicator       = "${local.prefix}-${s.id}-replicator"
      on_failure_queue = "${local.prefix}-${s.id}-replicator-dlq"
    })
  }

  control_table = "${local.prefix}-control"
  gateway_name  = "${local.prefix}-gateway"

  # The shard map seeded into the control table (epoch 1): the routed shards only, never the
  # staged ones. The Java parser ignores unknown fields and accepts null bounds.
  shard_map_json = jsonencode({
    epoch   = 1
    routing = local.routing
    shards = [
      for s in local.shard_list : {
        id       = s.id
        start    = s.start
        end      = s.end
        leader   = local.shards[s.id].leader_table
        replicas = [for n in range(1, s.replicas + 1) : local.shards[s.id].replica_tables["replica-${n}"]]
      }
    ]
  })

  # Environment every function gets (plus POWERTOOLS_SERVICE_NAME = its own name).
  common_environment = merge(var.extra_environment, {
    SHARDKV_TOPOLOGY             = local.topology_json
    POWERTOOLS_METRICS_NAMESPACE = "ShardKV"
  })

  gateway_zip_path = coalesce(var.gateway_zip_path, "${path.module}/../functions/gateway/target/function.zip")
  shard_zip_path   = coalesce(var.shard_zip_path, "${path.module}/../functions/shard/target/function.zip")

  tags = merge({ "shardkv:deployment" = local.prefix }, var.tags)
}
