output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_body" {
  description = "The dashboard definition (JSON)."
  value       = aws_cloudwatch_dashboard.this.dashboard_body
}

output "alarms" {
  description = "Every alarm by kind: alarm name => {metric, threshold, dimensions}."
  value = {
    for kind, group in {
      delay_p99          = aws_cloudwatch_metric_alarm.delay_p99
      replication_errors = aws_cloudwatch_metric_alarm.replication_errors
      replica_divergence = aws_cloudwatch_metric_alarm.replica_divergence
      iterator_age       = aws_cloudwatch_metric_alarm.iterator_age
      on_failure_queue   = aws_cloudwatch_metric_alarm.on_failure_queue
      } : kind => {
      for k, a in group : a.alarm_name => {
        namespace          = a.namespace
        metric             = a.metric_name
        statistic          = coalesce(a.extended_statistic, a.statistic)
        threshold          = a.threshold
        dimensions         = a.dimensions
        treat_missing_data = a.treat_missing_data
        period             = a.period
        alarm_actions      = a.alarm_actions
      }
    }
  }
}
