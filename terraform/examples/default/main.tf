# Deploys ShardKV to an AWS account with the repository's topology.json.
#
#   ./mvnw -B package -DskipTests          # from the repository root: builds the two function.zip
#   cd terraform/examples/default
#   terraform init && terraform apply
#
# Credentials come from the usual AWS provider chain (AWS_PROFILE, SSO, environment, ...).

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
  region = var.region

  default_tags {
    tags = { "shardkv:managed-by" = "terraform" }
  }
}

module "shardkv" {
  source = "../.."

  # topology_file defaults to the repository's topology.json.
  lambda_architectures       = var.lambda_architectures
  api_authorization          = var.api_authorization
  jwt_issuer                 = var.jwt_issuer
  jwt_audience               = var.jwt_audience
  alarm_sns_topic_arn        = var.alarm_sns_topic_arn
  heartbeat_enabled          = var.heartbeat_enabled
  resharder_schedule_enabled = var.resharder_schedule_enabled
  verification_schedule      = var.verification_schedule
  verification_repair        = var.verification_repair
}
