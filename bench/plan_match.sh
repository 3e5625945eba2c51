#!/usr/bin/env bash
# Checks the protocol plan against the secure engine on whole networks: runs each network
# with `snnipred run --json` (both parties on this host) and prints, per run, how many
# spans' measured bytes, frames and rounds differ from the plan's (plan_mismatches).
# Usage: bench/plan_match.sh [--generated N] [--configs all|cheetah|others] [--ot iknp|ferret] MODEL...
# (cheetah: HE cheetah with approximate truncation, as the campaigns profile; others: the
# three remaining combinations of HE set and truncation; --ot: the OT extension of every
# run, default iknp)
# --generated N adds N of campaigns/default.json's generated networks, spread evenly over
# the sorted names (so over every family).
set -euo pipefail
# SNNIPRED names the binary: a copy keeps a long check safe from rebuilds.
snnipred=${SNNIPRED:-./build/snnipred}
cd "$(dirname "$0")/.."
generated=0
configs=all
ot=iknp
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --generated) generated="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --ot) ot="$2"; shift 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
if [ "$generated" -gt 0 ]; then
  dir=$(mktemp -d)
  "$snnipred" generate --campaign campaigns/default.json --out "$dir" > /dev/null
  mapfile -t all < <(ls "$dir"/gen-*.json)
  for ((k = 0; k < generated && k < ${#all[@]}; k++)); do models+=("${all[$((k * ${#all[@]} / generated))]}"); done
fi
case "$configs" in
  all) settings=("secure faithful" "secure approximate" "cheetah faithful" "cheetah approximate") ;;
  cheetah) settings=("cheetah approximate") ;;
  others) settings=("secure faithful" "secure approximate" "cheetah faithful") ;;
  *) echo "plan_match: --configs must be all, cheetah or others" >&2; exit 2 ;;
esac
total=0
failed=0
start=$(date +%s)
count=$(( ${#models[@]} * ${#settings[@]} ))
for model in "${models[@]}"; do
  for setting in "${settings[@]}"; do
    read -r he truncation <<< "$setting"
    json=$("$snnipred" run "$model" --he "$he" --truncation "$truncation" --ot "$ot" --json --seed 1 2>/dev/null)
    read -r client server spans < <(python3 -c '
import json, sys
doc = json.load(sys.stdin)
print(doc["parties"]["client"]["plan_mismatches"], doc["parties"]["server"]["plan_mismatches"],
      sum(r["spans"] for r in doc["steps"]))' <<< "$json")
    total=$((total + 1))
    [ "$client" -eq 0 ] && [ "$server" -eq 0 ] || failed=$((failed + 1))
    elapsed=$(( $(date +%s) - start ))
    echo "$(basename "$model") $he $truncation $ot: online spans $spans, differing client $client server $server  [$total/$count, ${elapsed}s, ETA $(( elapsed * (count - total) / total ))s]"
  done
done
echo "runs $total, runs with a differing span $failed"
[ "$failed" -eq 0 ]
