# The plan follows topology.json: one module per shard, one leader and N replicas each, the
# writer/reader/replicator trio, streams, mappings and the seeded shard map.
# Plan-only against a mocked AWS provider: no credentials, no network.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "default_topology" {
  command = plan

  assert {
    condition     = length(module.shard) == 3 && toset(keys(module.shard)) == toset(["a-l", "m-s", "t-z"])
    error_message = "shards: the plan must have exactly one shard module per shard of topology.json (a-l, m-s, t-z)."
  }

  assert {
    condition = alltrue([
      for id, m in module.shard :
      m.leader_table_name == "shardkv-${id}-leader"
      && m.replica_table_names == ["shardkv-${id}-replica-1", "shardkv-${id}-replica-2"]
    ])
    error_message = "tables: every shard needs exactly one leader ({prefix}-{shard}-leader) and replicas {prefix}-{shard}-replica-1..N as the topology says."
  }

  assert {
    condition     = length(output.table_names) == 10 && length(distinct(output.table_names)) == 10 && output.control_table == "shardkv-control"
    error_message = "table count: the default topology has 1 control + 3 leaders + 6 replicas = 10 distinct tables."
  }

  assert {
    condition = alltrue([
      for id, m in module.shard :
      m.function_names == { writer = "shardkv-${id}-writer", reader = "shardkv-${id}-reader", replicator = "shardkv-${id}-replicator" }
    ])
    error_message = "functions: every shard needs one writer, one reader and one replicator named {prefix}-{shard}-{role}."
  }

  assert {
    condition = (
      output.function_names.gateway == "shardkv-gateway"
      && output.function_names.heartbeat == "shardkv-heartbeat"
      && output.function_names.coordinator == "shardkv-coordinator"
    )
    error_message = "functions: gateway, heartbeat and coordinator must be {prefix}-gateway/-heartbeat/-coordinator."
  }

  assert {
    condition = alltrue([
      for id, m in module.shard :
      m.tables[m.leader_table_name].stream_enabled && m.tables[m.leader_table_name].stream_view_type == "NEW_AND_OLD_IMAGES"
    ])
    error_message = "leader stream: every leader table must stream NEW_AND_OLD_IMAGES."
  }

  assert {
    condition = alltrue(flatten([
      for id, m in module.shard : [
        for name, t in m.tables :
        t.billing_mode == "PAY_PER_REQUEST" && t.hash_key == "pk" && t.ttl_attribute == "expiresAt" && t.sse_enabled && !t.pitr_enabled
      ]
    ]))
    error_message = "table settings: leaders and replicas must be PAY_PER_REQUEST, hash key pk, TTL on expiresAt, SSE on, PITR off by default."
  }

  assert {
    condition = alltrue(flatten([
      for id, m in module.shard : [for name in m.replica_table_names : !m.tables[name].stream_enabled]
    ]))
    error_message = "replica tables: only leaders stream; replicas must not."
  }

  assert {
    condition = (
      module.control.control_table.hash_key == "pk"
      && module.control.control_table.billing_mode == "PAY_PER_REQUEST"
      && !module.control.control_table.ttl_enabled
      && module.control.control_table.sse_enabled
    )
    error_message = "control table: PAY_PER_REQUEST, hash key pk, SSE on, no TTL."
  }

  assert {
    condition = (
      jsondecode(module.control.shard_map_item).pk.S == "shardmap"
      && jsondecode(module.control.shard_map_item).epoch.N == "1"
      && jsondecode(jsondecode(module.control.shard_map_item).map.S) == {
        epoch   = 1
        routing = "range"
        shards = [
          { id = "a-l", start = null, end = "m", leader = "shardkv-a-l-leader", replicas = ["shardkv-a-l-replica-1", "shardkv-a-l-replica-2"] },
          { id = "m-s", start = "m", end = "t", leader = "shardkv-m-s-leader", replicas = ["shardkv-m-s-replica-1", "shardkv-m-s-replica-2"] },
          { id = "t-z", start = "t", end = null, leader = "shardkv-t-z-leader", replicas = ["shardkv-t-z-replica-1", "shardkv-t-z-replica-2"] },
        ]
      }
    )
    error_message = "shard map: the control table must be seeded with pk=shardmap, epoch 1 and the derived map (null bounds, leader, replicas)."
  }

  assert {
    condition = alltrue([
      for id, m in module.shard :
      contains(m.event_source_mapping.function_response_types, "ReportBatchItemFailures")
      && m.event_source_mapping.bisect_batch_on_function_error
      && m.event_source_mapping.maximum_retry_attempts >= 0 && m.event_source_mapping.maximum_retry_attempts <= 10000
      && m.event_source_mapping.maximum_record_age_in_seconds >= 60 && m.event_source_mapping.maximum_record_age_in_seconds <= 604800
      && m.event_source_mapping.on_failure_destination_arn == "arn:aws:sqs:eu-west-1:123456789012:shardkv-${id}-replicator-dlq"
    ])
    error_message = "event source mapping: every mapping needs ReportBatchItemFailures, bisect on error, bounded retries, a max record age and its own shard's on-failure queue."
  }

  assert {
    condition = alltrue([
      for id, m in module.shard :
      m.event_source_mapping.parallelization_factor == 1
      && m.event_source_mapping.starting_position == "TRIM_HORIZON"
      && m.event_source_mapping.batch_size == 100
      && m.event_source_mapping.maximum_retry_attempts == 10
      && m.event_source_mapping.maximum_record_age_in_seconds == 3600
      && m.event_source_mapping.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-${id}-replicator:live"
    ])
    error_message = "event source mapping: defaults (batch 100, 10 retries, 3600 s, TRIM_HORIZON, parallelization 1) and target {prefix}-{shard}-replicator:live."
  }

  assert {
    condition = alltrue(flatten([
      for id, m in module.shard : [
        for role, c in m.function_configurations :
        c.runtime == "java21" && join(",", c.architectures) == "arm64" && c.publish && join(",", c.snap_start) == "PublishedVersions"
        && c.handler == "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
        && c.environment.QUARKUS_LAMBDA_HANDLER == role
        && c.environment.SHARDKV_SHARD == id
        && c.environment.POWERTOOLS_METRICS_NAMESPACE == "ShardKV"
        && c.environment.POWERTOOLS_SERVICE_NAME == "shardkv-${id}-${role}"
        && jsondecode(c.environment.SHARDKV_TOPOLOGY).prefix == "shardkv"
        && length(jsondecode(c.environment.SHARDKV_TOPOLOGY).shards) == 3
        && !contains(keys(jsondecode(c.environment.SHARDKV_TOPOLOGY)), "staged")
      ]
    ]))
    error_message = "shard functions: java21, arm64, published with SnapStart, the Quarkus stream handler, QUARKUS_LAMBDA_HANDLER = role, SHARDKV_SHARD, SHARDKV_TOPOLOGY (no staged field without staged shards) and Powertools settings."
  }

  assert {
    condition = (
      module.control.function_configurations.heartbeat.environment.QUARKUS_LAMBDA_HANDLER == "heartbeat"
      && module.control.function_configurations.heartbeat.environment.SHARDKV_HEARTBEAT_INTERVAL_MS == "1000"
      && module.control.function_configurations.heartbeat.timeout_s >= 61
      && module.control.function_configurations.coordinator.environment.QUARKUS_LAMBDA_HANDLER == "coordinator"
      && !contains(keys(module.control.function_configurations.heartbeat.environment), "SHARDKV_SHARD")
    )
    error_message = "control functions: heartbeat (handler, SHARDKV_HEARTBEAT_INTERVAL_MS, timeout above a minute) and coordinator (handler) environment."
  }

  assert {
    condition = (
      module.control.heartbeat_schedule.schedule_expression == "rate(1 minute)"
      && module.control.heartbeat_schedule.state == "ENABLED"
      && module.control.heartbeat_schedule.target_arn == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-heartbeat:live"
    )
    error_message = "heartbeat schedule: an enabled EventBridge rule every minute targeting shardkv-heartbeat:live."
  }

  assert {
    condition = (
      module.gateway.configuration.environment.SHARDKV_FUNCTION_QUALIFIER == "live"
      && module.gateway.configuration.environment.SHARDKV_WRITE_THROTTLE_LAG_MS == "0"
      && module.gateway.configuration.environment.POWERTOOLS_SERVICE_NAME == "shardkv-gateway"
      && module.gateway.configuration.timeout_s <= 30
    )
    error_message = "gateway: SHARDKV_FUNCTION_QUALIFIER = live, its own service name, and a timeout within API Gateway's 30 s."
  }
}

run "fourth_shard" {
  command = plan

  variables {
    topology = {
      prefix  = "shardkv"
      routing = "range"
      shards = [
        { id = "a-f", end = "g", replicas = 2 },
        { id = "g-l", start = "g", end = "m", replicas = 2 },
        { id = "m-s", start = "m", end = "t", replicas = 2 },
        { id = "t-z", start = "t", replicas = 2 },
      ]
    }
  }

  assert {
    condition     = length(module.shard) == 4 && contains(keys(module.shard), "a-f") && contains(keys(module.shard), "g-l") && !contains(keys(module.shard), "a-l")
    error_message = "topology change: a fourth shard (a-l split into a-f and g-l) must yield exactly four shard modules."
  }

  assert {
    condition     = length(output.table_names) == 13 && contains(output.table_names, "shardkv-g-l-replica-2")
    error_message = "topology change: four shards of two replicas = 1 control + 4 leaders + 8 replicas = 13 tables."
  }

  assert {
    condition     = length(jsondecode(jsondecode(module.control.shard_map_item).map.S).shards) == 4
    error_message = "topology change: the seeded shard map must list the four shards."
  }

  assert {
    condition     = length(module.observability[0].alarms.on_failure_queue) == 4 && length(module.observability[0].alarms.delay_p99) == 8
    error_message = "topology change: alarms must follow the shards (4 queue alarms, 8 delay alarms)."
  }

  assert {
    condition = length(jsondecode(module.control.policies["shardkv-coordinator"]).Statement[0].Resource) == 4 && contains(
      jsondecode(module.control.policies["shardkv-coordinator"]).Statement[0].Resource,
      "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-g-l-leader"
    )
    error_message = "topology change: the coordinator's leader-table statement must follow the shards."
  }
}

# A split's targets are staged: deployed like every shard (tables, functions, stream mapping) so the
# resharder and their own functions find them, but not routed (not in the seeded shard map).
run "staged_shards" {
  command = plan

  variables {
    topology = {
      prefix  = "shardkv"
      routing = "range"
      shards = [
        { id = "a-l", end = "m", replicas = 2 },
        { id = "m-s", start = "m", end = "t", replicas = 2 },
        { id = "t-z", start = "t", replicas = 2 },
      ]
      staged = [
        { id = "a-f", replicas = 2 },
        { id = "g-l", replicas = 3 },
      ]
    }
  }

  assert {
    condition     = toset(keys(module.shard)) == toset(["a-l", "m-s", "t-z", "a-f", "g-l"])
    error_message = "staged shards: every routed and every staged shard gets a shard module."
  }

  assert {
    condition = (
      module.shard["g-l"].leader_table_name == "shardkv-g-l-leader"
      && module.shard["g-l"].replica_table_names == ["shardkv-g-l-replica-1", "shardkv-g-l-replica-2", "shardkv-g-l-replica-3"]
      && module.shard["g-l"].tables["shardkv-g-l-leader"].stream_enabled
      && length(output.table_names) == 17 && contains(output.table_names, "shardkv-a-f-replica-2")
    )
    error_message = "staged shards: their leader (streamed) and replica tables exist: 1 control + 3 x 3 routed + 3 (a-f) + 4 (g-l) = 17 tables."
  }

  assert {
    condition = alltrue([
      for id in ["a-f", "g-l"] :
      module.shard[id].function_names == { writer = "shardkv-${id}-writer", reader = "shardkv-${id}-reader", replicator = "shardkv-${id}-replicator" }
      && alltrue([for role, c in module.shard[id].function_configurations : c.environment.SHARDKV_SHARD == id && c.environment.QUARKUS_LAMBDA_HANDLER == role])
      && module.shard[id].event_source_mapping.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-${id}-replicator:live"
    ])
    error_message = "staged shards: each has its writer, reader and replicator (SHARDKV_SHARD = its id) and the stream mapping to its replicator."
  }

  assert {
    condition     = [for s in jsondecode(jsondecode(module.control.shard_map_item).map.S).shards : s.id] == ["a-l", "m-s", "t-z"]
    error_message = "staged shards: the seeded shard map routes the routed shards only."
  }

  assert {
    condition = alltrue(flatten([
      for id, m in module.shard : [
        for role, c in m.function_configurations :
        jsondecode(c.environment.SHARDKV_TOPOLOGY).staged == [{ id = "a-f", replicas = 2 }, { id = "g-l", replicas = 3 }]
        && [for s in jsondecode(c.environment.SHARDKV_TOPOLOGY).shards : s.id] == ["a-l", "m-s", "t-z"]
      ]
    ])) && module.resharder.configuration.environment.SHARDKV_TOPOLOGY == module.gateway.configuration.environment.SHARDKV_TOPOLOGY
    error_message = "staged shards: SHARDKV_TOPOLOGY lists them under staged (id and replicas), apart from the routed shards."
  }

  assert {
    condition     = output.topology.staged == [{ id = "a-f", replicas = 2 }, { id = "g-l", replicas = 3 }] && length(output.topology.shards) == 3
    error_message = "staged shards: output.topology gives them apart from the routed shards."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(module.control.policies["shardkv-heartbeat"]).Statement :
      toset(s.Resource) == toset([for id in ["a-l", "m-s", "t-z", "a-f", "g-l"] : "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-leader"])
      if s.Sid != "OwnLogGroup"
    ])
    error_message = "staged shards: the heartbeat beats on their leaders too (their replicas need lag)."
  }

  assert {
    condition = length(setsubtract(
      flatten([for id in ["a-f", "g-l"] : [for role in ["writer", "reader"] : [
        "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-${id}-${role}",
        "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-${id}-${role}:live",
      ]]]),
      flatten([for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Resource if s.Sid == "InvokeShardFunctions"])
      )) == 0 && !anytrue([
      for r in flatten([for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Resource]) : strcontains(r, "replicator")
    ])
    error_message = "staged shards: the gateway may invoke their writers and readers (after a cutover the map routes to them), never a replicator."
  }

  assert {
    condition = (
      contains(flatten([for s in jsondecode(output.iam_policies["shardkv-resharder"]).Statement : s.Resource if s.Sid == "ShardLeaders"]), "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-g-l-leader")
      && contains(flatten([for s in jsondecode(output.iam_policies["shardkv-resharder"]).Statement : s.Resource if s.Sid == "LeaderStreams"]), "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-a-f-leader/stream/*")
      && contains(flatten([for s in jsondecode(output.iam_policies["shardkv-resharder"]).Statement : s.Resource if s.Sid == "ShardReplicas"]), "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-g-l-replica-3")
      && length(flatten([for s in jsondecode(output.iam_policies["shardkv-resharder"]).Statement : s.Resource if s.Sid == "ShardLeaders"])) == 5
      && length(flatten([for s in jsondecode(output.iam_policies["shardkv-resharder"]).Statement : s.Resource if s.Sid == "ShardReplicas"])) == 11
    )
    error_message = "staged shards: the resharder reaches their leaders, streams and replicas (5 leaders, 11 replicas in all)."
  }

  assert {
    condition     = length(output.iam_policies) == 19
    error_message = "staged shards: 5 shards x 3 functions + gateway, heartbeat, coordinator and resharder = 19 roles."
  }
}

# A staged shard's id may not be a routed shard's.
run "staged_shard_with_a_routed_id_is_refused" {
  command = plan

  variables {
    topology = {
      prefix = "shardkv"
      shards = [{ id = "all", replicas = 2 }]
      staged = [{ id = "all", replicas = 2 }]
    }
  }

  expect_failures = [output.topology]
}

run "third_replica" {
  command = plan

  variables {
    topology = {
      prefix = "shardkv"
      shards = [
        { id = "a-l", end = "m", replicas = 3 },
        { id = "m-s", start = "m", end = "t", replicas = 2 },
        { id = "t-z", start = "t", replicas = 2 },
      ]
    }
  }

  assert {
    condition     = module.shard["a-l"].replica_table_names == ["shardkv-a-l-replica-1", "shardkv-a-l-replica-2", "shardkv-a-l-replica-3"] && length(module.shard["m-s"].replica_table_names) == 2
    error_message = "topology change: a third replica on a-l adds shardkv-a-l-replica-3 and nothing elsewhere."
  }

  assert {
    condition     = length(output.table_names) == 11
    error_message = "topology change: one more replica = 11 tables."
  }

  assert {
    condition = contains(
      flatten([for s in jsondecode(module.shard["a-l"].policies["shardkv-a-l-reader"]).Statement : s.Resource]),
      "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-a-l-replica-3"
    )
    error_message = "topology change: the a-l reader must be allowed to read its new replica-3."
  }

  assert {
    condition     = contains(keys(module.observability[0].alarms.delay_p99), "shardkv-a-l-replica-3-delay-p99")
    error_message = "topology change: the new replica gets its own delay alarm."
  }

  assert {
    condition     = jsondecode(module.control.shard_map_item).map.S == jsonencode(jsondecode(jsondecode(module.control.shard_map_item).map.S)) && length(jsondecode(jsondecode(module.control.shard_map_item).map.S).shards[0].replicas) == 3
    error_message = "topology change: the seeded shard map must list three replicas for a-l."
  }
}

run "invalid_topology_is_refused" {
  command = plan

  variables {
    topology = {
      prefix = "ShardKV!"
      shards = [{ id = "a-z", replicas = 0 }]
    }
  }

  # The topology's rules (modules/topology) refuse it; the plan fails on output.topology only.
  expect_failures = [output.topology]
}

# The case the topology table (src/test/resources/topology-cases.json) was made for: Java refused
# the prefix 1kv at function start while the plan accepted it. The rules are held to the whole
# table by topology_cases.tftest.hcl; this checks that the root module refuses what they refuse.
run "prefix_starting_with_a_digit_is_refused" {
  command = plan

  variables {
    topology = one([for c in jsondecode(file("../src/test/resources/topology-cases.json")).cases : c.topology if c.name == "prefix-starts-with-digit"])
  }

  expect_failures = [output.topology]
}

run "settings_are_variables" {
  command = plan

  variables {
    lambda_architectures              = ["x86_64"]
    snap_start                        = false
    stream_batch_size                 = 50
    stream_maximum_retry_attempts     = 3
    stream_maximum_record_age_seconds = 600
    point_in_time_recovery            = true
    heartbeat_interval_ms             = 5000
    write_throttle_lag_ms             = 5000
    extra_environment                 = { AWS_ENDPOINT_URL = "http://floci:4566" }
  }

  assert {
    condition = alltrue([
      for id, m in module.shard :
      join(",", m.function_configurations.writer.architectures) == "x86_64" && length(m.function_configurations.writer.snap_start) == 0
      && m.event_source_mapping.batch_size == 50 && m.event_source_mapping.maximum_retry_attempts == 3
      && m.event_source_mapping.maximum_record_age_in_seconds == 600
      && m.tables[m.leader_table_name].pitr_enabled
      && m.function_configurations.reader.environment.AWS_ENDPOINT_URL == "http://floci:4566"
    ])
    error_message = "variables: architecture, SnapStart, batch size, retries, record age, PITR and extra environment must follow their variables."
  }

  assert {
    condition     = module.control.function_configurations.heartbeat.environment.SHARDKV_HEARTBEAT_INTERVAL_MS == "5000"
    error_message = "variables: heartbeat_interval_ms must reach SHARDKV_HEARTBEAT_INTERVAL_MS."
  }

  assert {
    condition     = module.gateway.configuration.environment.SHARDKV_WRITE_THROTTLE_LAG_MS == "5000"
    error_message = "variables: write_throttle_lag_ms must reach the gateway's SHARDKV_WRITE_THROTTLE_LAG_MS."
  }
}

run "unbounded_retries_are_refused" {
  command = plan

  variables {
    stream_maximum_retry_attempts     = -1
    stream_maximum_record_age_seconds = -1
  }

  expect_failures = [var.stream_maximum_retry_attempts, var.stream_maximum_record_age_seconds]
}
