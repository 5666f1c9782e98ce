# Shared by up.sh and down.sh (sourced, not executed).
# shellcheck shell=bash

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kit="$repo/localstack"
example="$repo/terraform/examples/localstack"
state_dir="$kit/.state"
endpoint="http://localhost:4566"

die() { echo "error: $*" >&2; exit 1; }

require_docker() {
  command -v docker >/dev/null 2>&1 \
    || die "Docker is not installed (no 'docker' on PATH). The emulators run AWS Lambda functions in Docker containers; without Docker use the embedded runtime instead (see README)."
  docker info >/dev/null 2>&1 \
    || die "Docker is installed but its engine is not reachable ('docker info' failed). Start Docker (or fix DOCKER_HOST / permissions on the socket) and retry."
  docker compose version >/dev/null 2>&1 \
    || die "'docker compose' (Compose v2) is not available. Install the Docker Compose plugin and retry."
}

require_terraform() {
  command -v terraform >/dev/null 2>&1 || die "terraform is not on PATH (>= 1.6 needed)."
}

compose_file() { # compose_file floci|localstack
  echo "$kit/docker-compose.$1.yml"
}

# Sets tf_vars: the variables of terraform/examples/localstack for the chosen emulator.
# (Plain arrays, no mapfile: macOS still ships bash 3.2.)
set_terraform_vars() { # set_terraform_vars floci|localstack
  tf_vars=(-var "endpoint=$endpoint")
  # Floci: functions reach it by its alias on the compose network. LocalStack injects
  # AWS_ENDPOINT_URL into its function containers itself.
  if [[ "$1" == floci ]]; then
    tf_vars+=(-var "function_aws_endpoint_url=http://floci:4566")
  fi
}
