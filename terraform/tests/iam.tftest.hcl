# Least privilege, read off the planned inline policies (ARNs are derived from names, so the
# policies are fully known at plan time). Account 123456789012 / eu-west-1 come from the mocks.

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

run "least_privilege" {
  command = plan

  # --- every policy -------------------------------------------------------------------------

  assert {
    condition     = length(output.iam_policies) == 13
    error_message = "roles: one role (and one inline policy) per function: 3 shards x 3 + gateway + heartbeat + coordinator + resharder = 13."
  }

  assert {
    condition = alltrue(flatten([
      for name, p in output.iam_policies : [
        for s in jsondecode(p).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]
      ]
    ]))
    error_message = "no wildcard actions: no policy may contain an action with \"*\"."
  }

  assert {
    condition = alltrue(flatten([
      for name, p in output.iam_policies : [
        for s in jsondecode(p).Statement : flatten([s.Action]) == ["dynamodb:ListStreams"] if contains(flatten([s.Resource]), "*")
      ]
    ]))
    error_message = "\"*\" resources: only dynamodb:ListStreams (which AWS cannot scope) may use Resource \"*\"."
  }

  assert {
    condition = alltrue(flatten([
      for name, p in output.iam_policies : [
        for s in jsondecode(p).Statement : s.Effect == "Allow" && !contains(keys(s), "NotAction") && !contains(keys(s), "NotResource")
      ]
    ]))
    error_message = "policy shape: only Allow statements, no NotAction/NotResource."
  }

  assert {
    condition = alltrue([
      for name, p in output.iam_policies : anytrue([
        for s in jsondecode(p).Statement :
        s.Action == ["logs:CreateLogStream", "logs:PutLogEvents"]
        && s.Resource == ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/${name}:*"]
      ])
      && alltrue([
        for s in jsondecode(p).Statement :
        alltrue([for r in s.Resource : r == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/${name}:*"])
        if anytrue([for a in s.Action : startswith(a, "logs:")])
      ])
    ])
    error_message = "logs: every function may write only to its own log group (CreateLogStream/PutLogEvents on /aws/lambda/<name>)."
  }

  # --- writer ---------------------------------------------------------------------------------

  assert {
    condition = alltrue([
      for id, m in module.shard :
      toset(flatten([
        for s in jsondecode(m.policies["shardkv-${id}-writer"]).Statement : s.Resource if s.Sid != "OwnLogGroup"
        ])) == toset([
        "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-leader",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-control",
      ])
    ])
    error_message = "writer: its policy may name only its own leader table and the control table."
  }

  assert {
    condition = alltrue(flatten([
      for id, m in module.shard : [
        for s in jsondecode(m.policies["shardkv-${id}-writer"]).Statement :
        s.Action == ["dynamodb:GetItem"]
        if contains(s.Resource, "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-control")
      ]
    ]))
    error_message = "writer: the control table is read-only (GetItem) for the writer."
  }

  assert {
    condition = alltrue([
      for id, m in module.shard : length(setsubtract(
        flatten([for s in jsondecode(m.policies["shardkv-${id}-writer"]).Statement : s.Action]),
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "logs:CreateLogStream", "logs:PutLogEvents"]
      )) == 0
    ])
    error_message = "writer: only item-level DynamoDB actions (no table management, no streams) and log writes."
  }

  # --- reader ---------------------------------------------------------------------------------

  assert {
    condition = alltrue([
      for id, m in module.shard :
      toset(flatten([
        for s in jsondecode(m.policies["shardkv-${id}-reader"]).Statement : s.Resource if s.Sid != "OwnLogGroup"
      ])) == toset([for t in m.replica_table_names : "arn:aws:dynamodb:eu-west-1:123456789012:table/${t}"])
    ])
    error_message = "reader: its policy may name only its own shard's replica tables (no leader, no control, no other shard)."
  }

  assert {
    condition = alltrue([
      for id, m in module.shard : length(setsubtract(
        flatten([for s in jsondecode(m.policies["shardkv-${id}-reader"]).Statement : s.Action]),
        ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "logs:CreateLogStream", "logs:PutLogEvents"]
      )) == 0
    ])
    error_message = "reader: read-only DynamoDB actions only."
  }

  # --- replicator -----------------------------------------------------------------------------

  assert {
    condition = alltrue([
      for id, m in module.shard :
      toset(flatten([
        for s in jsondecode(m.policies["shardkv-${id}-replicator"]).Statement : s.Resource if s.Sid != "OwnLogGroup"
        ])) == toset(concat(
        [
          "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-leader/stream/*",
          "*",
          "arn:aws:sqs:eu-west-1:123456789012:shardkv-${id}-replicator-dlq",
        ],
        [for t in m.replica_table_names : "arn:aws:dynamodb:eu-west-1:123456789012:table/${t}"],
      ))
    ])
    error_message = "replicator: only its leader's stream, its own replicas, its own on-failure queue (and \"*\" for ListStreams)."
  }

  assert {
    condition = alltrue(flatten([
      for id, m in module.shard : [
        for s in jsondecode(m.policies["shardkv-${id}-replicator"]).Statement :
        (
          anytrue([for r in s.Resource : endswith(r, "/stream/*")]) ? toset(s.Action) == toset(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]) :
          anytrue([for r in s.Resource : startswith(r, "arn:aws:sqs:")]) ? s.Action == ["sqs:SendMessage"] :
          anytrue([for r in s.Resource : strcontains(r, "-replica-")]) ? toset(s.Action) == toset(["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"]) :
          true
        )
      ]
    ]))
    error_message = "replicator: stream read actions on the stream, item writes on replicas, SendMessage on its queue."
  }

  # --- gateway --------------------------------------------------------------------------------

  assert {
    condition = length(setsubtract(
      flatten([for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Action]),
      ["lambda:InvokeFunction", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:Scan", "logs:CreateLogStream", "logs:PutLogEvents"]
    )) == 0
    error_message = "gateway: may only invoke functions, read the control table, store and list operations there (admin routes) and write its logs."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Resource if contains(s.Action, "lambda:InvokeFunction")
      ])) == toset(flatten(concat(
      [for id in ["a-l", "m-s", "t-z"] : [for role in ["writer", "reader"] : [
        "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-${id}-${role}",
        "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-${id}-${role}:live",
      ]]],
      ["arn:aws:lambda:eu-west-1:123456789012:function:shardkv-coordinator", "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-coordinator:live"],
      ["arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder", "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder:live"],
    )))
    error_message = "gateway: may invoke only the writers, readers, the coordinator and the resharder (and their live aliases), never a replicator, the heartbeat or itself."
  }

  assert {
    condition = one([
      for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s if s.Sid == "InvokeResharder"
      ]) == {
      Sid      = "InvokeResharder"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = ["arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder", "arn:aws:lambda:eu-west-1:123456789012:function:shardkv-resharder:live"]
    }
    error_message = "gateway: one statement (InvokeResharder) invokes the resharder, unqualified or through live, and nothing else."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Resource if anytrue([for a in s.Action : startswith(a, "dynamodb:")])
    ])) == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-control"])
    error_message = "gateway: its only table is the control table (never a leader or a replica)."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : [for a in s.Action : a if startswith(a, "dynamodb:")]
    ])) == toset(["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:Scan"])
    error_message = "gateway: on the control table, GetItem (the shard map), BatchGetItem (the last verifications) and, for the admin routes, PutItem, ConditionCheckItem and Scan (operations); never UpdateItem or DeleteItem."
  }

  assert {
    condition = one([
      for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Condition if contains(flatten([s.Action]), "dynamodb:BatchGetItem")
    ]) == { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["check#*"] } }
    error_message = "gateway: its batch reads of the control table are narrowed to the replicas' last verifications (check# items)."
  }

  assert {
    condition = one([
      for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Condition if contains(flatten([s.Action]), "dynamodb:PutItem")
    ]) == { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["op#*", "lock#*", "abort#*"] } }
    error_message = "gateway: its writes to the control table are narrowed to operation, lock and abort-request items, so it can never replace the shard map."
  }

  # --- heartbeat ------------------------------------------------------------------------------

  assert {
    condition = alltrue([
      for s in jsondecode(output.iam_policies["shardkv-heartbeat"]).Statement :
      s.Action == ["dynamodb:UpdateItem"]
      && toset(s.Resource) == toset([for id in ["a-l", "m-s", "t-z"] : "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-leader"])
      && s.Condition == { "ForAllValues:StringEquals" = { "dynamodb:LeadingKeys" = ["__shardkv:heartbeat"] } }
      if s.Sid != "OwnLogGroup"
    ])
    error_message = "heartbeat: UpdateItem on the leader tables only, restricted by dynamodb:LeadingKeys to the reserved __shardkv:heartbeat key."
  }

  # --- resharder ------------------------------------------------------------------------------

  assert {
    condition = {
      for s in jsondecode(output.iam_policies["shardkv-resharder"]).Statement : s.Sid => {
        actions   = toset(s.Action)
        resources = toset(s.Resource)
        condition = lookup(s, "Condition", null)
      }
      } == {
      ShardLeaders = {
        actions   = toset(["dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"])
        resources = toset([for id in ["a-l", "m-s", "t-z"] : "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-leader"])
        condition = null
      }
      LeaderStreams = {
        actions   = toset(["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"])
        resources = toset([for id in ["a-l", "m-s", "t-z"] : "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-leader/stream/*"])
        condition = null
      }
      ShardReplicas = {
        actions   = toset(["dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem"])
        resources = toset(flatten([for id in ["a-l", "m-s", "t-z"] : [for n in [1, 2] : "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-replica-${n}"]]))
        condition = null
      }
      ControlTable = {
        actions   = toset(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:ConditionCheckItem"])
        resources = toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-control"])
        condition = null
      }
      OwnLogGroup = {
        actions   = toset(["logs:CreateLogStream", "logs:PutLogEvents"])
        resources = toset(["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/shardkv-resharder:*"])
        condition = null
      }
    }
    error_message = "resharder: exactly item reads and writes on every leader, reads of every leader's stream, reads, batch reads, conditional puts (repairs), batch writes and deletes on every replica, the control table (operations, locks, shard map) and its own logs: no other table, no Lambda, no table management."
  }

  # --- coordinator ----------------------------------------------------------------------------

  assert {
    condition = toset(flatten([
      for s in jsondecode(output.iam_policies["shardkv-coordinator"]).Statement : s.Resource if s.Sid != "OwnLogGroup"
      ])) == toset(concat(
      [for id in ["a-l", "m-s", "t-z"] : "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-${id}-leader"],
      ["arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-control"],
    ))
    error_message = "coordinator: its role is limited to the leader tables and the control table (never replicas)."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.iam_policies["shardkv-coordinator"]).Statement :
      length(setsubtract(s.Action, contains(s.Resource, "arn:aws:dynamodb:eu-west-1:123456789012:table/shardkv-control")
        ? ["dynamodb:GetItem"]
      : ["dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem", "logs:CreateLogStream", "logs:PutLogEvents"])) == 0
    ])
    error_message = "coordinator: UpdateItem/ConditionCheckItem/GetItem on leaders, GetItem only on control."
  }
}

# The function module itself refuses a wildcard action and a "*" resource outside ListStreams.
run "wildcards_are_refused" {
  command = plan

  module {
    source = "./modules/function"
  }

  variables {
    name     = "shardkv-bad"
    zip_path = "does-not-exist.zip"
    aws      = { partition = "aws", region = "eu-west-1", account_id = "123456789012" }
    policy_statements = [
      { sid = "TooBroad", actions = ["dynamodb:*"], resources = ["*"] },
    ]
  }

  expect_failures = [var.policy_statements]
}

# With aws_account_id set, every derived ARN uses it and STS is never asked (emulators, offline
# plans). 210987654321 differs from the mocked caller identity (123456789012) on purpose.
run "account_id_without_sts" {
  command = plan

  variables {
    aws_account_id = "210987654321"
  }

  assert {
    condition     = length(data.aws_caller_identity.current) == 0
    error_message = "aws_account_id: when set, aws_caller_identity (an STS call) must not be read."
  }

  assert {
    condition = alltrue([
      for name, p in output.iam_policies : strcontains(p, ":210987654321:") && !strcontains(p, ":123456789012:")
    ])
    error_message = "aws_account_id: every function's policy must name ARNs in the given account, never the caller identity's."
  }

  assert {
    condition = contains(
      flatten([for s in jsondecode(output.iam_policies["shardkv-gateway"]).Statement : s.Resource]),
      "arn:aws:dynamodb:eu-west-1:210987654321:table/shardkv-control",
    )
    error_message = "aws_account_id: the gateway's control-table ARN must use the given account."
  }
}

run "account_id_must_be_12_digits" {
  command = plan

  variables {
    aws_account_id = "abc"
  }

  expect_failures = [var.aws_account_id]
}
