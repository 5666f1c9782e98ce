#!/usr/bin/env bash
# Offline checks of the Terraform code: fmt, init, validate and `terraform test` (mocked AWS
# provider, plan-only) on the root module, and validate on every example.
#
#   terraform/check.sh            # from anywhere; exits non-zero on any failure
#
# Works without network when the hashicorp/aws provider is in a filesystem mirror: set
# TF_PLUGIN_MIRROR to the folder that holds registry.terraform.io, or let the script find one.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if ! command -v terraform >/dev/null 2>&1; then
  echo "SKIPPED: no terraform binary on PATH"
  exit 0
fi

start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- provider installation: a filesystem mirror when there is one --------------------------------
. "$here/provider-mirror.sh"
use_provider_mirror "$work"
export TF_IN_AUTOMATION=1 TF_INPUT=0

failures=()
report() { # report <label> <rc> <log>: one line when it passed, the log when it failed
  if [[ "$2" -eq 0 ]]; then
    printf '  ok    %s\n' "$1"
  else
    printf '  FAIL  %s\n' "$1"
    grep -vE '^\s*$' "$3" | sed 's/^/        /'
    failures+=("$1")
  fi
}

echo "terraform: $(terraform version | head -n1)"
# The tests give the mocked provider's values at plan time (mock_provider override_during),
# which needs Terraform 1.11+; the modules themselves need 1.6+.
tf_version="$(terraform version | sed -nE '1s/^Terraform v([0-9]+)\.([0-9]+).*/\1 \2/p')"
read -r tf_major tf_minor <<<"${tf_version:-0 0}"
tests_supported=true
if (( tf_major < 1 || (tf_major == 1 && tf_minor < 11) )); then
  tests_supported=false
fi

terraform fmt -check -recursive -diff >"$work/fmt.log" 2>&1
report "fmt -check -recursive" $? "$work/fmt.log"
if ! terraform init -backend=false -input=false -no-color >"$work/init.log" 2>&1; then
  report "init (root)" 1 "$work/init.log"
  echo "terraform checks FAILED (${failures[*]})"
  exit 1
fi
report "init (root)" 0 "$work/init.log"

# Loading the AWS provider schema dominates each step (~10 s), so the independent steps run in
# parallel: validate of the root, init + validate of each example, and the tests.
pids=() labels=() logs=()
spawn() { # spawn <label> <dir> <command...>
  local label="$1" dir="$2" log="$work/$(tr -c 'a-zA-Z0-9' '_' <<<"$1").log"; shift 2
  (cd "$dir" && "$@") >"$log" 2>&1 &
  pids+=($!) labels+=("$label") logs+=("$log")
}

spawn "validate (root)" . terraform validate -no-color
for ex in examples/*/; do
  ex="${ex%/}"
  spawn "init + validate ($ex)" "$ex" sh -c 'terraform init -backend=false -input=false -no-color && terraform validate -no-color'
done
if $tests_supported; then
  spawn "test" . terraform test -no-color
else
  echo "terraform test needs Terraform >= 1.11 (mock_provider override_during); found $(terraform version | head -n1)" >"$work/test_version.log"
  report "test (Terraform >= 1.11 required)" 1 "$work/test_version.log"
fi

for i in "${!pids[@]}"; do
  wait "${pids[$i]}"
  rc=$?
  if [[ "${labels[$i]}" == "test" ]]; then
    test_log="${logs[$i]}"
    summary="$(grep -E '^(Success|Failure)!' "$test_log" | tail -n1)"
    passed="$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$summary")"
    failed="$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")"
    skipped="$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$summary")"
    report "test: ${passed:-?} passed, ${failed:-?} failed, ${skipped:-0} skipped" "$rc" "$test_log"
  else
    report "${labels[$i]}" "$rc" "${logs[$i]}"
  fi
done

elapsed=$(( $(date +%s) - start ))
echo
if (( ${#failures[@]} )); then
  echo "terraform checks FAILED (${failures[*]}) in ${elapsed}s"
  exit 1
fi
echo "terraform checks passed: fmt, validate (root + $(ls -d examples/*/ | wc -l) examples), test ${passed:-0} passed / ${failed:-0} failed, in ${elapsed}s"
