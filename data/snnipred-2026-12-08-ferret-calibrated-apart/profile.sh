#!/usr/bin/env bash
# The Ferret bundle's campaigns a third time: each campaign's calibration in a child process
# (binary of the commit after 1e95495, copied to /work/m23/ferret/snnipred), each run in fresh
# processes; then the held-out zoo and the seed-17 validation networks at 1 Gbit/s 2 ms.
set -euo pipefail
cd /work/m23/ferret
for c in default large-layers xl-layers xl-pools holdout; do
  echo "== $c start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  nice -n -10 ./snnipred profile --campaign $c-ferret.json --db profiles.sqlite
  echo "== $c end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "== validation start $(date -u +%H:%M:%S)"
nice -n -10 ./snnipred profile --campaign /work/main/campaigns/unseen-links.json --db validation.sqlite --setting 1G-2ms
echo "== validation end $(date -u +%H:%M:%S)"
./snnipred calibrate --out machine-after.json
echo "== all done $(date -u +%H:%M:%S)"
