#!/bin/bash
# Held out, once: seed-53 generated networks (no campaign, fit or design choice has seen them)
# with Ferret on the four unseen links; binary of 7b98f61 (/work/m23/ferret/snnipred).
set -e
B=/work/m23/ferret/snnipred; C=/work/main/campaigns/unseen-links-53.json; DB=/work/m23/heldout/profiles.sqlite
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 1G-2ms --repeats 3 --calibrate full
date -u
for s in 200M-20ms 100M-50ms 50M-100ms; do
  nice -n -10 $B profile --campaign $C --db $DB --setting $s --calibrate none
  date -u
done
$B calibrate --out /work/m23/heldout/machine-after.json
date -u
