#!/bin/bash
# Issue 18 response rounding: correctness on the zoo, then old (d7532c2) vs new (1d5c8f5) in turn.
OPTS="--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool --json --seed 1"
OLD=/work/m14/snnipred-new; NEW=/work/m15/snnipred-rounded; R=/work/m15/runs
cd /work/main
for n in squeezenet1_1 resnet50 densenet121; do
  echo "$(date -u +%T) verify $n load $(cut -d' ' -f1 /proc/loadavg)"
  $NEW run zoo:$n $OPTS --net lan --verify > $R/verify-$n.json 2>$R/verify-$n.err
done
for rep in 1 2 3; do
  for b in old new; do
    BIN=$OLD; [ $b = new ] && BIN=$NEW
    echo "$(date -u +%T) $b sq lan $rep load $(cut -d' ' -f1 /proc/loadavg)"
    $BIN run zoo:squeezenet1_1 $OPTS --net lan > $R/$b-squeezenet1_1-lan-$rep.json 2>/dev/null
  done
done
for rep in 1 2; do
  for b in old new; do
    BIN=$OLD; [ $b = new ] && BIN=$NEW
    echo "$(date -u +%T) $b sq wan $rep load $(cut -d' ' -f1 /proc/loadavg)"
    $BIN run zoo:squeezenet1_1 $OPTS --net wan > $R/$b-squeezenet1_1-wan-$rep.json 2>/dev/null
  done
done
for rep in 1 2; do
  for b in old new; do
    BIN=$OLD; [ $b = new ] && BIN=$NEW
    echo "$(date -u +%T) $b resnet50 lan $rep load $(cut -d' ' -f1 /proc/loadavg)"
    $BIN run zoo:resnet50 $OPTS --net lan > $R/$b-resnet50-lan-$rep.json 2>/dev/null
  done
done
echo "$(date -u +%T) done"
