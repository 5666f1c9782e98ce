# The rules of a topology, checked on the JSON as written: no provider, no resources, only the list
# of broken rules and, when there is none, the normalized topology.
#
# The Java side applies the same rules with the same messages (src/main/java/dev/shardkv/core/
# topology/TopologyRules.java), and both are held to one table of cases,
# src/test/resources/topology-cases.json (tests/topology_cases.tftest.hcl and TopologyCasesTest).
# Change a rule in both places and add its cases to the table.
#
# Every value is looked at through jsonencode(), so that its JSON type counts ("2" is not 2, true
# is not "true") and no expression can fail on a value of an unexpected shape: a broken topology
# yields messages, never an evaluation error.

locals {
  text_is_json = can(jsondecode(var.json))
  decoded      = try(jsondecode(var.json), null)
  is_object    = startswith(jsonencode(local.decoded), "{")

  unknown_fields = [for k in try(keys(local.decoded), []) : k if !contains(["prefix", "routing", "shards", "staged"], k)]

  prefix_json = jsonencode(try(local.decoded.prefix, null))
  prefix      = startswith(local.prefix_json, "\"") ? try(tostring(jsondecode(local.prefix_json)), "") : ""
  # A letter first and at most 20 characters: with a shard id of at most 20, the longest derived
  # name, {prefix}-{shard}-replicator-dlq, has 56 characters, so every function and IAM role name
  # fits 64, queue names 80, role policy names (<function>-least-privilege) 128, table names 255.
  prefix_ok = can(regex("^[a-z][a-z0-9-]{0,19}$", local.prefix))

  routing_json = jsonencode(try(local.decoded.routing, null))
  routing      = lookup({ "null" = "range", "\"range\"" = "range", "\"hash\"" = "hash" }, local.routing_json, "")

  shards_json = jsonencode(try(local.decoded.shards, null))
  shard_count = startswith(local.shards_json, "[") ? length(jsondecode(local.shards_json)) : 0
  last        = local.shard_count - 1

  # One row of uniformly typed facts per shard (strings are "" when absent or not strings).
  shard_json = [for i in range(local.shard_count) : jsonencode(jsondecode(local.shards_json)[i])]
  facts = [for j in local.shard_json : {
    is_object     = startswith(j, "{")
    unknown       = [for k in try(keys(jsondecode(j)), []) : k if !contains(["id", "start", "end", "replicas"], k)]
    id_json       = jsonencode(try(jsondecode(j).id, null))
    replicas_json = jsonencode(try(jsondecode(j).replicas, null))
    start_json    = jsonencode(try(jsondecode(j).start, null))
    end_json      = jsonencode(try(jsondecode(j).end, null))
  }]
  rows = [for f in local.facts : merge(f, {
    id_is_string  = startswith(f.id_json, "\"")
    id            = startswith(f.id_json, "\"") ? try(tostring(jsondecode(f.id_json)), "") : ""
    replicas      = try(tonumber(f.replicas_json), 0)
    replicas_ok   = can(regex("^-?[0-9]+$", f.replicas_json)) && try(tonumber(f.replicas_json) >= 1 && tonumber(f.replicas_json) <= 10, false)
    start_present = f.start_json != "null"
    start         = startswith(f.start_json, "\"") ? try(tostring(jsondecode(f.start_json)), "") : ""
    end_present   = f.end_json != "null"
    end           = startswith(f.end_json, "\"") ? try(tostring(jsondecode(f.end_json)), "") : ""
  })]

  shard_errors = [for i, s in local.rows : !s.is_object ? ["shards[${i}] must be a JSON object"] : concat(
    [for k in s.unknown : "shards[${i}]: unknown field \"${k}\" (a shard has id, start, end and replicas)"],
    can(regex("^[a-z0-9][a-z0-9-]{0,19}$", s.id)) ? [] : ["shards[${i}]: id must be 1-20 characters of a-z, 0-9 and '-', not starting with '-': ${s.id_json}"],
    s.id_is_string && contains([for r in slice(local.rows, 0, i) : r.id_json if r.is_object && r.id_is_string], s.id_json) ? ["shards[${i}]: id ${s.id_json} appears twice"] : [],
    s.replicas_ok ? [] : ["shards[${i}]: replicas must be a whole number from 1 to 10: ${s.replicas_json}"],
    i == 0 && s.start_present ? ["shards[${i}]: the first shard must start unbounded (no \"start\")"] : [],
    i > 0 && !s.start_present ? ["shards[${i}]: needs a \"start\" (only the first shard starts unbounded)"] : [],
    i == local.last && s.end_present ? ["shards[${i}]: the last shard must end unbounded (no \"end\")"] : [],
    i < local.last && !s.end_present ? ["shards[${i}]: needs an \"end\" (only the last shard ends unbounded)"] : [],
    [
      for b in [{ name = "start", present = s.start_present, value = s.start, json = s.start_json }, { name = "end", present = s.end_present, value = s.end, json = s.end_json }] : (
        b.value == "" ? "shards[${i}]: ${b.name} must be a non-empty string: ${b.json}" :
        local.routing == "range" && lower(b.value) != b.value ? "shards[${i}]: ${b.name} must be in lower case, since range routing compares lower-cased keys: ${b.json}" :
        "shards[${i}]: ${b.name} must be 1-16 lower-case hex digits, since hash routing compares 16-digit hashes: ${b.json}"
      )
      if b.present && (b.value == "" || (local.routing == "range" && lower(b.value) != b.value) || (local.routing == "hash" && !can(regex("^[0-9a-f]{1,16}$", b.value))))
    ],
    # start < end in code point order: sort() orders strings by their UTF-8 bytes, as Java's
    # RoutingKeys.compare orders them by code point.
    s.start != "" && s.end != "" && (s.start == s.end || sort([s.start, s.end])[0] != s.start) ? ["shards[${i}]: must start before it ends"] : [],
    i > 0 && s.start != "" && try(local.rows[i - 1].end, "") != "" && s.start != try(local.rows[i - 1].end, "") ? [
      "shards[${i}]: must start where shards[${i - 1}] ends (${try(local.rows[i - 1].end_json, "")}), so that every key has exactly one shard"
    ] : [],
  )]

  # Staged shards: a split's or merge's targets, deployed (tables, functions, stream mapping) before
  # the operation runs but not routed: the operation gives them their ranges at its cutover, so a
  # staged shard has an id and replicas only. Absent or null means none; an id may be neither a
  # routed shard's (any shard of a "shards" list) nor an earlier staged shard's.
  staged_json       = jsonencode(try(local.decoded.staged, null))
  staged_is_list    = startswith(local.staged_json, "[")
  staged_count      = local.staged_is_list ? length(jsondecode(local.staged_json)) : 0
  staged_shard_json = [for i in range(local.staged_count) : jsonencode(jsondecode(local.staged_json)[i])]
  staged_facts = [for j in local.staged_shard_json : {
    is_object     = startswith(j, "{")
    unknown       = [for k in try(keys(jsondecode(j)), []) : k if !contains(["id", "replicas"], k)]
    id_json       = jsonencode(try(jsondecode(j).id, null))
    replicas_json = jsonencode(try(jsondecode(j).replicas, null))
  }]
  staged_rows = [for f in local.staged_facts : merge(f, {
    id_is_string = startswith(f.id_json, "\"")
    id           = startswith(f.id_json, "\"") ? try(tostring(jsondecode(f.id_json)), "") : ""
    replicas     = try(tonumber(f.replicas_json), 0)
    replicas_ok  = can(regex("^-?[0-9]+$", f.replicas_json)) && try(tonumber(f.replicas_json) >= 1 && tonumber(f.replicas_json) <= 10, false)
  })]
  routed_id_json = [for r in local.rows : r.id_json if r.is_object && r.id_is_string]

  staged_errors = [for i, s in local.staged_rows : !s.is_object ? ["staged[${i}] must be a JSON object"] : concat(
    [for k in s.unknown : "staged[${i}]: unknown field \"${k}\" (a staged shard has id and replicas)"],
    can(regex("^[a-z0-9][a-z0-9-]{0,19}$", s.id)) ? [] : ["staged[${i}]: id must be 1-20 characters of a-z, 0-9 and '-', not starting with '-': ${s.id_json}"],
    s.id_is_string && contains(concat(local.routed_id_json, [for r in slice(local.staged_rows, 0, i) : r.id_json if r.is_object && r.id_is_string]), s.id_json) ? ["staged[${i}]: id ${s.id_json} appears twice"] : [],
    s.replicas_ok ? [] : ["staged[${i}]: replicas must be a whole number from 1 to 10: ${s.replicas_json}"],
  )]

  errors = !local.text_is_json ? ["the text is not valid JSON"] : !local.is_object ? ["the topology must be a JSON object"] : concat(
    [for k in local.unknown_fields : "unknown field \"${k}\" (a topology has prefix, routing, shards and staged)"],
    local.prefix_ok ? [] : ["prefix must be 1-20 characters of a-z, 0-9 and '-', starting with a letter (derived names must fit AWS limits): ${local.prefix_json}"],
    local.routing != "" ? [] : ["routing must be \"range\" or \"hash\": ${local.routing_json}"],
    local.shard_count > 0 ? [] : ["shards must be a non-empty list"],
    flatten(local.shard_errors),
    local.staged_json == "null" || local.staged_is_list ? [] : ["staged must be a list"],
    flatten(local.staged_errors),
  )
  valid = length(local.errors) == 0
}
