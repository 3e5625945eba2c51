#!/usr/bin/env bash
# Validation at 1 Gbit/s 2 ms (seed-17 networks, isolated runs): the new bundle and the physical method,
# under the validation campaign's calibration and as profiled. Usage: score.sh BUNDLE
set -euo pipefail
cd /work/m22/ferret
M=/work/main; B=./snnipred
for m in nn lstm physical; do
  echo "## $m, $1, --machine validation-1g/campaign-machine.json"
  SNNIPRED_PREDICTOR=$1 python3 $M/bench/link_validation.py --campaign $M/campaigns/unseen-links.json \
    --networks validation-1g/networks.jsonl --method $m --machine validation-1g/campaign-machine.json --binary $B --jobs 2
done
for m in nn lstm; do
  echo "## $m, $1, as profiled (no calibration)"
  SNNIPRED_PREDICTOR=$1 python3 $M/bench/link_validation.py --campaign $M/campaigns/unseen-links.json \
    --networks validation-1g/networks.jsonl --method $m --binary $B --jobs 2
done
