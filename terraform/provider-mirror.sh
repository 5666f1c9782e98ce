# Sourced by terraform/check.sh and ./shardkv: points Terraform at a filesystem mirror of the
# hashicorp/aws provider when this machine has one, so init works without the registry.
#
#   . terraform/provider-mirror.sh; use_provider_mirror DIR   # writes DIR/terraform.rc, exports TF_CLI_CONFIG_FILE
#
# TF_PLUGIN_MIRROR names the folder that holds registry.terraform.io; otherwise one is looked for.
use_provider_mirror() {
  local dir="$1" mirror="${TF_PLUGIN_MIRROR:-}" found
  if [[ -z "$mirror" ]]; then
    found="$(find / -maxdepth 6 \( -path /proc -o -path /sys -o -path /dev -o -path /run \) -prune \
               -o -type d -path '*registry.terraform.io/hashicorp/aws' -print -quit 2>/dev/null)"
    [[ -n "$found" ]] && mirror="$(dirname "$(dirname "$(dirname "$found")")")"
  fi
  mkdir -p "$dir" && dir="$(cd "$dir" && pwd)"
  if [[ -n "$mirror" && -d "$mirror/registry.terraform.io/hashicorp/aws" ]]; then
    cat >"$dir/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
    echo "provider mirror: $mirror"
  else
    : >"$dir/terraform.rc"   # no mirror: Terraform's default installation (needs the registry)
    echo "provider mirror: none (using the Terraform registry)"
  fi
  export TF_CLI_CONFIG_FILE="$dir/terraform.rc"
}
