output "api_id" {
  description = "Id of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Base URL of the API ($default stage: no stage segment)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "execution_arn" {
  description = "execute-api ARN prefix of the API."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "routes" {
  description = "Every route with its authorization."
  value = {
    for k, r in aws_apigatewayv2_route.this : k => {
      kind                 = local.routes[k]
      authorization_type   = r.authorization_type
      authorizer_id        = r.authorizer_id
      authorization_scopes = r.authorization_scopes
      target               = r.target
    }
  }
}

output "integration" {
  description = "Type, payload format and target of the gateway integration."
  value = {
    integration_type       = aws_apigatewayv2_integration.gateway.integration_type
    payload_format_version = aws_apigatewayv2_integration.gateway.payload_format_version
    integration_uri        = aws_apigatewayv2_integration.gateway.integration_uri
    permission_qualifier   = aws_lambda_permission.api.qualifier
  }
}

output "stage" {
  description = "Name, auto-deploy and throttling of the stage."
  value = {
    name           = aws_apigatewayv2_stage.default.name
    auto_deploy    = aws_apigatewayv2_stage.default.auto_deploy
    throttle_burst = one(aws_apigatewayv2_stage.default.default_route_settings[*].throttling_burst_limit)
    throttle_rate  = one(aws_apigatewayv2_stage.default.default_route_settings[*].throttling_rate_limit)
  }
}

output "client_policy_json" {
  description = "IAM policy (JSON) to attach to client principals: execute-api:Invoke on the data routes only."
  value = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeShardKvDataRoutes"
      Effect   = "Allow"
      Action   = ["execute-api:Invoke"]
      Resource = [for r in var.data_routes : local.route_resources[r]]
    }]
  })
}

output "admin_policy_json" {
  description = "IAM policy (JSON) to attach to administrator principals: execute-api:Invoke on every route."
  value = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeAllShardKvRoutes"
      Effect   = "Allow"
      Action   = ["execute-api:Invoke"]
      Resource = [for r in keys(local.routes) : local.route_resources[r]]
    }]
  })
}
