#!/usr/bin/env bash
# After campaigns.sh: the seed-17 validation networks on the four unseen links, on this machine.
set -euo pipefail
cd /work/main
echo "== unseen-links-iknp start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n -10 /work/m18/snnipred profile --campaign campaigns/unseen-links-iknp.json --db /work/m18/unseen-iknp.sqlite
echo "== unseen-links-iknp end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
