module "api" {
  source = "./modules/api"

  name                  = "${local.prefix}-api"
  gateway_function_name = module.gateway.function_name
  gateway_alias_name    = module.gateway.alias_name
  gateway_alias_arn     = module.gateway.alias_arn
  gateway_function_arn  = module.gateway.function_arn
  integrate_alias       = var.api_integrate_alias

  data_routes           = var.api_data_routes
  admin_routes          = var.api_admin_routes
  authorization         = var.api_authorization
  allow_unauthenticated = var.api_allow_unauthenticated
  jwt_issuer            = var.jwt_issuer
  jwt_audience          = var.jwt_audience
  jwt_data_scopes       = var.jwt_data_scopes
  jwt_admin_scopes      = var.jwt_admin_scopes

  throttling_burst_limit = var.api_throttling_burst_limit
  throttling_rate_limit  = var.api_throttling_rate_limit
  log_retention_days     = var.log_retention_days
  aws                    = local.aws
  tags                   = local.tags
}
