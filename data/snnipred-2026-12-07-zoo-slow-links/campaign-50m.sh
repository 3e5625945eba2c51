#!/bin/bash
set -e
B=/work/m20/snnipred; C=/work/main/campaigns/unseen-links-zoo-iknp.json; DB=/work/m20/zoo.sqlite
date -u
nice -n -10 $B profile --campaign $C --db $DB --setting 50M-100ms --calibrate none
date -u
$B calibrate --out /work/m20/after-zoo.json
date -u
