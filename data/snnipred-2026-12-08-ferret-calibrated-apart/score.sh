#!/usr/bin/env bash
# Validation at 1 Gbit/s 2 ms (seed-17 networks, isolated runs, calibration in a child): the new bundle and the physical method,
# under the validation campaign's calibration and as profiled. Usage: score.sh BUNDLE
set -euo pipefail
cd /work/m23/ferret
M=/work/main; B=./snnipred
for m in nn lstm physical; do
  echo "## $m, $1, --machine validation-1g/campaign-machine.json"
  SNNIPRED_PREDICTOR=$1 python3 $M/bench/link_validation.py --campaign $M/campaigns/unseen-links.json \
    --networks validation-1g/networks.jsonl --method $m --machine validation-1g/campaign-machine.json --binary $B --jobs 2
done
# As profiled: the bundle's own machine profile (a binary outside the repository finds no
# predictors/reference-machine.json, so it is named); written to validation-1g/scores-new-as-profiled.md.
for m in nn lstm; do
  echo "## $m, $1, as profiled (--machine machine-profile.json, the bundle's own)"
  SNNIPRED_PREDICTOR=$1 python3 $M/bench/link_validation.py --campaign $M/campaigns/unseen-links.json \
    --networks validation-1g/networks.jsonl --method $m --machine machine-profile.json --binary $B --jobs 2
done
