# The resharder: the function that runs splits and merges, its schedule and its settings (its
# policy is checked with every other one in iam.tftest.hcl).
# Plan-only against a mocked AWS provider: no credentials, no network.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "resharder_defaults" {
  command = plan

  assert {
    condition = (
      output.resharder_function_name == "shardkv-resharder"
      && output.function_names.resharder == "shardkv-resharder"
      && module.resharder.configuration.environment.QUARKUS_LAMBDA_HANDLER == "resharder"
      && module.resharder.configuration.environment.SHARDKV_RESHARDER_MARGIN_S == "120"
      && module.resharder.configuration.environment.POWERTOOLS_SERVICE_NAME == "shardkv-resharder"
      && module.resharder.configuration.environment.SHARDKV_TOPOLOGY == module.gateway.configuration.environment.SHARDKV_TOPOLOGY
      && !contains(keys(module.resharder.configuration.environment), "SHARDKV_SHARD")
    )
    error_message = "resharder: {prefix}-resharder, QUARKUS_LAMBDA_HANDLER = resharder, SHARDKV_RESHARDER_MARGIN_S = 120 and the common environment."
  }

  assert {
    condition = (
      module.resharder.configuration.memory_mb == 1024
      && module.resharder.configuration.timeout_s == 900
      && module.resharder.configuration.runtime == "java21"
      && module.resharder.configuration.publish
      && module.resharder.configuration.handler == "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
      && join(",", module.resharder.configuration.snap_start) == "PublishedVersions"
    )
    error_message = "resharder: 1024 MB, 900 s, java21, published with SnapStart, the Quarkus stream handler."
  }

  assert {
    condition     = module.resharder.function_arn == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder" && module.resharder.alias_arn == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder:live"
    error_message = "resharder: invoked through its live alias like every function."
  }

  assert {
    condition = (
      aws_cloudwatch_event_rule.resharder.name == "shardkv-resharder"
      && aws_cloudwatch_event_rule.resharder.schedule_expression == "rate(1 minute)"
      && aws_cloudwatch_event_rule.resharder.state == "ENABLED"
      && aws_cloudwatch_event_target.resharder.arn == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder:live"
    )
    error_message = "resharder schedule: an enabled rule {prefix}-resharder every minute, targeting the live alias."
  }

  assert {
    condition = (
      aws_lambda_permission.resharder_schedule.principal == "events.amazonaws.com"
      && aws_lambda_permission.resharder_schedule.action == "lambda:InvokeFunction"
      && aws_lambda_permission.resharder_schedule.function_name == "shardkv-resharder"
      && aws_lambda_permission.resharder_schedule.qualifier == "live"
      && aws_lambda_permission.resharder_schedule.source_arn == "arn:aws:events:eu-west-1:123456789012:rule/shardkv-resharder"
    )
    error_message = "resharder schedule: EventBridge may invoke the live alias, from this rule only."
  }

  assert {
    condition = (
      aws_lambda_function_event_invoke_config.resharder.maximum_retry_attempts == 0
      && aws_lambda_function_event_invoke_config.resharder.qualifier == "live"
      && aws_lambda_function_event_invoke_config.resharder.function_name == "shardkv-resharder"
    )
    error_message = "resharder: no asynchronous retries (the next scheduled run resumes)."
  }
}

run "resharder_schedule_can_be_disabled" {
  command = plan

  variables {
    resharder_schedule_enabled = false
  }

  assert {
    condition     = aws_cloudwatch_event_rule.resharder.state == "DISABLED" && module.control.heartbeat_schedule.state == "ENABLED"
    error_message = "resharder_schedule_enabled = false: the resharder's rule is DISABLED (the heartbeat's is not)."
  }

  assert {
    condition     = contains(flatten([for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Resource if s.Sid == "InvokeResharder"]), "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder:live")
    error_message = "resharder_schedule_enabled = false: the gateway can still invoke the resharder."
  }
}

# Existing settings without a resharder attribute keep working; the resharder's are its own.
run "resharder_memory_and_timeout" {
  command = plan

  variables {
    lambda_memory_mb = { gateway = 512 }
    lambda_timeout_s = { writer = 15 }
  }

  assert {
    condition     = module.resharder.configuration.memory_mb == 1024 && module.resharder.configuration.timeout_s == 900 && module.gateway.configuration.memory_mb == 512
    error_message = "lambda_memory_mb / lambda_timeout_s without resharder: the resharder keeps 1024 MB and 900 s."
  }
}

run "resharder_settings_are_variables" {
  command = plan

  variables {
    lambda_memory_mb = { resharder = 2048 }
    lambda_timeout_s = { resharder = 600 }
  }

  assert {
    condition     = module.resharder.configuration.memory_mb == 2048 && module.resharder.configuration.timeout_s == 600 && module.resharder.configuration.environment.SHARDKV_RESHARDER_MARGIN_S == "120"
    error_message = "lambda_memory_mb.resharder and lambda_timeout_s.resharder set the resharder's memory and timeout."
  }
}

run "resharder_timeout_must_outlast_its_margin" {
  command = plan

  variables {
    lambda_timeout_s = { resharder = 120 }
  }

  expect_failures = [var.lambda_timeout_s]
}

# The scheduled verification: off by default; on, a second rule invokes the same alias with a constant
# {"verify": {"repair": ...}} input, and EventBridge may invoke it from that rule only.
run "verification_schedule_is_off_by_default" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_event_rule.verification) == 0 && length(aws_cloudwatch_event_target.verification) == 0 && length(aws_lambda_permission.verification_schedule) == 0 && output.verification_rule_name == null
    error_message = "verification_schedule = null (default): no verification rule, target or permission."
  }
}

run "verification_schedule_starts_verifications" {
  command = plan

  variables {
    verification_schedule = "cron(0 3 * * ? *)"
  }

  assert {
    condition = (
      aws_cloudwatch_event_rule.verification[0].name == "shardkv-resharder-verify"
      && aws_cloudwatch_event_rule.verification[0].schedule_expression == "cron(0 3 * * ? *)"
      && output.verification_rule_name == "shardkv-resharder-verify"
      && aws_cloudwatch_event_target.verification[0].rule == "shardkv-resharder-verify"
      && aws_cloudwatch_event_target.verification[0].arn == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder:live"
      && jsondecode(aws_cloudwatch_event_target.verification[0].input) == { verify = { repair = false } }
    )
    error_message = "verification_schedule: a rule {prefix}-resharder-verify on that expression, targeting the resharder's live alias with {\"verify\": {\"repair\": false}}."
  }

  assert {
    condition = (
      aws_lambda_permission.verification_schedule[0].principal == "events.amazonaws.com"
      && aws_lambda_permission.verification_schedule[0].function_name == "shardkv-resharder"
      && aws_lambda_permission.verification_schedule[0].qualifier == "live"
      && aws_lambda_permission.verification_schedule[0].source_arn == "arn:aws:events:eu-west-1:123456789012:rule/shardkv-resharder-verify"
      && aws_lambda_permission.verification_schedule[0].statement_id != aws_lambda_permission.resharder_schedule.statement_id
    )
    error_message = "verification_schedule: EventBridge may invoke the live alias from the verification rule, in a statement of its own."
  }

  assert {
    condition     = aws_cloudwatch_event_rule.resharder.schedule_expression == "rate(1 minute)" && aws_cloudwatch_event_target.resharder.input == null
    error_message = "verification_schedule leaves the minute schedule as it is."
  }
}

run "verification_schedule_with_repair" {
  command = plan

  variables {
    verification_schedule = "rate(1 day)"
    verification_repair   = true
  }

  assert {
    condition     = aws_cloudwatch_event_rule.verification[0].schedule_expression == "rate(1 day)" && jsondecode(aws_cloudwatch_event_target.verification[0].input) == { verify = { repair = true } }
    error_message = "verification_repair = true: the target's input asks for a repair."
  }
}

run "verification_schedule_must_be_a_schedule_expression" {
  command = plan

  variables {
    verification_schedule = "1 day"
  }

  expect_failures = [var.verification_schedule]
}
