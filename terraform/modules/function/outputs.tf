output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Unqualified ARN of the function (derived from its name)."
  value       = local.function_arn
  depends_on  = [aws_lambda_function.this]
}

output "alias_name" {
  description = "Name of the alias every caller targets."
  value       = local.alias_name
}

output "alias_arn" {
  description = "ARN of the \"live\" alias (derived from the name; available once the alias exists)."
  value       = local.alias_arn
  depends_on  = [aws_lambda_alias.live]
}

output "alias_invoke_arn" {
  description = "API Gateway integration URI of the \"live\" alias."
  value       = "${local.arn_prefix}:apigateway:${var.aws.region}:lambda:path/2015-03-31/functions/${local.alias_arn}/invocations"
  depends_on  = [aws_lambda_alias.live]
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "policy_json" {
  description = "The function's complete inline IAM policy (JSON)."
  value       = local.policy_json
}

output "configuration" {
  description = "Runtime settings of the function, for review and tests."
  value = {
    runtime       = aws_lambda_function.this.runtime
    handler       = aws_lambda_function.this.handler
    architectures = aws_lambda_function.this.architectures
    memory_mb     = aws_lambda_function.this.memory_size
    timeout_s     = aws_lambda_function.this.timeout
    publish       = aws_lambda_function.this.publish
    snap_start    = [for s in aws_lambda_function.this.snap_start : s.apply_on]
    environment   = local.environment
    log_retention = aws_cloudwatch_log_group.this.retention_in_days
  }
}
