#!/bin/bash
set -e
B=/work/m19/snnipred; C=/work/main/campaigns/unseen-links-41-iknp.json; DB=/work/m19/seed41.sqlite
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 1G-2ms --repeats 3 --calibrate full
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 200M-20ms --repeats 3 --calibrate none
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 100M-50ms --calibrate none
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 50M-100ms --calibrate none
date -u
$B calibrate --out /work/m19/after-seed41.json
date -u
