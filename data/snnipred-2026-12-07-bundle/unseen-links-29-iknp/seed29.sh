#!/usr/bin/env bash
set -euo pipefail
cd /work/main
echo "== start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n -10 /work/m17/snnipred profile --campaign campaigns/unseen-links-29-iknp.json --db /work/m17/seed29-iknp.sqlite
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
