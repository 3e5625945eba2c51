#!/bin/bash
# Issue 18's correctness check with today's engine: every zoo network at 32x32 (lenet5 and
# minionn at their own size), Ferret, HE cheetah; faithful truncation must be bit-exact,
# approximate (all options) within a few ulps with the argmax kept.
B=/work/m15/snnipred-refill; OUT=/work/m15/zoo32; mkdir -p $OUT
cd /work/main
for net in lenet5 minionn squeezenet1_0@32 squeezenet1_1@32 resnet18@32 resnet50@32 mobilenet_v2@32 vgg16@32 densenet121@32 cheetah_squeezenet@32 cheetah_resnet50@32 cheetah_densenet121@32; do
  f=${net%@32}
  echo "$(date -u +%T) $net faithful" >> $OUT/log
  $B run zoo:$net --he cheetah --truncation faithful --ot ferret --json --seed 1 --verify > $OUT/$f-faithful.json 2> $OUT/$f-faithful.err
  echo "$(date -u +%T) $net approximate" >> $OUT/log
  $B run zoo:$net --he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation --conv-packing dense --relu-after-pool --json --seed 1 --verify > $OUT/$f-approximate.json 2> $OUT/$f-approximate.err
done
echo "$(date -u +%T) done" >> $OUT/log
