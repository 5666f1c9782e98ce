# The same root module against a local AWS emulator (Floci or LocalStack) on one endpoint.
# Used by localstack/up.sh and by the Testcontainers end-to-end test; tflocal works too (its
# generated override file replaces the provider block below).
#
# What differs from AWS, on purpose:
#   - x86_64 functions, no SnapStart (emulators ignore it or run the host's architecture);
#   - the API is open (authorization NONE behind an explicit opt-in): emulators do not check
#     IAM policies, and Floci would demand a SigV4 signature that a curl cannot make;
#   - no dashboard/alarms by default (observability_enabled);
#   - the account id is given (account_id), so nothing asks STS and `terraform plan` works offline;
#   - functions reach the emulator through AWS_ENDPOINT_URL when function_aws_endpoint_url is set.

terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region     = var.region
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  # Every service the deployment touches, implicit ones included: kms (the provider reads the
  # AWS-managed key behind each table's server-side encryption; without it, it retries against
  # real AWS for many minutes) and sts (aws_caller_identity, only when account_id is null).
  endpoints {
    apigateway   = var.endpoint
    apigatewayv2 = var.endpoint
    cloudwatch   = var.endpoint
    dynamodb     = var.endpoint
    events       = var.endpoint
    iam          = var.endpoint
    kms          = var.endpoint
    lambda       = var.endpoint
    logs         = var.endpoint
    sns          = var.endpoint
    sqs          = var.endpoint
    sts          = var.endpoint
  }
}

module "shardkv" {
  source = "../.."

  aws_account_id = var.account_id # no STS lookup: plannable with the emulator down

  topology_file        = var.topology_file
  lambda_architectures = var.lambda_architectures
  snap_start           = false

  api_integrate_alias       = false # Floci answers an alias-qualified integration URI "Function not found: live"
  api_authorization         = "NONE"
  api_allow_unauthenticated = true

  observability_enabled      = var.observability_enabled
  heartbeat_enabled          = var.heartbeat_enabled
  resharder_schedule_enabled = var.resharder_schedule_enabled
  extra_environment          = var.function_aws_endpoint_url == null ? {} : { AWS_ENDPOINT_URL = var.function_aws_endpoint_url }
  log_retention_days         = 1
}
