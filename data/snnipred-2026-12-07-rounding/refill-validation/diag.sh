#!/bin/bash
# Issue 17 diagnosis on validation networks (not the three check networks): where does the
# physical method's time go wrong at the mid links? Calibrate, runs, calibrate.
set -u
B=/work/m15/snnipred-rounded; OUT=/work/m15/diag
OPTS="--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool"
cd /work/main
echo "$(date -u +%T) calibrate 1 load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
$B calibrate --out $OUT/machine-1.json > $OUT/calibrate-1.out 2>&1
for link in "200 20" "100 50" "1000 2"; do
  set -- $link
  for net in squeezenet1_0 resnet18; do
    echo "$(date -u +%T) $net $1 $2 load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
    $B run zoo:$net $OPTS --bandwidth $1 --rtt $2 --json --seed 1 --trace $OUT/$net-$1-$2.trace.json > $OUT/$net-$1-$2.run.json 2> $OUT/$net-$1-$2.run.err
  done
done
echo "$(date -u +%T) calibrate 2 load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
$B calibrate --out $OUT/machine-2.json > $OUT/calibrate-2.out 2>&1
echo "$(date -u +%T) done" >> $OUT/log
