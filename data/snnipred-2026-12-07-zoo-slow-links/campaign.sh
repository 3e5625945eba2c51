#!/bin/bash
set -e
B=/work/m19/snnipred; C=/work/main/campaigns/unseen-links-zoo-iknp.json; DB=/work/m19/zoo.sqlite
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 100M-50ms --calibrate full
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 50M-100ms --limit 1 --calibrate none
date -u
$B calibrate --out /work/m19/after-zoo.json
date -u
