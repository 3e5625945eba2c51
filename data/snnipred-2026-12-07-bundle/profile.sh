#!/usr/bin/env bash
# Re-profile the default bundle's campaigns with today's engine (binary copied to /work/m17/snnipred).
set -euo pipefail
cd /work/main
for c in default large-layers xl-layers xl-pools holdout; do
  echo "== $c start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  nice -n -10 /work/m17/snnipred profile --campaign campaigns/$c.json --db /work/m17/profiles.sqlite
  echo "== $c end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
done
