# Shared mock data for `mock_provider "aws" { source = "./tests/mocks" }`.
# Computed attributes get real-looking values so the provider's ARN validation accepts them.

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_region" {
  defaults = {
    name = "eu-west-1"
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
    arn        = "arn:aws:iam::123456789012:user/terraform-test"
    user_id    = "AIDAEXAMPLEEXAMPLE123"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn       = "arn:aws:iam::123456789012:role/mock-role"
    unique_id = "AROAEXAMPLEEXAMPLE123"
  }
}

mock_resource "aws_dynamodb_table" {
  defaults = {
    arn          = "arn:aws:dynamodb:eu-west-1:123456789012:table/mock-table"
    stream_arn   = "arn:aws:dynamodb:eu-west-1:123456789012:table/mock-table/stream/2025-01-01T00:00:00.000"
    stream_label = "2025-01-01T00:00:00.000"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:mock-queue"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/mock-queue"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/mock"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn                  = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
    qualified_arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock:1"
    invoke_arn           = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
    qualified_invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock:1/invocations"
    version              = "1"
  }
}

mock_resource "aws_lambda_alias" {
  defaults = {
    arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock:live"
    invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock:live/invocations"
  }
}

mock_resource "aws_lambda_event_source_mapping" {
  defaults = {
    arn          = "arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:00000000-0000-0000-0000-000000000000"
    function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:mock:live"
    uuid         = "00000000-0000-0000-0000-000000000000"
  }
}

mock_resource "aws_apigatewayv2_api" {
  defaults = {
    id            = "a1b2c3d4e5"
    arn           = "arn:aws:apigateway:eu-west-1::/apis/a1b2c3d4e5"
    api_endpoint  = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
  }
}

mock_resource "aws_apigatewayv2_integration" {
  defaults = {
    id = "int1234"
  }
}

mock_resource "aws_apigatewayv2_authorizer" {
  defaults = {
    id = "auth123"
  }
}

mock_resource "aws_apigatewayv2_stage" {
  defaults = {
    arn           = "arn:aws:apigateway:eu-west-1::/apis/a1b2c3d4e5/stages/$default"
    execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default"
    invoke_url    = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/"
  }
}

mock_resource "aws_cloudwatch_event_rule" {
  defaults = {
    arn = "arn:aws:events:eu-west-1:123456789012:rule/mock"
  }
}

mock_resource "aws_cloudwatch_dashboard" {
  defaults = {
    dashboard_arn = "arn:aws:cloudwatch::123456789012:dashboard/mock"
  }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = {
    arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:mock"
  }
}
