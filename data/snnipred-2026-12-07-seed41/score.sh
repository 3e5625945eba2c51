#!/bin/bash
set -e
cd /work/m19; B=/work/m19/snnipred; C=/work/main/campaigns/unseen-links-41-iknp.json
$B export --db seed41.sqlite --out s41-layers.csv --networks s41-runs.jsonl
$B export --db seed41.sqlite --out s41-median-layers.csv --networks s41-median.jsonl --median-of-repeats
sqlite3 seed41.sqlite "select profile_json from machines" > s41-machine.json
for m in nn lstm physical analytical; do
  echo "## $m, every run"; python3 /work/main/bench/link_validation.py --campaign $C --networks s41-runs.jsonl --method $m --machine s41-machine.json --binary /work/main/build/snnipred --jobs 2 2>/dev/null
  echo "## $m, median of repeats"; python3 /work/main/bench/link_validation.py --campaign $C --networks s41-median.jsonl --method $m --machine s41-machine.json --binary /work/main/build/snnipred --jobs 2 --json 2>/dev/null > s41-$m-median.json
  python3 -c "
import json; d=json.load(open('s41-$m-median.json')); print(d['machine_note'])
for k,s in d['settings'].items(): print('%-20s %5.1f%% MdAPE %.1f%% mean %+.1f%% worst %.1f%% %s'%(k,100*s['within_10pct'],100*s['mdape'],100*s['mean_signed'],100*s['worst'],s['worst_network']))"
done
