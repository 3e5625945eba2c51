#!/bin/bash
set -e
B=/work/m20/snnipred; D=/work/m20/v
date -u
nice -n -10 $B profile --campaign /work/main/campaigns/unseen-links-iknp.json --db $D/s.sqlite --setting 1G-2ms --repeats 3
date -u
$B calibrate --out $D/after.json
date -u
