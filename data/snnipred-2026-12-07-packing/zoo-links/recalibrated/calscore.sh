#!/bin/bash
# Predict the 12 zoo configurations with each calibration in cal/, score against zoo/*.run.json.
cd /work/m14
OPTS="--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool"
for m in cal/plain-*.json cal/warm-*.json; do
  d=cal/$(basename $m .json); mkdir -p $d; cp zoo/*.run.json $d/
  for link in "1000 2" "200 20" "100 50" "50 100"; do set -- $link
    for net in squeezenet1_1 resnet50 densenet121; do
      ./snnipred-new predict zoo:$net $OPTS --method physical --machine $m --bandwidth $1 --rtt $2 --json > $d/$net-$1-$2.predict.json 2>&1
    done
  done
  python3 score.py $d > $d/table.txt
done
python3 - <<'PY'
import glob,re,statistics as st
for v in ('plain','warm'):
    for d in sorted(glob.glob(f'/work/m14/cal/{v}-*/table.txt')):
        rows=open(d).read().splitlines()
        t=[];cc=[];cs=[];w5=0;w10=0
        for r in rows:
            c=[x.strip() for x in r.strip('|').split('|')]
            e=float(c[4].split('/')[0].strip().rstrip('%')); t.append(e)
            a,b=[float(x.strip().rstrip('%').strip()) for x in c[7].replace('%','').split('/')]
            cc.append(a); cs.append(b)
            w5+=abs(e)<=5; w10+=abs(e)<=10
        print(d.split('/')[-2], 'time err median %+.1f (range %+.1f..%+.1f) within5 %d within10 %d | client cpu median %+.1f | server cpu median %+.1f' % (st.median(t),min(t),max(t),w5,w10,st.median(cc),st.median(cs)))
PY
