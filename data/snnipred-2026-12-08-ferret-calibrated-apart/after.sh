#!/usr/bin/env bash
# After profile.sh: exports, the bundle, validation, then the held-out zoo once.
set -euo pipefail
cd /work/m23/ferret
B=./snnipred; M=/work/main
HOLD=$(cat $M/data/snnipred-2026-12-07-bundle/holdout-generated.txt)
echo "== export $(date -u +%H:%M:%S)"
$B export --db profiles.sqlite --campaign default-ferret --campaign large-layers-ferret --campaign xl-layers-ferret \
  --campaign xl-pools-ferret --out train-layers.csv --networks train-networks.jsonl --machine machine-profile.json
$B export --db profiles.sqlite --campaign holdout-ferret --out holdout-layers.csv --networks holdout-networks.jsonl
sqlite3 profiles.sqlite "select profile_json from machines where campaign='holdout-ferret'" > holdout-machine.json
mkdir -p validation-1g
$B export --db validation.sqlite --out validation-1g/layers.csv --networks validation-1g/networks.jsonl
sqlite3 validation.sqlite "select profile_json from machines order by recorded_at limit 1" > validation-1g/campaign-machine.json
echo "== train $(date -u +%H:%M:%S)"
$B train --data train-layers.csv --networks train-networks.jsonl --methods analytical,nn,lstm \
  --features protocol --backend snnipred --ot ferret --machine machine-profile.json \
  --trials 6 --lstm-trials 6 --seed 1 --out snnipred-ferret.bundle.gz
echo "== evaluate $(date -u +%H:%M:%S)"
$B evaluate --split network --networks train-networks.jsonl --data train-layers.csv --holdout "$HOLD" \
  --predictor snnipred-ferret.bundle.gz --out holdout-generated-eval
echo "== done $(date -u +%H:%M:%S)"
