# The HTTP API (API Gateway v2, payload format 2.0) in front of the gateway function: explicit
# routes only (anything else is a 404 from API Gateway), every route authorized, one $default
# stage with auto-deploy, throttling and access logs.

locals {
  routes = merge(
    { for r in var.data_routes : r => "data" },
    { for r in var.admin_routes : r => "admin" },
  )

  jwt = var.authorization == "JWT"

  # execute-api resource of a route: <api-id>/<stage>/<METHOD>/<path>, path parameters -> "*".
  route_resources = {
    for r, kind in local.routes : r => format("%s/%s/%s%s",
      aws_apigatewayv2_api.this.execution_arn,
      "$default",
      split(" ", r)[0] == "ANY" ? "*" : split(" ", r)[0],
      replace(split(" ", r)[1], "/\\{[^}]+\\}/", "*"),
    )
  }
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
  description   = "ShardKV REST API"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "gateway" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.integrate_alias ? var.gateway_alias_arn : var.gateway_function_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 30000
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = local.jwt ? 1 : 0

  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }

  lifecycle {
    precondition {
      condition     = var.jwt_issuer != null && length(var.jwt_audience) > 0
      error_message = "authorization = JWT needs jwt_issuer and at least one jwt_audience."
    }
  }
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.gateway.id}"
  authorization_type = var.authorization
  authorizer_id      = local.jwt ? aws_apigatewayv2_authorizer.jwt[0].id : null
  authorization_scopes = local.jwt ? (
    each.value == "admin" ? var.jwt_admin_scopes : var.jwt_data_scopes
  ) : null

  lifecycle {
    precondition {
      condition     = var.authorization != "NONE" || var.allow_unauthenticated
      error_message = "authorization = NONE leaves the API open; it needs allow_unauthenticated = true (local emulators only)."
    }
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId      = "$context.requestId"
      ip             = "$context.identity.sourceIp"
      caller         = "$context.identity.caller"
      user           = "$context.identity.user"
      requestTime    = "$context.requestTime"
      routeKey       = "$context.routeKey"
      status         = "$context.status"
      latencyMs      = "$context.responseLatency"
      integrationMs  = "$context.integrationLatency"
      errorMessage   = "$context.error.message"
      authorizerErr  = "$context.authorizer.error"
      responseLength = "$context.responseLength"
    })
  }

  tags = var.tags

  depends_on = [aws_apigatewayv2_route.this]
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.gateway_function_name
  qualifier     = var.integrate_alias ? var.gateway_alias_name : null
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*"
}
