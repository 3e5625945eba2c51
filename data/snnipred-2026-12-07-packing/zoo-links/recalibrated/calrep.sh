#!/bin/bash
cd /work/m14; mkdir -p cal
for i in 1 2 3; do
  for v in plain warm; do
    b=snnipred-new; [ $v = warm ] && b=snnipred-warmcal
    echo "$(date -u +%H:%M:%S) $v $i load $(cut -d' ' -f1 /proc/loadavg)" >> cal/log
    ./$b calibrate --out cal/$v-$i.json > /dev/null 2>&1
  done
done
echo "$(date -u +%H:%M:%S) done" >> cal/log
