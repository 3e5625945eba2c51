#!/usr/bin/env bash
# Checks the protocol plan against the secure engine on whole networks: runs each network
# with `snnipred run --json` (both parties on this host) and prints, per run, how many
# spans' measured bytes, frames and rounds differ from the plan's (plan_mismatches).
# Usage: bench/plan_match.sh [--generated N] [--configs all|cheetah] MODEL...
# --generated N adds the first N networks of campaigns/default.json's generated networks.
set -euo pipefail
cd "$(dirname "$0")/.."
generated=0
configs=all
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --generated) generated="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
if [ "$generated" -gt 0 ]; then
  dir=$(mktemp -d)
  ./build/snnipred generate --campaign campaigns/default.json --out "$dir" > /dev/null
  while IFS= read -r file; do models+=("$file"); done < <(ls "$dir"/gen-*.json | head -n "$generated")
fi
if [ "$configs" = all ]; then
  settings=("secure faithful" "secure approximate" "cheetah faithful" "cheetah approximate")
else
  settings=("cheetah approximate")
fi
total=0
failed=0
start=$(date +%s)
count=$(( ${#models[@]} * ${#settings[@]} ))
for model in "${models[@]}"; do
  for setting in "${settings[@]}"; do
    read -r he truncation <<< "$setting"
    json=$(./build/snnipred run "$model" --he "$he" --truncation "$truncation" --json --seed 1 2>/dev/null)
    read -r client server spans < <(python3 -c '
import json, sys
doc = json.load(sys.stdin)
print(doc["parties"]["client"]["plan_mismatches"], doc["parties"]["server"]["plan_mismatches"],
      sum(r["spans"] for r in doc["steps"]))' <<< "$json")
    total=$((total + 1))
    [ "$client" -eq 0 ] && [ "$server" -eq 0 ] || failed=$((failed + 1))
    elapsed=$(( $(date +%s) - start ))
    echo "$(basename "$model") $he $truncation: online spans $spans, differing client $client server $server  [$total/$count, ${elapsed}s, ETA $(( elapsed * (count - total) / total ))s]"
  done
done
echo "runs $total, runs with a differing span $failed"
[ "$failed" -eq 0 ]
