# Dashboard and alarms per shard x replica: delay p99 against the SLO, replication errors and
# divergence found by verifications; per shard: iterator age and on-failure queue depth.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "alarms_and_dashboard" {
  command = plan

  assert {
    condition = (
      length(module.observability[0].alarms.delay_p99) == 6
      && length(module.observability[0].alarms.replication_errors) == 6
      && length(module.observability[0].alarms.replica_divergence) == 6
      && length(module.observability[0].alarms.iterator_age) == 3
      && length(module.observability[0].alarms.on_failure_queue) == 3
    )
    error_message = "alarms: one delay, one error and one divergence alarm per shard x replica, one iterator-age and one queue alarm per shard."
  }

  assert {
    condition = alltrue([
      for name, a in module.observability[0].alarms.delay_p99 :
      a.namespace == "ShardKV" && a.metric == "ReplicationDelayMs" && a.statistic == "p99" && a.threshold == 1000
      && toset(keys(a.dimensions)) == toset(["Shard", "Replica"]) && a.treat_missing_data == "breaching"
    ])
    error_message = "delay alarm: ShardKV/ReplicationDelayMs p99 over replication_delay_slo_ms (1000), dimensions Shard and Replica only, missing data = breaching (lag unknown)."
  }

  assert {
    condition = alltrue([
      for name, a in module.observability[0].alarms.replication_errors : a.metric == "ReplicationErrors" && a.threshold == 0
    ])
    error_message = "error alarm: ReplicationErrors > 0."
  }

  assert {
    condition = (
      toset(keys(module.observability[0].alarms.replica_divergence)) == toset(flatten([
        for id in ["a-l", "m-s", "t-z"] : [for n in [1, 2] : "shardkv-${id}-replica-${n}-divergent"]
      ]))
      && alltrue([
        for name, a in module.observability[0].alarms.replica_divergence :
        a.namespace == "ShardKV" && a.metric == "ReplicaDivergentItems" && a.statistic == "Maximum" && a.threshold == 0
        && a.period == 300 && a.treat_missing_data == "ignore"
        && length(a.dimensions) == 2 && "shardkv-${a.dimensions.Shard}-${a.dimensions.Replica}-divergent" == name
      ])
    )
    error_message = "divergence alarm: ShardKV/ReplicaDivergentItems Maximum > 0 per shard x replica (dimensions exactly Shard and Replica), 5-minute period, missing data = ignore (sent only when a verification ends)."
  }

  assert {
    condition = alltrue([
      for id in ["a-l", "m-s", "t-z"] : alltrue([
        for n in [1, 2] : strcontains(module.observability[0].dashboard_body, "\"ReplicaDivergentItems\",\"Shard\",\"${id}\",\"Replica\",\"replica-${n}\"")
      ])
    ])
    error_message = "dashboard: ReplicaDivergentItems for every shard x replica."
  }

  assert {
    condition = alltrue([
      for name, a in module.observability[0].alarms.iterator_age :
      a.namespace == "AWS/Lambda" && a.metric == "IteratorAge" && a.statistic == "Maximum" && a.threshold == 60000
      && endswith(a.dimensions.FunctionName, "-replicator")
    ])
    error_message = "iterator-age alarm: AWS/Lambda IteratorAge Maximum of each replicator over iterator_age_alarm_ms."
  }

  assert {
    condition = alltrue([
      for name, a in module.observability[0].alarms.on_failure_queue :
      a.namespace == "AWS/SQS" && a.metric == "ApproximateNumberOfMessagesVisible" && a.threshold == 0 && endswith(a.dimensions.QueueName, "-replicator-dlq")
    ])
    error_message = "queue alarm: ApproximateNumberOfMessagesVisible > 0 on each on-failure queue."
  }

  assert {
    condition = alltrue([
      for id in ["a-l", "m-s", "t-z"] : alltrue([
        for n in [1, 2] : strcontains(module.observability[0].dashboard_body, "\"HeartbeatAgeMs\",\"Shard\",\"${id}\",\"Replica\",\"replica-${n}\"")
        && strcontains(module.observability[0].dashboard_body, "\"ReplicaLagMs\",\"Shard\",\"${id}\",\"Replica\",\"replica-${n}\"")
      ])
    ])
    error_message = "dashboard: ReplicaLagMs and HeartbeatAgeMs for every shard x replica."
  }

  assert {
    condition = alltrue([
      for id in ["a-l", "m-s", "t-z"] :
      strcontains(module.observability[0].dashboard_body, "\"IteratorAge\",\"FunctionName\",\"shardkv-${id}-replicator\"")
      && strcontains(module.observability[0].dashboard_body, "\"ReplicationDelayMs\",\"Shard\",\"${id}\",\"Replica\",\"replica-2\"")
      && strcontains(module.observability[0].dashboard_body, "\"Throttles\",\"Shard\",\"${id}\"")
    ])
    error_message = "dashboard: delay per shard x replica, load per shard and each replicator's IteratorAge."
  }

  assert {
    condition     = !strcontains(module.observability[0].dashboard_body, "\"Service\"")
    error_message = "dashboard: metrics have no Service dimension."
  }

  assert {
    condition     = alltrue([for kind, alarms in module.observability[0].alarms : alltrue([for n, a in alarms : length(a.alarm_actions) == 0])])
    error_message = "alarm actions: none unless alarm_sns_topic_arn is set."
  }
}

run "sns_and_slo_variables" {
  command = plan

  variables {
    replication_delay_slo_ms = 250
    alarm_sns_topic_arn      = "arn:aws:sns:eu-west-1:123456789012:shardkv-alarms"
  }

  assert {
    condition = alltrue([
      for kind, alarms in module.observability[0].alarms : alltrue([
        for n, a in alarms : toset(a.alarm_actions) == toset(["arn:aws:sns:eu-west-1:123456789012:shardkv-alarms"])
      ])
    ])
    error_message = "alarm actions: every alarm must notify alarm_sns_topic_arn when it is set."
  }

  assert {
    condition     = alltrue([for n, a in module.observability[0].alarms.delay_p99 : a.threshold == 250])
    error_message = "delay alarm: the threshold must follow replication_delay_slo_ms."
  }
}

run "the_old_slo_variable_name_is_refused" {
  command = plan

  variables {
    replication_lag_slo_ms = 250
  }

  expect_failures = [var.replication_lag_slo_ms]
}

run "observability_can_be_disabled" {
  command = plan

  variables {
    observability_enabled = false
  }

  assert {
    condition     = length(module.observability) == 0 && output.dashboard_name == null
    error_message = "observability_enabled = false must drop the dashboard and alarms (e.g. on emulators)."
  }
}
