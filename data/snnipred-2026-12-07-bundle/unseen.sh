#!/usr/bin/env bash
# After the bundle campaigns: the seed-17 validation networks with IKNP on the four unseen links.
set -euo pipefail
cd /work/main
while pgrep -f /work/m17/profile.sh >/dev/null; do sleep 20; done
echo "== unseen-links-iknp start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n -10 /work/m17/snnipred profile --campaign campaigns/unseen-links-iknp.json --db /work/m17/unseen-iknp.sqlite
echo "== unseen-links-iknp end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
/work/m17/snnipred calibrate --out /work/m17/after-unseen.json
echo "== calibrate end $(date -u +%H:%M:%S)"
