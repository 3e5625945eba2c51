import json,subprocess,os,tempfile,statistics,sys
from concurrent.futures import ThreadPoolExecutor
machine=sys.argv[1]; method=sys.argv[2] if len(sys.argv)>2 else 'physical'
w=tempfile.mkdtemp(); samples=[json.loads(l) for l in open('holdout60-ferret.jsonl')]
def pred(s):
    p=os.path.join(w,s['name']+s['setting']+'.json'); json.dump(s['network'],open(p,'w'))
    d=json.loads(subprocess.run([os.environ.get('SNNIPRED', '../../build/snnipred'),'predict',p,'--method',method,'--machine',machine,'--setting',s['setting'],'--ot','ferret','--json'],capture_output=True,text=True,check=True).stdout)
    return s, d['totals'][method]
with ThreadPoolExecutor(2) as ex: res=list(ex.map(pred,samples))
for setting in ('LAN','WAN'):
    for party in ('client','server'):
        e=[100*(t[party+'_ms']/s[party+'_ms']-1) for s,t in res if s['setting']==setting]
        print(setting, party, method, f"within10 {100*sum(abs(x)<=10 for x in e)/len(e):.1f}%  MAPE {statistics.mean(map(abs,e)):.1f}%  mean {statistics.mean(e):+.1f}%")
