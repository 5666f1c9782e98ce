# Dashboard and alarms over the metrics the functions publish (Embedded Metric Format,
# namespace ShardKV; dimensions Shard and Replica only) and the AWS metrics of the replicators'
# event source mappings and on-failure queues.

locals {
  actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]

  shard_replicas = flatten([
    for s in var.shards : [
      for n in range(1, s.replicas + 1) : {
        key     = "${s.id}/replica-${n}"
        shard   = s.id
        replica = "replica-${n}"
      }
    ]
  ])
  shard_replica_map = { for sr in local.shard_replicas : sr.key => sr }
  shards_by_id      = { for s in var.shards : s.id => s }

  delay_stats = ["p50", "p90", "p99", "Maximum"]

  # Six widgets per shard, three per row (24 columns wide grid).
  widgets_per_shard = [
    for s in var.shards : [
      {
        type = "metric"
        properties = {
          title  = "${s.id}: ReplicationDelayMs, commit to apply (p50/p90/p99/max)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = flatten([
            for n in range(1, s.replicas + 1) : [
              for st in local.delay_stats : [var.namespace, "ReplicationDelayMs", "Shard", s.id, "Replica", "replica-${n}", { stat = st, label = "replica-${n} ${st}" }]
            ]
          ])
          annotations = { horizontal = [{ label = "SLO p99", value = var.replication_delay_slo_ms }] }
        }
      },
      {
        type = "metric"
        properties = {
          title  = "${s.id}: ReplicatedRecords / ReplicationErrors"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = flatten([
            for n in range(1, s.replicas + 1) : [
              [var.namespace, "ReplicatedRecords", "Shard", s.id, "Replica", "replica-${n}", { stat = "Sum", label = "replica-${n} replicated" }],
              [var.namespace, "ReplicationErrors", "Shard", s.id, "Replica", "replica-${n}", { stat = "Sum", label = "replica-${n} errors" }],
            ]
          ])
        }
      },
      {
        type = "metric"
        properties = {
          title  = "${s.id}: ReplicaLagMs, how far behind / HeartbeatAgeMs (max)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = flatten([
            for n in range(1, s.replicas + 1) : [
              [var.namespace, "ReplicaLagMs", "Shard", s.id, "Replica", "replica-${n}", { stat = "Maximum", label = "replica-${n} lag" }],
              [var.namespace, "HeartbeatAgeMs", "Shard", s.id, "Replica", "replica-${n}", { stat = "Maximum", label = "replica-${n} heartbeat age" }],
            ]
          ])
        }
      },
      {
        type = "metric"
        properties = {
          title  = "${s.id}: Reads / Writes / Throttles"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            [var.namespace, "Reads", "Shard", s.id, { stat = "Sum" }],
            [var.namespace, "Writes", "Shard", s.id, { stat = "Sum" }],
            [var.namespace, "Throttles", "Shard", s.id, { stat = "Sum" }],
          ]
        }
      },
      {
        type = "metric"
        properties = {
          title  = "${s.id}: replicator IteratorAge (max)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/Lambda", "IteratorAge", "FunctionName", s.replicator_function, { stat = "Maximum" }],
          ]
          annotations = { horizontal = [{ label = "alarm", value = var.iterator_age_alarm_ms }] }
        }
      },
      {
        type = "metric"
        properties = {
          title  = "${s.id}: on-failure queue depth"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", s.on_failure_queue, { stat = "Maximum" }],
          ]
        }
      },
    ]
  ]

  # One point per replica per verification: the divergent items the last one left (0 = clean).
  divergence_widget = {
    type   = "metric"
    width  = 24
    height = 6
    x      = 0
    y      = length(var.shards) * 12
    properties = {
      title  = "ReplicaDivergentItems, unrepaired after each verification (max)"
      region = var.region
      view   = "timeSeries"
      period = local.divergence_period_s
      metrics = [
        for sr in local.shard_replicas :
        [var.namespace, "ReplicaDivergentItems", "Shard", sr.shard, "Replica", sr.replica, { stat = "Maximum", label = sr.key }]
      ]
    }
  }

  widgets = concat(flatten([
    for si, ws in local.widgets_per_shard : [
      for wi, w in ws : merge(w, {
        width  = 8
        height = 6
        x      = (wi % 3) * 8
        y      = si * 12 + floor(wi / 3) * 6
      })
    ]
  ]), [local.divergence_widget])

  # ReplicaDivergentItems comes once per verification, not every minute. Five minutes take in a
  # point delivered late through the logs (EMF), yet a repair rarely lands in the same period as
  # the finding it repairs, so the period's Maximum is the last verification's count.
  divergence_period_s = 300
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.prefix
  dashboard_body = jsonencode({ widgets = local.widgets })
}

# Replication delay (per record, commit on the leader to apply on the replica) over the objective.
# No data means nothing, not even a heartbeat, was applied: the replica's lag is unknown, which
# counts as unhealthy, never as zero.
resource "aws_cloudwatch_metric_alarm" "delay_p99" {
  for_each = local.shard_replica_map

  alarm_name          = "${var.prefix}-${each.value.shard}-${each.value.replica}-delay-p99"
  alarm_description   = "p99 replication delay (commit to apply) of ${each.key} above ${var.replication_delay_slo_ms} ms (or nothing applied)"
  namespace           = var.namespace
  metric_name         = "ReplicationDelayMs"
  dimensions          = { Shard = each.value.shard, Replica = each.value.replica }
  extended_statistic  = "p99"
  period              = var.alarm_period_s
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = var.replication_delay_slo_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Named lag_p99 before "lag" meant only how far behind a replica is now (the alarm names change too).
moved {
  from = aws_cloudwatch_metric_alarm.lag_p99
  to   = aws_cloudwatch_metric_alarm.delay_p99
}

resource "aws_cloudwatch_metric_alarm" "replication_errors" {
  for_each = local.shard_replica_map

  alarm_name          = "${var.prefix}-${each.value.shard}-${each.value.replica}-replication-errors"
  alarm_description   = "The replicator failed to apply records to ${each.key}"
  namespace           = var.namespace
  metric_name         = "ReplicationErrors"
  dimensions          = { Shard = each.value.shard, Replica = each.value.replica }
  statistic           = "Sum"
  period              = var.alarm_period_s
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# A verification left items on the replica that differ from its leader (ReplicaDivergentItems, the
# resharder's count of what it did not repair). The metric is sent only when a replica's
# verification ends, so missing data keeps the state: the alarm stays in ALARM until a later
# verification (by hand or verification_schedule) reports 0, and a replica never verified stays
# INSUFFICIENT_DATA, which notifies nobody.
resource "aws_cloudwatch_metric_alarm" "replica_divergence" {
  for_each = local.shard_replica_map

  alarm_name          = "${var.prefix}-${each.value.shard}-${each.value.replica}-divergent"
  alarm_description   = "The last verification of ${each.key} left items that differ from its leader: it serves no reads until a verification finds it clean (repair: POST /v1/admin/verifications {\"shard\": \"${each.value.shard}\", \"repair\": true})"
  namespace           = var.namespace
  metric_name         = "ReplicaDivergentItems"
  dimensions          = { Shard = each.value.shard, Replica = each.value.replica }
  statistic           = "Maximum"
  period              = local.divergence_period_s
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "ignore"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  for_each = local.shards_by_id

  alarm_name          = "${var.prefix}-${each.key}-replicator-iterator-age"
  alarm_description   = "The replicator of shard ${each.key} is falling behind its leader's stream"
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = each.value.replicator_function }
  statistic           = "Maximum"
  period              = var.alarm_period_s
  evaluation_periods  = var.alarm_evaluation_periods
  threshold           = var.iterator_age_alarm_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "on_failure_queue" {
  for_each = local.shards_by_id

  alarm_name          = "${var.prefix}-${each.key}-replicator-dlq"
  alarm_description   = "Stream records of shard ${each.key} were parked in the on-failure queue: replay or repair them"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value.on_failure_queue }
  statistic           = "Maximum"
  period              = var.alarm_period_s
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}
