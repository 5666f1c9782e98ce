#!/usr/bin/env bash
# idle-cpu.sh PID [SECONDS]: the CPU a process used over SECONDS (default 30), as % of one core, its resident
# memory, and its busiest threads. For the idle figures in BENCHMARKS.md: start ./shardkv local, let it warm up
# for a minute, then run this against it.
set -euo pipefail
pid="$1"; secs="${2:-30}"; tck="$(getconf CLK_TCK)"
threads() { for t in /proc/"$pid"/task/*; do echo "$(basename "$t") $(awk '{print $14 + $15}' "$t/stat") $(tr ' ' '_' < "$t/comm")"; done 2>/dev/null | sort; }
read -r u0 s0 < <(awk '{print $14, $15}' /proc/"$pid"/stat)
threads > "${TMPDIR:-/tmp}/idle-a.$$"
sleep "$secs"
read -r u1 s1 < <(awk '{print $14, $15}' /proc/"$pid"/stat)
threads > "${TMPDIR:-/tmp}/idle-b.$$"
rss="$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)"
awk -v d=$(( (u1 + s1) - (u0 + s0) )) -v tck="$tck" -v secs="$secs" -v rss="$rss" \
  'BEGIN { printf "cpu %.1f%% of a core over %d s, resident %d MiB\n", d * 100 / (tck * secs), secs, rss / 1024 }'
join "${TMPDIR:-/tmp}/idle-a.$$" "${TMPDIR:-/tmp}/idle-b.$$" | awk -v tck="$tck" \
  '{ name = $3; gsub(/[0-9]+$/, "", name); ms[name] += ($4 - $2) * 1000 / tck } END { for (n in ms) if (ms[n] > 0) printf "  %6.0f ms  %s\n", ms[n], n }' \
  | sort -rn | head -8
rm -f "${TMPDIR:-/tmp}/idle-a.$$" "${TMPDIR:-/tmp}/idle-b.$$"
