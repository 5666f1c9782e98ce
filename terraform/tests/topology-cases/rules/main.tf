# Fixture of tests/topology_cases.tftest.hcl (run "rules"): feeds every case of the topology table,
# src/test/resources/topology-cases.json, to modules/topology, the rules the root module refuses a
# plan with, and every topology of the repository (topology.json, infra/tools/bench/topologies/*.json).
# Terraform cannot loop over run blocks, but a module can loop over the table: a case added to it is
# tested here and by Java's TopologyCasesTest, with nothing to add to either test.
#
# No provider: the 50-odd cases cost about a second.

terraform {
  required_version = ">= 1.6"
}

locals {
  repository = "${path.module}/../../../.."
  cases      = { for c in jsondecode(file("${local.repository}/src/test/resources/topology-cases.json")).cases : c.name => c }
  repository_topologies = concat(
    ["topology.json"],
    sort(fileset(local.repository, "infra/tools/bench/topologies/*.json")),
  )
}

module "case" {
  source   = "../../../modules/topology"
  for_each = local.cases

  json = jsonencode(each.value.topology)
}

module "repository_topology" {
  source   = "../../../modules/topology"
  for_each = toset(local.repository_topologies)

  json = file("${local.repository}/${each.key}")
}

output "case_count" {
  value = length(local.cases)
}

output "repository_topologies" {
  value = local.repository_topologies
}

# Every case that the rules decide otherwise than the table says, with what they said.
output "mismatches" {
  value = flatten([
    for name, c in local.cases : (
      c.valid ? (
        length(module.case[name].errors) == 0 ? [] : ["${name}: the table says valid, the rules say: ${join("; ", module.case[name].errors)}"]
        ) : (
        anytrue([for e in module.case[name].errors : strcontains(e, c.reason)]) ? [] : [
          "${name}: the table expects a refusal containing '${c.reason}', the rules say: ${length(module.case[name].errors) == 0 ? "valid" : join("; ", module.case[name].errors)}"
        ]
      )
    )
  ])
}

output "repository_errors" {
  value = flatten([for f, m in module.repository_topology : [for e in m.errors : "${f}: ${e}"]])
}
