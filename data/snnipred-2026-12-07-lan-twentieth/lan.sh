#!/bin/bash
set -e
B=/work/m20/snnipred; D=/work/m20/lan
date -u
nice -n -10 $B profile --campaign $D/holdout-lan-twentieth.json --db $D/profiles.sqlite
date -u
$B calibrate --out $D/machine-after.json
date -u
