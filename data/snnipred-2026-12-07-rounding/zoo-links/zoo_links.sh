#!/bin/bash
# Issue 17's check: the three zoo networks on the four unseen links, fresh `snnipred run`s,
# between two calibrations of this machine. All options, Ferret. Binary of 5725131.
set -u
B=/work/m15/snnipred-refill; OUT=/work/m15/zoo
OPTS="--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool"
cd /work/main
echo "$(date -u +%T) calibrate A load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
$B calibrate --out $OUT/machine-A.json > $OUT/calibrate-A.out 2>&1
for link in "1000 2" "200 20" "100 50" "50 100"; do
  set -- $link
  for net in squeezenet1_1 resnet50 densenet121; do
    echo "$(date -u +%T) $net $1 $2 load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
    $B run zoo:$net $OPTS --bandwidth $1 --rtt $2 --json --seed 1 > $OUT/$net-$1-$2.run.json 2> $OUT/$net-$1-$2.run.err
  done
done
echo "$(date -u +%T) calibrate B load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
$B calibrate --out $OUT/machine-B.json > $OUT/calibrate-B.out 2>&1
echo "$(date -u +%T) done" >> $OUT/log
