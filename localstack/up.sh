#!/usr/bin/env bash
# Builds the function zips, starts a local AWS emulator, deploys the real Terraform to it and
# prints the API URL.
#
#   localstack/up.sh [--floci | --localstack] [--no-build]
#
# --floci (default): Floci, free and tokenless, with API Gateway v2 HTTP APIs.
# --localstack: LocalStack; needs LOCALSTACK_AUTH_TOKEN (its HTTP APIs are in the licensed image).
# Stop everything with localstack/down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

emulator=floci
build=true
for arg in "$@"; do
  case "$arg" in
    --floci) emulator=floci ;;
    --localstack) emulator=localstack ;;
    --no-build) build=false ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (use --floci, --localstack, --no-build)" ;;
  esac
done

require_docker
require_terraform
if [[ "$emulator" == localstack && -z "${LOCALSTACK_AUTH_TOKEN:-}" ]]; then
  die "LocalStack needs LOCALSTACK_AUTH_TOKEN (create one at app.localstack.cloud), or run with --floci, which needs none."
fi

# --- a JDK 21+ for ./mvnw ------------------------------------------------------------------------
java_major() { # java_major <java binary>
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}
find_jdk21() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]]; then
    return 0
  fi
  if command -v java >/dev/null 2>&1 && [[ "$(java_major java)" -ge 21 ]]; then
    return 0
  fi
  local candidate best="" best_major=0 major
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "$major" -ge 21 && "$major" -gt "$best_major" ]]; then
      best="$candidate" best_major="$major"
    fi
  done
  [[ -n "$best" ]] || die "no JDK 21+ found (java -version is older and nothing >= 21 under /usr/lib/jvm). Install one or set JAVA_HOME."
  export JAVA_HOME="$(dirname "$(dirname "$best")")"
  echo "using JAVA_HOME=$JAVA_HOME (JDK $best_major)"
}

if $build; then
  find_jdk21
  echo "building the function zips (./mvnw -B -q package -DskipTests)..."
  (cd "$repo" && ./mvnw -B -q package -DskipTests)
fi
for zip in functions/gateway/target/function.zip functions/shard/target/function.zip; do
  [[ -f "$repo/$zip" ]] || die "$zip is missing: build with ./mvnw -B package -DskipTests (or drop --no-build)."
done

# --- emulator ------------------------------------------------------------------------------------
echo "starting $emulator..."
docker compose -f "$(compose_file "$emulator")" up -d
mkdir -p "$state_dir"
echo "$emulator" >"$state_dir/emulator"

printf 'waiting for %s/_localstack/health ' "$endpoint"
for _ in $(seq 1 90); do
  if curl -fs "$endpoint/_localstack/health" >/dev/null 2>&1; then ready=1; break; fi
  printf '.'; sleep 2
done
echo
[[ "${ready:-}" == 1 ]] || die "$emulator did not become healthy within 3 minutes (docker compose -f $(compose_file "$emulator") logs)."

# --- terraform -----------------------------------------------------------------------------------
set_terraform_vars "$emulator"
terraform -chdir="$example" init -input=false >/dev/null
terraform -chdir="$example" apply -auto-approve -input=false "${tf_vars[@]}"

api_url="$(terraform -chdir="$example" output -raw api_url)"
cat <<MSG

ShardKV is running on $emulator.
  API: $api_url   (*.localhost.localstack.cloud resolves to 127.0.0.1; no auth on the emulator)

  curl -i -X PUT "$api_url/v1/kv/alice" -H 'Content-Type: application/json' -d '{"name":"Alice"}'
  curl -i "$api_url/v1/kv/alice?consistency=strong"    # X-Served-By: a-l/leader
  curl -i "$api_url/v1/kv/alice"                       # eventual: X-Served-By: a-l/replica-N
  curl -s "$api_url/v1/replication"

The first calls cold-start JVM functions in fresh containers and can take several seconds.
Stop with: localstack/down.sh
MSG
