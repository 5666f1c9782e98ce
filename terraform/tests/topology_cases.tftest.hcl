# The topology table, src/test/resources/topology-cases.json, is the one list of good and bad
# topologies. Java's TopologyCasesTest feeds every case to Topology.parse; this test feeds every
# case to modules/topology (the rules whose errors fail the root module's plan, see
# output.topology) and plans every valid one through the root module. The fixtures loop over the
# table themselves, so there is no run block per case to keep in step with it: a case added to the
# table is tested by both sides. topology.tftest.hcl checks that the root module refuses a plan
# when the rules say no (prefix_starting_with_a_digit_is_refused).
#
# Plan-only against a mocked AWS provider: no credentials, no network.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "rules" {
  command = plan

  module {
    source = "./tests/topology-cases/rules"
  }

  assert {
    condition     = output.case_count > 0 && output.case_count == length(jsondecode(file("../src/test/resources/topology-cases.json")).cases)
    error_message = "Every case of src/test/resources/topology-cases.json must be checked once (are two cases named alike?)."
  }

  assert {
    condition     = length(output.mismatches) == 0
    error_message = "Terraform's topology rules (modules/topology) disagree with the table:\n${join("\n", output.mismatches)}"
  }

  assert {
    condition     = contains(output.repository_topologies, "topology.json") && length(output.repository_topologies) > 1 && length(output.repository_errors) == 0
    error_message = "topology.json and every infra/tools/bench/topologies/*.json must be valid:\n${join("\n", output.repository_errors)}"
  }
}

run "valid_cases_plan" {
  command = plan

  module {
    source = "./tests/topology-cases/plans"
  }

  assert {
    condition     = length(output.planned) == length([for c in jsondecode(file("../src/test/resources/topology-cases.json")).cases : c if c.valid])
    error_message = "Every valid case of the table must be planned."
  }

  assert {
    condition     = length(output.names_beyond_aws_limits) == 0
    error_message = "Derived names beyond AWS limits:\n${join("\n", output.names_beyond_aws_limits)}"
  }
}
