#!/bin/bash
# Side by side: old (3088964 engine) and new binaries, interleaved, all options, LAN.
set -u
OUT=/work/m14/runs; mkdir -p $OUT
OPTS="--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool --json --seed 1"
for round in 1 2; do
  for net in squeezenet1_1 resnet50; do
    for b in old new; do
      bin=/work/m14/snnipred-$b
      echo "$(date -u +%H:%M:%S) $round $net $b load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
      $bin run zoo:$net $OPTS --net lan > $OUT/$net-$b-lan-$round.json 2> $OUT/$net-$b-lan-$round.err
    done
  done
done
for net in densenet121; do
  for b in new old; do
    echo "$(date -u +%H:%M:%S) 1 $net $b load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
    /work/m14/snnipred-$b run zoo:$net $OPTS --net lan > $OUT/$net-$b-lan-1.json 2> $OUT/$net-$b-lan-1.err
  done
done
for b in new old; do
  echo "$(date -u +%H:%M:%S) 1 squeezenet1_1 $b wan load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT/log
  /work/m14/snnipred-$b run zoo:squeezenet1_1 $OPTS --net wan > $OUT/squeezenet1_1-$b-wan-1.json 2> $OUT/squeezenet1_1-$b-wan-1.err
done
echo "$(date -u +%H:%M:%S) verify" >> $OUT/log
/work/m14/snnipred-new run zoo:resnet50 $OPTS --net lan --verify > $OUT/resnet50-new-verify.json 2> $OUT/resnet50-new-verify.err
/work/m14/snnipred-new run zoo:densenet121 $OPTS --net lan --verify > $OUT/densenet121-new-verify.json 2> $OUT/densenet121-new-verify.err
echo "$(date -u +%H:%M:%S) done" >> $OUT/log
