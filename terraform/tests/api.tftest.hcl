# The HTTP API: explicit routes, every one authorized (AWS_IAM by default, JWT when switched),
# proxying to the gateway's "live" alias with payload 2.0; client and admin policies differ.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "aws_iam_by_default" {
  command = plan

  assert {
    condition = toset(keys(module.api.routes)) == toset([
      "PUT /v1/kv/{key+}", "GET /v1/kv/{key+}", "DELETE /v1/kv/{key+}", "POST /v1/kv:batchGet", "POST /v1/tx",
      "GET /v1/shards", "GET /v1/replication", "GET /v1/query/{proxy+}", "GET /q/health", "GET /q/openapi",
      "ANY /v1/admin/{proxy+}",
    ])
    error_message = "routes: the API must expose exactly the explicit data routes plus the admin route (no $default catch-all)."
  }

  assert {
    condition     = alltrue([for k, r in module.api.routes : r.authorization_type == "AWS_IAM" && r.authorizer_id == null])
    error_message = "route authorization: every route must require AWS_IAM (SigV4) by default."
  }

  assert {
    condition     = alltrue([for k, r in module.api.routes : r.target == "integrations/int1234"])
    error_message = "routes: every route must target the gateway integration."
  }

  assert {
    condition = (
      module.api.integration.integration_type == "AWS_PROXY"
      && module.api.integration.payload_format_version == "2.0"
      && module.api.integration.integration_uri == "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-gateway:live"
    )
    error_message = "integration: Lambda proxy (AWS_PROXY), payload format 2.0, to the gateway's live alias."
  }

  assert {
    condition     = module.api.stage.name == "$default" && module.api.stage.auto_deploy && module.api.stage.throttle_burst == 200 && module.api.stage.throttle_rate == 100
    error_message = "stage: $default with auto-deploy and the throttling variables."
  }

  assert {
    condition     = output.api_url == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    error_message = "api_url: the output must be the API's endpoint."
  }

  assert {
    condition = (
      jsondecode(output.client_policy_json).Statement[0].Action == ["execute-api:Invoke"]
      && contains(jsondecode(output.client_policy_json).Statement[0].Resource, "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/PUT/v1/kv/*")
      && contains(jsondecode(output.client_policy_json).Statement[0].Resource, "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/POST/v1/kv:batchGet")
      && !anytrue([for r in jsondecode(output.client_policy_json).Statement[0].Resource : strcontains(r, "/v1/admin/")])
      && length(jsondecode(output.client_policy_json).Statement[0].Resource) == 10
    )
    error_message = "client policy: execute-api:Invoke on the ten data routes only, never the admin routes."
  }

  assert {
    condition = (
      contains(jsondecode(output.admin_policy_json).Statement[0].Resource, "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/*/v1/admin/*")
      && length(jsondecode(output.admin_policy_json).Statement[0].Resource) == 11
    )
    error_message = "admin policy: execute-api:Invoke on every route, the admin route included."
  }
}

run "jwt_when_switched" {
  command = plan

  variables {
    api_authorization = "JWT"
    jwt_issuer        = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE"
    jwt_audience      = ["shardkv-client"]
  }

  assert {
    condition     = alltrue([for k, r in module.api.routes : r.authorization_type == "JWT" && r.authorizer_id == "auth123"])
    error_message = "route authorization: with api_authorization = JWT every route must use the JWT authorizer."
  }

  assert {
    condition     = toset(module.api.routes["ANY /v1/admin/{proxy+}"].authorization_scopes) == toset(["shardkv/admin"])
    error_message = "admin permission: with JWT the admin routes must require the admin scope."
  }
}

# The api module on its own: the guards on JWT and NONE.

run "jwt_needs_issuer_and_audience" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    name                   = "shardkv-api"
    gateway_function_name  = "shardkv-gateway"
    gateway_alias_arn      = "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-gateway:live"
    gateway_function_arn   = "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-gateway"
    data_routes            = ["GET /v1/kv/{key+}"]
    throttling_burst_limit = 10
    throttling_rate_limit  = 10
    aws                    = { partition = "aws", region = "eu-west-1", account_id = "123456789012" }
    authorization          = "JWT"
  }

  expect_failures = [aws_apigatewayv2_authorizer.jwt]
}

run "none_needs_explicit_opt_in" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    name                   = "shardkv-api"
    gateway_function_name  = "shardkv-gateway"
    gateway_alias_arn      = "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-gateway:live"
    gateway_function_arn   = "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-gateway"
    data_routes            = ["GET /v1/kv/{key+}"]
    throttling_burst_limit = 10
    throttling_rate_limit  = 10
    aws                    = { partition = "aws", region = "eu-west-1", account_id = "123456789012" }
    authorization          = "NONE"
  }

  expect_failures = [aws_apigatewayv2_route.this]
}

run "none_with_opt_in_is_open" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    name                   = "shardkv-api"
    gateway_function_name  = "shardkv-gateway"
    gateway_alias_arn      = "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-gateway:live"
    gateway_function_arn   = "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-gateway"
    data_routes            = ["GET /v1/kv/{key+}"]
    throttling_burst_limit = 10
    throttling_rate_limit  = 10
    aws                    = { partition = "aws", region = "eu-west-1", account_id = "123456789012" }
    authorization          = "NONE"
    allow_unauthenticated  = true
  }

  assert {
    condition     = alltrue([for k, r in aws_apigatewayv2_route.this : r.authorization_type == "NONE"])
    error_message = "emulator switch: authorization NONE with allow_unauthenticated = true must plan open routes (local emulators only)."
  }
}

run "the_api_invokes_the_live_alias_by_default" {
  command = plan

  assert {
    condition     = endswith(module.api.integration.integration_uri, ":function:shardkv-gateway:live")
    error_message = "By default the API integrates with the gateway's live alias."
  }

  assert {
    condition     = module.api.integration.permission_qualifier == "live"
    error_message = "By default API Gateway may invoke the live alias only."
  }
}

run "emulators_can_integrate_the_unqualified_function" {
  command = plan

  variables {
    api_integrate_alias = false
  }

  assert {
    condition     = endswith(module.api.integration.integration_uri, ":function:shardkv-gateway")
    error_message = "api_integrate_alias = false integrates with the unqualified gateway function."
  }

  assert {
    condition     = module.api.integration.permission_qualifier == null
    error_message = "api_integrate_alias = false grants the invoke permission without a qualifier."
  }
}
