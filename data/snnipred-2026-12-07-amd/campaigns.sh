#!/usr/bin/env bash
# This session's measurements on the AMD EPYC machine (binary of d0c3e32 copied to /work/m18/snnipred).
set -euo pipefail
cd /work/main
for c in unseen-link-1g-zoo-iknp; do  # holdout and unseen-links-zoo-iknp (2 of 12 runs, stopped) ran first
  echo "== $c start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  nice -n -10 /work/m18/snnipred profile --campaign campaigns/$c.json --db /work/m18/profiles.sqlite
  echo "== $c end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
done
