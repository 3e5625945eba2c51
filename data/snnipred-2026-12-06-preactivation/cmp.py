"""The physical method against one run: cmp.py RUN.json MACHINE.json "PREDICT OPTIONS" MODEL,
from the repository's root ($SNNIPRED, default ./build/snnipred). The link (lan or wan) is
taken from the run file's name. Prints client end to end and online CPU per party, measured
and predicted, and both per step kind (predicted conv steps include their truncations)."""
import json,os,sys,collections,subprocess
run=json.load(open(sys.argv[1])); machine=sys.argv[2]; opts=sys.argv[3]; model=sys.argv[4]
net = 'wan' if 'wan' in sys.argv[1] else 'lan'
binary=os.environ.get('SNNIPRED','./build/snnipred')
out=subprocess.run(f"{binary} predict {model} {opts} --method physical --machine {machine} --net {net} --json", shell=True, capture_output=True, text=True).stdout
p=json.loads(out)
meas=collections.Counter()
for st in run['steps']:
    kind = st['step']
    for party in ('client','server'):
        meas[(kind,party)] += st[party]['cpu_s']
pred=collections.Counter()
for st in p['steps']:
    ph=st['predictions']['physical']
    for party in ('client','server'):
        pred[(st['kind'],party)] += ph[party+'_cpu_ms']/1000
t=p['totals']['physical']
print('e2e measured %.1f predicted %.1f (%+.0f%%)'%(run['client_end_to_end_s'], t['client_ms']/1000, 100*(t['client_ms']/1000/run['client_end_to_end_s']-1)))
P=run['parties']
for party in ('client','server'):
    m=P[party]['online']['cpu_s']; q=t[party]['online_cpu_ms']/1000
    print('  %s online cpu measured %.1f predicted %.1f (%+.0f%%)'%(party,m,q,100*(q/m-1)))
print('  measured kinds', {k:round(v,1) for k,v in sorted(meas.items())})
print('  predicted kinds', {k:round(v,1) for k,v in sorted(pred.items())})
