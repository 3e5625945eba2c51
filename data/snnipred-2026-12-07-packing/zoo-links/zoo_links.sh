#!/bin/bash
# Zoo networks on the four unseen links: fresh `snnipred run`, and the physical method's
# prediction from a calibration made just before, on this machine. All options, Ferret.
set -u
B=/work/m14/snnipred-new; OUT=/work/m14/zoo; mkdir -p $OUT
OPTS="--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool"
echo "$(date -u +%H:%M:%S) calibrate load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
$B calibrate --out $OUT/machine.json > $OUT/calibrate.out 2>&1
for link in "1000 2" "200 20" "100 50" "50 100"; do
  set -- $link
  for net in squeezenet1_1 resnet50 densenet121; do
    $B predict zoo:$net $OPTS --method physical --machine $OUT/machine.json --bandwidth $1 --rtt $2 --json > $OUT/$net-$1-$2.predict.json 2>&1
    echo "$(date -u +%H:%M:%S) $net $1 $2 load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
    $B run zoo:$net $OPTS --bandwidth $1 --rtt $2 --json --seed 1 > $OUT/$net-$1-$2.run.json 2> $OUT/$net-$1-$2.run.err
  done
done
echo "$(date -u +%H:%M:%S) done" >> $OUT/log
