#!/bin/bash
# The seed-53 held-out runs against the shipped Ferret bundle (aa606a5) and the physical method,
# under the campaign's own calibration; every run and each network's median of its repeats.
set -e
cd /work/m23/heldout; B=/work/main/build/snnipred; C=/work/main/campaigns/unseen-links-53.json
export SNNIPRED_PREDICTOR=/work/main/predictors/snnipred-ferret.bundle.gz
$B export --db profiles.sqlite --out layers.csv --networks runs.jsonl
$B export --db profiles.sqlite --out median-layers.csv --networks median-of-repeats.jsonl --median-of-repeats
sqlite3 profiles.sqlite "select profile_json from machines" > campaign-machine.json
for m in nn lstm physical analytical; do
  echo "## $m, every run"; python3 /work/main/bench/link_validation.py --campaign $C --networks runs.jsonl --method $m --machine campaign-machine.json --binary $B --jobs 2 2>/dev/null
  echo "## $m, median of repeats"; python3 /work/main/bench/link_validation.py --campaign $C --networks median-of-repeats.jsonl --method $m --machine campaign-machine.json --binary $B --jobs 2 2>/dev/null
done
