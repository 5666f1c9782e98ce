# One Lambda function with everything it owns: its role (least privilege, its own inline
# policy only: no AWS-managed policy is attached), its log group, a published version
# (SnapStart applies to published versions) and the alias "live" that every caller targets.

locals {
  alias_name = "live"

  # ARNs are built from names so that they are known at plan time: the policies can be read
  # in `terraform plan` and checked by `terraform test` before anything exists.
  arn_prefix     = "arn:${var.aws.partition}"
  function_arn   = "${local.arn_prefix}:lambda:${var.aws.region}:${var.aws.account_id}:function:${var.name}"
  alias_arn      = "${local.function_arn}:${local.alias_name}"
  log_group_name = "/aws/lambda/${var.name}"
  log_group_arn  = "${local.arn_prefix}:logs:${var.aws.region}:${var.aws.account_id}:log-group:${local.log_group_name}"

  environment = merge(var.environment, {
    POWERTOOLS_SERVICE_NAME = var.name
  })

  # Replaces AWSLambdaBasicExecutionRole: the log group is created here, so the function
  # only needs to write streams and events into its own group.
  log_statement = {
    sid        = "OwnLogGroup"
    actions    = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources  = ["${local.log_group_arn}:*"]
    conditions = {}
  }

  statements = concat(var.policy_statements, [local.log_statement])

  policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [
      for s in local.statements : merge(
        {
          Sid      = s.sid
          Effect   = "Allow"
          Action   = s.actions
          Resource = s.resources
        },
        { for k, v in { Condition = s.conditions } : k => v if length(s.conditions) > 0 }
      )
    ]
  })
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name        = var.name
  description = "Execution role of the ${var.name} function"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-least-privilege"
  role   = aws_iam_role.this.id
  policy = local.policy_json
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  description      = var.description
  role             = aws_iam_role.this.arn
  filename         = var.zip_path
  source_code_hash = fileexists(var.zip_path) ? filebase64sha256(var.zip_path) : null
  handler          = var.handler
  runtime          = var.runtime
  architectures    = var.architectures
  memory_size      = var.memory_mb
  timeout          = var.timeout_s
  publish          = true

  reserved_concurrent_executions = var.reserved_concurrency

  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  environment {
    variables = local.environment
  }

  tags = var.tags

  # The role's policy and the log group must exist before the first invocation.
  depends_on = [aws_iam_role_policy.this, aws_cloudwatch_log_group.this]
}

resource "aws_lambda_alias" "live" {
  name             = local.alias_name
  description      = "The published version every caller invokes"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}
