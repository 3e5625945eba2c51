#!/bin/bash
# Scores the seed-17 validation reruns at 1 Gbit/s under the calibration before, after and their mean.
set -e
cd /work/m20/v
M=/work/main; D=$M/data/snnipred-2026-12-07-lan-twentieth
sqlite3 s.sqlite "select profile_json from machines" > before.json
python3 - <<'PY'
import json, math
a=json.load(open('before.json')); b=json.load(open('after.json'))
def gm(x, y):
    if isinstance(x, dict): return {k: gm(v, y[k]) if k in y else v for k, v in x.items()}
    if isinstance(x, float) and isinstance(y, float) and x > 0 and y > 0: return math.sqrt(x * y)
    return x
a["unit_costs"] = gm(a["unit_costs"], b["unit_costs"]); json.dump(a, open('mean.json', 'w'))
PY
$M/build/snnipred export --db s.sqlite --out layers.csv --networks runs.jsonl
$M/build/snnipred export --db s.sqlite --out layers-median.csv --networks median.jsonl --median-of-repeats
for p in before after mean; do for m in nn lstm physical; do for n in runs median; do
  python3 $M/bench/link_validation.py --campaign $M/campaigns/unseen-links-iknp.json --networks $n.jsonl \
    --method $m --machine $p.json --binary $M/build/snnipred --jobs 2 --json 2>/dev/null > score-$p-$m-$n.json
  python3 -c "
import json; d=json.load(open('score-$p-$m-$n.json'))['settings']
print('$p $m $n', ' '.join(f\"{k.split('/')[1]} {100*v['within_10pct']:.1f}% ({100*v['mean_signed']:+.1f})\" for k,v in d.items()))" 
done; done; done
