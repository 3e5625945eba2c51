#!/usr/bin/env bash
# After unseen.sh: ResNet-50 and DenseNet-121 at 200 Mbit/s, 20 ms (SqueezeNet 1.1 ran there in the stopped unseen-links-zoo-iknp).
set -euo pipefail
cd /work/main
until grep -q '== unseen-links-iknp end' /work/m18/unseen.log 2>/dev/null; do sleep 5; done
echo "== unseen-link-200m-zoo-iknp start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n -10 /work/m18/snnipred profile --campaign campaigns/unseen-link-200m-zoo-iknp.json --db /work/m18/profiles.sqlite
echo "== unseen-link-200m-zoo-iknp end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
