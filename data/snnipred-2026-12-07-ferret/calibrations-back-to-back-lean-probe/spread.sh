#!/bin/bash
# usage: spread.sh BINARY OT NET CAL...
bin=$1; ot=$2; net=$3; shift 3
for c in "$@"; do $bin predict $net --ot $ot --he cheetah --truncation approximate --method physical --machine $c --json 2>/dev/null | python3 -c "
import json,sys;d=json.load(sys.stdin)['totals']['physical'];print('%s client %.0f ms cpu %.0f  server %.0f ms cpu %.0f'%('$c'.split('/')[-1],d['client_ms'],d['client_cpu_ms'],d['server_ms'],d['server_cpu_ms']))"; done
