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
