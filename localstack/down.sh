#!/usr/bin/env bash
# Destroys what up.sh deployed and stops the emulator.
#
#   localstack/down.sh [--floci | --localstack]   (default: the emulator up.sh started)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

emulator="$(cat "$state_dir/emulator" 2>/dev/null || echo floci)"
for arg in "$@"; do
  case "$arg" in
    --floci) emulator=floci ;;
    --localstack) emulator=localstack ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (use --floci or --localstack)" ;;
  esac
done

require_docker
require_terraform

if curl -fs "$endpoint/_localstack/health" >/dev/null 2>&1 && [[ -d "$example/.terraform" ]]; then
  set_terraform_vars "$emulator"
  # Deleting the functions first also stops the Lambda containers the emulator started.
  terraform -chdir="$example" destroy -auto-approve -input=false "${tf_vars[@]}" || echo "warning: terraform destroy failed; stopping the emulator anyway" >&2
else
  echo "the emulator is not answering on $endpoint: skipping terraform destroy"
fi
# Emulator state is in memory: stopping it forgets every resource, so local state goes too.
rm -f "$example/terraform.tfstate" "$example/terraform.tfstate.backup"

# LOCALSTACK_AUTH_TOKEN is only needed to start LocalStack; compose still interpolates it.
LOCALSTACK_AUTH_TOKEN="${LOCALSTACK_AUTH_TOKEN:-unused}" docker compose -f "$(compose_file "$emulator")" down -v --remove-orphans
rm -rf "$state_dir"
echo "stopped $emulator"
