#!/bin/bash
cd /work/m6
OPTS="--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool --seed 1 --json"
for round in 1 2; do
  for b in old new; do
    echo "$(date -u +%T) resnet50 lan $b $round $(cat /proc/loadavg)" >> log.txt
    ./snnipred-$b run zoo:resnet50 $OPTS --net lan > r50-lan-$b-$round.json 2> r50-lan-$b-$round.err
  done
done
for b in old new; do
  echo "$(date -u +%T) resnet50 wan $b 1 $(cat /proc/loadavg)" >> log.txt
  ./snnipred-$b run zoo:resnet50 $OPTS --net wan > r50-wan-$b-1.json 2> r50-wan-$b-1.err
done
echo "$(date -u +%T) end" >> log.txt
