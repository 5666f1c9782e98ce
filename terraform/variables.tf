# -----------------------------------------------------------------------------------------------
# Topology (the single source of the shards)
# -----------------------------------------------------------------------------------------------

variable "topology_file" {
  description = "Path of topology.json. null = the repository's topology.json (one level above this module)."
  type        = string
  default     = null
}

variable "topology" {
  description = <<-EOT
    Topology that overrides topology_file (tests, throw-away stacks): the same shape as topology.json,
    e.g. { prefix = "kv", shards = [{ id = "a-l", end = "m", replicas = 2 }, { id = "m-z", start = "m", replicas = 2 }] }.
    Typed `any` so that it meets the same rules as the file (modules/topology), with its fields and
    JSON types as given: an object type would drop a misspelt field and turn "2" into 2 silently.
  EOT
  type        = any
  default     = null
}

# -----------------------------------------------------------------------------------------------
# Functions
# -----------------------------------------------------------------------------------------------

variable "gateway_zip_path" {
  description = "Path of the gateway's deployment package. null = functions/gateway/target/function.zip in the repository."
  type        = string
  default     = null
}

variable "shard_zip_path" {
  description = "Path of the package shared by writer, reader, replicator, heartbeat, coordinator and resharder. null = functions/shard/target/function.zip in the repository."
  type        = string
  default     = null
}

variable "lambda_architectures" {
  description = "Instruction set of every function: [\"arm64\"] (cheaper on AWS) or [\"x86_64\"] (emulators on x86 hosts)."
  type        = list(string)
  default     = ["arm64"]

  validation {
    condition     = length(var.lambda_architectures) == 1 && alltrue([for a in var.lambda_architectures : contains(["arm64", "x86_64"], a)])
    error_message = "lambda_architectures must be [\"arm64\"] or [\"x86_64\"]."
  }
}

variable "snap_start" {
  description = "Enable Lambda SnapStart on published versions (emulators ignore it)."
  type        = bool
  default     = true
}

variable "lambda_memory_mb" {
  description = "Memory (MB) of each kind of function."
  type = object({
    gateway     = optional(number, 1024)
    writer      = optional(number, 1024)
    reader      = optional(number, 1024)
    replicator  = optional(number, 1024)
    heartbeat   = optional(number, 512)
    coordinator = optional(number, 1024)
    resharder   = optional(number, 1024)
  })
  default = {}

  validation {
    condition     = alltrue([for v in values(var.lambda_memory_mb) : v >= 128 && v <= 10240])
    error_message = "Lambda memory must be between 128 and 10240 MB."
  }
}

variable "lambda_timeout_s" {
  description = <<-EOT
    Timeout (seconds) of each kind of function. The gateway must finish within API Gateway's
    30 s integration limit and outlast the writer/reader/coordinator it calls. The heartbeat loops
    until shortly before its timeout and is started every minute, so keep it a little above 60.
    The resharder runs splits and merges until 120 s (SHARDKV_RESHARDER_MARGIN_S) before its
    timeout, saves where it is and returns; the next invocation resumes: at least 180.
  EOT
  type = object({
    gateway     = optional(number, 29)
    writer      = optional(number, 20)
    reader      = optional(number, 10)
    replicator  = optional(number, 60)
    heartbeat   = optional(number, 65)
    coordinator = optional(number, 25)
    resharder   = optional(number, 900)
  })
  default = {}

  validation {
    condition     = var.lambda_timeout_s.gateway <= 30 && alltrue([for v in values(var.lambda_timeout_s) : v >= 1 && v <= 900])
    error_message = "Timeouts must be 1-900 s, and the gateway's at most 30 s (API Gateway's limit)."
  }

  validation {
    condition     = var.lambda_timeout_s.heartbeat >= 61 && var.lambda_timeout_s.heartbeat <= 120
    error_message = "The heartbeat timeout must be 61-120 s: it loops for about a minute and is started every minute."
  }

  validation {
    condition     = var.lambda_timeout_s.resharder >= 180
    error_message = "The resharder timeout must be 180-900 s: it stops 120 s (SHARDKV_RESHARDER_MARGIN_S) before it to save its progress."
  }
}

variable "log_retention_days" {
  description = "Retention (days) of every function's log group and of the API access logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "extra_environment" {
  description = "Extra environment variables for every function (e.g. AWS_ENDPOINT_URL on an emulator). Cannot override SHARDKV_*, POWERTOOLS_* or QUARKUS_LAMBDA_HANDLER."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_environment) : !startswith(k, "SHARDKV_") && !startswith(k, "POWERTOOLS_") && k != "QUARKUS_LAMBDA_HANDLER"])
    error_message = "extra_environment cannot set SHARDKV_*, POWERTOOLS_* or QUARKUS_LAMBDA_HANDLER: they are derived from the topology."
  }
}

variable "heartbeat_enabled" {
  description = "Start the heartbeat every minute (it keeps replication lag measurable on idle shards; see its cost in modules/control)."
  type        = bool
  default     = true
}

variable "resharder_schedule_enabled" {
  description = <<-EOT
    Start the resharder every minute (EventBridge rule {prefix}-resharder). Each invocation runs
    every split and merge that has not ended, for up to its timeout less 120 s, saves and returns;
    the next one resumes. false: the rule is DISABLED and operations run only in invocations made
    by the gateway (its admin routes), so an operation longer than one invocation waits between them.
  EOT
  type        = bool
  default     = true
}

variable "verification_schedule" {
  description = <<-EOT
    Verify every shard's replicas against their leaders on a schedule: an EventBridge schedule
    expression such as "rate(1 day)" or "cron(0 3 * * ? *)" (rule {prefix}-resharder-verify, which
    invokes the resharder with {"verify": {"repair": verification_repair}}). null (default): no
    scheduled verification. None starts while one is still running, nor while a split or merge
    holds a shard. The ReplicaDivergentItems alarms do not need it: they follow any verification.
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.verification_schedule == null ? true : can(regex("^(rate|cron)\\(.+\\)$", var.verification_schedule))
    error_message = "verification_schedule must be an EventBridge schedule expression, rate(...) or cron(...), e.g. \"rate(1 day)\" (or null for none)."
  }
}

variable "verification_repair" {
  description = "Scheduled verifications (verification_schedule) also repair what differs: the leader's item written over each difference on the replica."
  type        = bool
  default     = false
}

variable "write_throttle_lag_ms" {
  description = "Refuse writes to a shard (429, Retry-After) while one of its replicas is further behind than this many ms (SHARDKV_WRITE_THROTTLE_LAG_MS; 0 = off). Off by default on AWS: the gateway sees replica watermarks once per refresh and heartbeats come every second, so lag alone reaches 1-2 s; 5000 or more is a sensible setting."
  type        = number
  default     = 0

  validation {
    condition     = var.write_throttle_lag_ms == 0 || (var.write_throttle_lag_ms >= 100 && var.write_throttle_lag_ms <= 600000)
    error_message = "write_throttle_lag_ms must be 0 (off) or between 100 and 600000."
  }
}

variable "heartbeat_interval_ms" {
  description = "Interval between heartbeats written to every leader within one heartbeat invocation (SHARDKV_HEARTBEAT_INTERVAL_MS)."
  type        = number
  default     = 1000

  validation {
    condition     = var.heartbeat_interval_ms >= 100 && var.heartbeat_interval_ms <= 60000
    error_message = "heartbeat_interval_ms must be between 100 and 60000."
  }
}

# -----------------------------------------------------------------------------------------------
# Tables and replication
# -----------------------------------------------------------------------------------------------

variable "point_in_time_recovery" {
  description = "Enable DynamoDB point-in-time recovery on every table."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Enable DynamoDB deletion protection on every table (turn it off before `terraform destroy`)."
  type        = bool
  default     = false
}

variable "stream_batch_size" {
  description = "Maximum number of stream records per replicator invocation."
  type        = number
  default     = 100

  validation {
    condition     = var.stream_batch_size >= 1 && var.stream_batch_size <= 10000
    error_message = "stream_batch_size must be between 1 and 10000."
  }
}

variable "stream_batching_window_s" {
  description = "Seconds the mapping may wait to fill a batch (0 = lowest replication delay)."
  type        = number
  default     = 0

  validation {
    condition     = var.stream_batching_window_s >= 0 && var.stream_batching_window_s <= 300
    error_message = "stream_batching_window_s must be between 0 and 300."
  }
}

variable "stream_maximum_retry_attempts" {
  description = "Retries of a failing batch before it goes to the on-failure queue (bounded: never -1/infinite)."
  type        = number
  default     = 10

  validation {
    condition     = var.stream_maximum_retry_attempts >= 0 && var.stream_maximum_retry_attempts <= 10000
    error_message = "stream_maximum_retry_attempts must be between 0 and 10000 (bounded)."
  }
}

variable "stream_maximum_record_age_seconds" {
  description = "Records older than this go to the on-failure queue instead of being retried (bounded: never -1/infinite)."
  type        = number
  default     = 3600

  validation {
    condition     = var.stream_maximum_record_age_seconds >= 60 && var.stream_maximum_record_age_seconds <= 604800
    error_message = "stream_maximum_record_age_seconds must be between 60 and 604800 (bounded)."
  }
}

# -----------------------------------------------------------------------------------------------
# HTTP API
# -----------------------------------------------------------------------------------------------

variable "api_authorization" {
  description = "Authorization of every route: AWS_IAM (SigV4, default), JWT, or NONE (local emulators only, needs api_allow_unauthenticated)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "JWT", "NONE"], var.api_authorization)
    error_message = "api_authorization must be AWS_IAM, JWT or NONE."
  }
}

variable "api_integrate_alias" {
  description = "The API invokes the gateway through its \"live\" alias (true, as on AWS). false: through the unqualified function, for emulators that answer an alias-qualified integration URI with \"Function not found: live\" (Floci 1.7); every apply publishes the same code as $LATEST."
  type        = bool
  default     = true
}

variable "api_allow_unauthenticated" {
  description = "Must be true for api_authorization = NONE. Never on AWS."
  type        = bool
  default     = false
}

variable "jwt_issuer" {
  description = "JWT issuer URL (api_authorization = JWT), e.g. https://cognito-idp.<region>.amazonaws.com/<pool-id>."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "Accepted JWT audiences / client ids (api_authorization = JWT)."
  type        = list(string)
  default     = []
}

variable "jwt_data_scopes" {
  description = "OAuth scopes required on data routes with JWT (empty: any valid token)."
  type        = list(string)
  default     = []
}

variable "jwt_admin_scopes" {
  description = "OAuth scopes required on admin routes with JWT."
  type        = list(string)
  default     = ["shardkv/admin"]
}

variable "api_data_routes" {
  description = "Route keys of the data plane (what the client policy allows)."
  type        = list(string)
  default = [
    "PUT /v1/kv/{key+}",
    "GET /v1/kv/{key+}",
    "DELETE /v1/kv/{key+}",
    "POST /v1/kv:batchGet",
    "POST /v1/tx",
    "GET /v1/shards",
    "GET /v1/replication",
    "GET /v1/query/{proxy+}",
    "GET /q/health",
    "GET /q/openapi",
  ]
}

variable "api_admin_routes" {
  description = "Route keys of admin operations (reshard, repair, topology): only the admin policy (or the JWT admin scope) allows them."
  type        = list(string)
  default     = ["ANY /v1/admin/{proxy+}"]
}

variable "api_throttling_burst_limit" {
  description = "Burst limit of the API's $default stage."
  type        = number
  default     = 200
}

variable "api_throttling_rate_limit" {
  description = "Steady-state request rate (per second) of the API's $default stage."
  type        = number
  default     = 100
}

# -----------------------------------------------------------------------------------------------
# Observability
# -----------------------------------------------------------------------------------------------

variable "observability_enabled" {
  description = "Create the CloudWatch dashboard and alarms."
  type        = bool
  default     = true
}

variable "replication_delay_slo_ms" {
  description = "Replication delay objective: alarm when a replica's p99 ReplicationDelayMs (per record, commit on the leader to apply on the replica, in ms) exceeds it."
  type        = number
  default     = 1000
}

# The old name of replication_delay_slo_ms: refused with a clear error rather than ignored (a
# terraform.tfvars value for an undeclared variable is only a warning).
variable "replication_lag_slo_ms" {
  description = "Renamed replication_delay_slo_ms; setting it is an error."
  type        = number
  default     = null

  validation {
    condition     = var.replication_lag_slo_ms == null
    error_message = "replication_lag_slo_ms was renamed replication_delay_slo_ms (it bounds ReplicationDelayMs, the per-record commit-to-apply delay): set that instead."
  }
}

variable "iterator_age_alarm_ms" {
  description = "Alarm when a replicator's maximum IteratorAge exceeds this many milliseconds."
  type        = number
  default     = 60000
}

variable "alarm_evaluation_periods" {
  description = "Consecutive one-minute periods over threshold before the delay and iterator-age alarms fire."
  type        = number
  default     = 3
}

variable "alarm_sns_topic_arn" {
  description = "Optional SNS topic ARN for alarm and OK notifications."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}

# -----------------------------------------------------------------------------------------------
# Account
# -----------------------------------------------------------------------------------------------

variable "aws_account_id" {
  description = "Account id used in every derived ARN. null = ask STS (aws_caller_identity). When set, no STS lookup is made: for emulators (000000000000) and offline plans."
  type        = string
  default     = null

  validation {
    condition     = var.aws_account_id == null ? true : can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits (or null to look it up with STS)."
  }
}
