# Fixture of tests/topology_cases.tftest.hcl (run "valid_cases_plan"): plans every valid case of the
# topology table, src/test/resources/topology-cases.json, through the root module, so that nothing
# downstream of the rules refuses what they accept, and checks every derived name against AWS
# limits. (topology.json is planned by topology.tftest.hcl; the bench topologies, which only repeat
# what the cases cover with more shards, are checked by the rules alone, to keep the test short.)

terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

locals {
  repository = "${path.module}/../../../.."
  cases      = { for c in jsondecode(file("${local.repository}/src/test/resources/topology-cases.json")).cases : c.name => c }
}

module "valid_case" {
  source   = "../../.."
  for_each = { for name, c in local.cases : name => c if c.valid }

  topology = each.value.topology
}

output "planned" {
  value = keys(module.valid_case)
}

# Tables: 3-255 of [a-zA-Z0-9_.-]; functions and their IAM roles (same name): 64 of
# [a-zA-Z0-9_-]; role policies (<function>-least-privilege): 128.
output "names_beyond_aws_limits" {
  value = flatten([
    for name, m in module.valid_case : concat(
      [for t in m.table_names : "${name}: table ${t}" if !can(regex("^[a-zA-Z0-9_.-]{3,255}$", t))],
      [for f in keys(m.iam_policies) : "${name}: function ${f}" if !can(regex("^[a-zA-Z0-9_-]{1,64}$", f)) || length("${f}-least-privilege") > 128],
    )
  ])
}
